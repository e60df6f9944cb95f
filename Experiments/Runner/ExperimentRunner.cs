using Workbench.Neural.Tightness;
using Workbench.Formal.IO;
using System.Diagnostics;
using System.Text.Json;
using Workbench.Automata.Formats;
using Workbench.Experiments.Languages;
using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Neural;
using Workbench.Neural.Architecture;
using Workbench.Neural.Constructions;
using Workbench.Neural.Storage;
using Workbench.Neural.Training;
using static TorchSharp.torch;

namespace Workbench.Experiments.Runner;

/// <summary>
/// Where a run stands: the cell being run (1-based of the cells to run) and its training progress, if training; when trained
/// cells share a stack, the cell is the stack's first and Stacked counts them.
/// </summary>
public sealed record RunnerProgress(int CellNumber, int Cells, Cell Cell, TrainingProgress? Training, int Stacked = 1);

/// <summary>
/// Runs the cells of an experiment into a folder: every cell trains (or compiles, or scores the source)
/// in cells/KEY/ with the trainer's checkpoint and metrics.jsonl (one JSON line per evaluation), then
/// writes cells/KEY/result.json atomically. A cell with a result is skipped, and a half-trained cell
/// resumes from its checkpoint, so a killed run continues where it stopped. With a stack size above 1, trained cells of one
/// stackable architecture (<see cref="StackedTrainer"/>) train together, up to that many at a time, each in its own folder
/// with its own checkpoint; each of their steps gives the lone cell's numbers to float rounding, which a long, chaotic
/// training can amplify (docs/neural.md, "Stacking and float rounding").
/// </summary>
public static class ExperimentRunner
{
    /// <summary>The result file of a finished cell.</summary>
    public const string ResultFile = "result.json";

    /// <summary>The folder of a cell.</summary>
    public static string CellFolder(string output, Cell cell) => Path.Combine(output, "cells", cell.Key);

    /// <summary>
    /// Runs (or skips, when finished) every cell and returns the results it holds in order: all of them, except in a worker
    /// that claims cells (<see cref="RunnerOptions.ClaimCells"/>), which returns those it ran or found finished. A worker
    /// tries its claims in <see cref="ClaimOrder"/> (costliest first); one process runs the cells in grid order.
    /// </summary>
    public static IReadOnlyList<CellResult> Run(
        ExperimentSpec spec, IReadOnlyList<Cell> cells, string output, Device device, IProgress<RunnerProgress>? progress = null,
        CancellationToken cancellation = default, RunnerOptions? options = null)
    {
        options ??= new RunnerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Stack, 1);
        int stack = options.Stack;
        Directory.CreateDirectory(output);
        AtomicFile.Write(Path.Combine(output, "spec.json"), JsonSerializer.Serialize(spec, ExperimentSpec.Json));
        string ResultPath(int i) => Path.Combine(CellFolder(output, cells[i]), ResultFile);
        var results = cells.Select((_, i) => File.Exists(ResultPath(i)) ? ReadResult(ResultPath(i)) : null).ToArray();
        var skipped = new bool[cells.Count];
        string?[] keys = [.. cells.Select((cell, i) => stack > 1 && results[i] is null ? StackKey(spec, cell, device) : null)];
        int[] order = options.ClaimCells ? ClaimOrder.Of(cells, keys, stack) : [.. Enumerable.Range(0, cells.Count)];
        for (int at = 0; at < order.Length; at++)
        {
            int i = order[at];
            if (results[i] is not null || skipped[i])
                continue;
            cancellation.ThrowIfCancellationRequested(); // before claiming: a cancelled worker takes no new cell
            bool Claimed(int j) => !options.ClaimCells || CellClaims.TryClaim(CellFolder(output, cells[j]));
            if (!Claimed(i))
            {
                skipped[i] = true;
                continue;
            }
            int number = i + 1;
            var group = new List<int> { i };
            for (int next = at + 1; keys[i] is not null && next < order.Length && group.Count < stack; next++)
            {
                int j = order[next];
                if (results[j] is not null || skipped[j] || keys[j] != keys[i])
                    continue;
                if (Claimed(j))
                    group.Add(j);
                else
                    skipped[j] = true;
            }
            progress?.Report(new RunnerProgress(number, cells.Count, cells[i], null, group.Count));
            var relay = new Relay(t => progress?.Report(new RunnerProgress(number, cells.Count, cells[i], t, group.Count)));
            IEnumerable<CellResult> finished = group.Count == 1
                ? [RunCell(spec, cells[i], CellFolder(output, cells[i]), device, relay, cancellation)]
                : RunStack(spec, [.. group.Select(j => cells[j])], output, device, relay, cancellation);
            foreach (var (result, j) in finished.Zip(group))
            {
                AtomicFile.Write(ResultPath(j), JsonSerializer.Serialize(result, ExperimentSpec.Json));
                results[j] = result;
            }
        }
        return [.. results.OfType<CellResult>()];
    }

    /// <summary>Every finished cell's result under the given run folders (shards merge by listing their folders).</summary>
    public static IReadOnlyList<CellResult> Collect(IEnumerable<string> folders) =>
        folders.SelectMany(folder => Directory.Exists(Path.Combine(folder, "cells"))
                ? Directory.GetFiles(Path.Combine(folder, "cells"), ResultFile, SearchOption.AllDirectories)
                : throw new WorkbenchException(Invariant($"{folder}: no cells/ folder; is this the output of `workbench run`?")))
            .Order(StringComparer.Ordinal)
            .Select(ReadResult)
            .ToArray();

    private static CellResult RunCell(ExperimentSpec spec, Cell cell, string folder, Device device, IProgress<TrainingProgress> progress, CancellationToken cancellation)
    {
        Directory.CreateDirectory(folder);
        var clock = Stopwatch.StartNew();
        FormalLanguage language = LanguageSuite.Get(cell.Language);
        CellResult result;
        switch (cell.Kind)
        {
            case CellKind.Sanity:
                result = CellEvaluation.Measure(language, language.Model, spec, cell);
                break;
            case CellKind.Constructed:
                using (var network = MinskyConstruction.Compile(language.Automaton!))
                    result = CellEvaluation.Measure(language, new NeuralLanguageModel(network) { TightnessSampling = TightnessSampling.Default with { Seed = cell.Seed } }, spec, cell);
                break;
            default:
                var (architecture, options) = Training(spec, cell, language);
                if (spec.Recognition is { } recognition)
                {
                    result = RecognitionCell.Run(language, spec, recognition, cell, architecture, options, folder, device, progress, cancellation);
                    break;
                }
                var training = Trainer.Run(architecture, Data(spec, cell, language), options, folder, device, progress, cancellation);
                result = Measured(spec, cell, language, architecture, options, training, device);
                break;
        }
        return result with { Seconds = result.Seconds + clock.Elapsed.TotalSeconds };
    }

    /// <summary>
    /// Trains the cells of a group as one stack, then measures them one by one as they are enumerated (so a kill loses at most
    /// one cell's measuring). Each cell's seconds are its share of the training and its own measuring.
    /// </summary>
    private static IEnumerable<CellResult> RunStack(ExperimentSpec spec, Cell[] cells, string output, Device device, IProgress<TrainingProgress> progress, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var languages = cells.Select(cell => LanguageSuite.Get(cell.Language)).ToArray();
        var setups = cells.Select((cell, k) => Training(spec, cell, languages[k])).ToArray();
        var jobs = cells.Select((cell, k) => new StackedJob(setups[k].Architecture, Data(spec, cell, languages[k]), setups[k].Options, CellFolder(output, cell), k == 0 ? progress : null)).ToArray();
        var trained = StackedTrainer.Run(jobs, device, cancellation);
        double share = clock.Elapsed.TotalSeconds / cells.Length;
        for (int k = 0; k < cells.Length; k++)
        {
            var measuring = Stopwatch.StartNew();
            var result = Measured(spec, cells[k], languages[k], setups[k].Architecture, setups[k].Options, trained[k], device);
            yield return result with { Seconds = result.Seconds + share + measuring.Elapsed.TotalSeconds };
        }
    }

    /// <summary>
    /// The stack a cell can train in on a device, as a key that equal cells share, or null when it trains alone: a trained
    /// language-model cell whose architecture and options <see cref="StackedTrainer"/> accepts and whose stack pays on the device
    /// (<see cref="StackedTrainer.PaysOn"/>); the key holds the architecture and, where the output layer needs equal alphabets,
    /// the alphabet's size.
    /// </summary>
    internal static string? StackKey(ExperimentSpec spec, Cell cell, Device device)
    {
        if (cell.Kind != CellKind.Trained || spec.Recognition is not null)
            return null;
        FormalLanguage language = LanguageSuite.Get(cell.Language);
        var (architecture, options) = Training(spec, cell, language);
        if (StackedTrainer.Refusal(architecture, options) is not null || !StackedTrainer.PaysOn(architecture, device))
            return null;
        int size = language.Model.Alphabet.Size;
        return StackedTrainer.AlphabetsStack(architecture, options, size, size + 1) ? architecture.ToString() : Invariant($"{architecture} over {size} symbols");
    }

    /// <summary>A trained cell's architecture (fitted to the parameter budget, where the spec has one) and training options.</summary>
    private static (NeuralArchitecture Architecture, TrainingOptions Options) Training(ExperimentSpec spec, Cell cell, FormalLanguage language)
    {
        var options = ExperimentSpec.Options(spec.Training, cell.Seed, cell.LearningRate);
        var architecture = NeuralArchitecture.Parse(cell.Model!);
        if (spec.Training.ParameterBudget is { } budget)
            architecture = Neural.Recognition.ParameterBudget.Fit(architecture, language.Model.Alphabet, budget);
        return (architecture, options);
    }

    private static SampledTrainingData Data(ExperimentSpec spec, Cell cell, FormalLanguage language) =>
        SampledTrainingData.Create(language.Model, language.Draw, language.Entropy, cell.Seed, spec.Training.MaxLength, spec.Evaluation.HeldOut);

    /// <summary>A trained cell's result: its best model measured, with the training's steps, tokens and early stop.</summary>
    private static CellResult Measured(ExperimentSpec spec, Cell cell, FormalLanguage language, NeuralArchitecture architecture, TrainingOptions options, TrainingResult training, Device device)
    {
        using var network = ModelFile.Load(training.ModelPath, device);
        var result = CellEvaluation.Measure(language, new NeuralLanguageModel(network) { TightnessSampling = TightnessSampling.Default with { Seed = cell.Seed } }, spec, cell);
        var last = training.Evaluations[^1];
        return result with { Model = spec.Training.ParameterBudget is null ? cell.Model : architecture.ToString(), Steps = last.Step, Tokens = last.Tokens, StoppedEarly = training.StoppedEarly, LearningRate = options.LearningRate, Swept = cell.LearningRate is not null };
    }

    private static CellResult ReadResult(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<CellResult>(TextFile.ReadAll(path), ExperimentSpec.Json) ?? throw new ParseException(Invariant($"{path}: empty result"));
        }
        catch (JsonException exception)
        {
            throw new ParseException(Invariant($"{path}: not a cell result ({exception.Message})"));
        }
    }

    /// <summary>Forwards a trainer's progress to a callback.</summary>
    internal sealed class Relay(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

/// <summary>How <see cref="ExperimentRunner.Run"/> schedules cells.</summary>
/// <param name="Stack">The most trained cells of one stackable architecture that train as one batched model (1: each alone).</param>
/// <param name="ClaimCells">Whether this run is one of several workers on one folder: it runs only the cells it claims first (<see cref="CellClaims"/>).</param>
public sealed record RunnerOptions(int Stack = 1, bool ClaimCells = false);
