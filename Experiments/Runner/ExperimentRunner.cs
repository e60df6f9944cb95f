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

/// <summary>Where a run stands: the cell being run (1-based of the cells to run) and its training progress, if training.</summary>
public sealed record RunnerProgress(int CellNumber, int Cells, Cell Cell, TrainingProgress? Training);

/// <summary>
/// Runs the cells of an experiment into a folder: every cell trains (or compiles, or scores the source)
/// in cells/KEY/ with the trainer's checkpoint and metrics.jsonl (one JSON line per evaluation), then
/// writes cells/KEY/result.json atomically. A cell with a result is skipped, and a half-trained cell
/// resumes from its checkpoint, so a killed run continues where it stopped.
/// </summary>
public static class ExperimentRunner
{
    /// <summary>The result file of a finished cell.</summary>
    public const string ResultFile = "result.json";

    /// <summary>The folder of a cell.</summary>
    public static string CellFolder(string output, Cell cell) => Path.Combine(output, "cells", cell.Key);

    /// <summary>Runs (or skips, when finished) every cell and returns their results in order.</summary>
    public static IReadOnlyList<CellResult> Run(ExperimentSpec spec, IReadOnlyList<Cell> cells, string output, Device device, IProgress<RunnerProgress>? progress = null, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(output);
        AtomicFile.Write(Path.Combine(output, "spec.json"), JsonSerializer.Serialize(spec, ExperimentSpec.Json));
        var results = new List<CellResult>(cells.Count);
        for (int i = 0; i < cells.Count; i++)
        {
            Cell cell = cells[i];
            string folder = CellFolder(output, cell), resultPath = Path.Combine(folder, ResultFile);
            if (File.Exists(resultPath))
            {
                results.Add(ReadResult(resultPath));
                continue;
            }
            Directory.CreateDirectory(folder);
            progress?.Report(new RunnerProgress(i + 1, cells.Count, cell, null));
            var clock = Stopwatch.StartNew();
            CellResult result = RunCell(spec, cell, folder, device, new Relay(t => progress?.Report(new RunnerProgress(i + 1, cells.Count, cell, t))), cancellation);
            result = result with { Seconds = result.Seconds + clock.Elapsed.TotalSeconds };
            AtomicFile.Write(resultPath, JsonSerializer.Serialize(result, ExperimentSpec.Json));
            results.Add(result);
        }
        return results;
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
        FormalLanguage language = LanguageSuite.Get(cell.Language);
        switch (cell.Kind)
        {
            case CellKind.Sanity:
                return CellEvaluation.Measure(language, language.Model, spec, cell);
            case CellKind.Constructed:
                using (var network = MinskyConstruction.Compile(language.Automaton!))
                    return CellEvaluation.Measure(language, new NeuralLanguageModel(network) { TightnessSampling = TightnessSampling.Default with { Seed = cell.Seed } }, spec, cell);
            default:
                var options = ExperimentSpec.Options(spec.Training, cell.Seed, cell.LearningRate);
                var architecture = NeuralArchitecture.Parse(cell.Model!);
                if (spec.Training.ParameterBudget is { } budget)
                    architecture = Neural.Recognition.ParameterBudget.Fit(architecture, language.Model.Alphabet, budget);
                if (spec.Recognition is { } recognition)
                    return RecognitionCell.Run(language, spec, recognition, cell, architecture, options, folder, device, progress, cancellation);
                var data = SampledTrainingData.Create(language.Model, language.Draw, language.Entropy, cell.Seed, spec.Training.MaxLength, spec.Evaluation.HeldOut);
                var training = Trainer.Run(architecture, data, options, folder, device, progress, cancellation);
                using (var network = ModelFile.Load(training.ModelPath, device))
                {
                    var result = CellEvaluation.Measure(language, new NeuralLanguageModel(network) { TightnessSampling = TightnessSampling.Default with { Seed = cell.Seed } }, spec, cell);
                    var last = training.Evaluations[^1];
                    return result with { Model = spec.Training.ParameterBudget is null ? cell.Model : architecture.ToString(), Steps = last.Step, Tokens = last.Tokens, StoppedEarly = training.StoppedEarly, LearningRate = options.LearningRate, Swept = cell.LearningRate is not null };
                }
        }
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
