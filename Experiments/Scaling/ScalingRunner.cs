using System.Diagnostics;
using System.Text.Json;
using Workbench.Experiments.Runner;
using Workbench.Formal.Errors;
using Workbench.Formal.IO;
using Workbench.Formal.LanguageModels;
using Workbench.Neural.Training;
using static TorchSharp.torch;

namespace Workbench.Experiments.Scaling;

/// <summary>
/// What one scaling cell measured: its source, N (non-embedding parameters) and the total, D (training tokens seen), C = 6ND, and the final
/// held-out cross-entropy per symbol L with its standard error.
/// </summary>
public sealed record ScalingResult(string Source, int Hidden, long TokenBudget, int Seed, long Parameters, long TotalParameters, long Tokens, double Flops,
    double LossPerSymbol, double LossStandardError, long Steps, double Seconds)
{
    /// <summary>The learning rate of a swept cell (null: the spec's one rate).</summary>
    public double? LearningRate { get; init; }
}

/// <summary>Where a scaling run stands: the cell (1-based of the cells to run) and its training progress.</summary>
public sealed record ScalingProgress(int CellNumber, int Cells, ScalingCell Cell, TrainingProgress? Training);

/// <summary>
/// Runs the cells of a scaling grid into a folder as the experiment runner does: each trains in cells/KEY/ with the trainer's
/// checkpoint and metrics, then writes cells/KEY/result.json atomically; a finished cell is skipped and a half-trained one
/// resumes, so a killed run (even by kill -9) continues where it stopped, and shards merge by listing their folders.
/// </summary>
public static class ScalingRunner
{
    /// <summary>The source's exact entropy rate per symbol (EOS included), H(p)/E[|y| + 1], where its entropy and expected length are known.</summary>
    public static double? EntropyRate(Languages.FormalLanguage language) =>
        language.Entropy is { } entropy && language.Model is IExpectedLengthModel lengths ? entropy / (lengths.ExpectedLength().Value + 1) : null;

    /// <summary>Runs (or skips) every cell and returns the results of all finished cells under the folder.</summary>
    public static IReadOnlyList<ScalingResult> Run(ScalingSpec spec, IReadOnlyList<ScalingCell> cells, string folder, Device device, IProgress<ScalingProgress>? progress = null, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.Write(Path.Combine(folder, "spec.json"), JsonSerializer.Serialize(spec, ExperimentSpec.Json));
        var languages = spec.SourceNames.ToDictionary(name => name, Languages.LanguageSuite.Get);
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            string cellFolder = Path.Combine(folder, "cells", cell.Key), resultPath = Path.Combine(cellFolder, ExperimentRunner.ResultFile);
            if (File.Exists(resultPath))
                continue;
            int number = i + 1;
            progress?.Report(new ScalingProgress(number, cells.Count, cell, null));
            var clock = Stopwatch.StartNew();
            var language = languages[cell.Source];
            var data = SampledTrainingData.Create(language.Model, language.Draw, language.Entropy, cell.Seed, spec.Training.MaxLength, spec.HeldOut);
            // The first ten batches fix the mean predictions per batch, so the budget in tokens becomes a step count.
            double perBatch = Enumerable.Range(0, 10).Average(k => data.Batch(k, spec.Training.BatchSize).Sum(y => y.Length + 1.0));
            int steps = (int)Math.Min(int.MaxValue, Math.Max(1, Math.Ceiling(cell.Tokens / perBatch)));
            var options = ExperimentSpec.Options(spec.Training, cell.Seed, cell.LearningRate) with { Steps = steps, EvaluateEvery = Math.Max(1, steps / 4), Patience = 0 };
            var relay = new ExperimentRunner.Relay(t => progress?.Report(new ScalingProgress(number, cells.Count, cell, t)));
            var trained = Trainer.Run(spec.Architecture(cell.Hidden), data, options, cellFolder, device, relay, cancellation);
            var last = trained.Evaluations[^1];
            double meanPredictions = data.HeldOut.Average(y => y.Length + 1.0);
            var size = trained.Size!;
            var result = new ScalingResult(cell.Source, cell.Hidden, cell.Tokens, cell.Seed, size.NonEmbedding, size.Total, last.Tokens, size.TrainingFlops(last.Tokens),
                last.CrossEntropyPerSymbol, last.CrossEntropyPerStringStandardError / meanPredictions, last.Step, clock.Elapsed.TotalSeconds) { LearningRate = cell.LearningRate };
            AtomicFile.Write(resultPath, JsonSerializer.Serialize(result, ExperimentSpec.Json));
        }
        return Collect([folder]);
    }

    /// <summary>Every finished cell under the given run folders.</summary>
    /// <exception cref="WorkbenchException">A folder is not a scaling run, or a result is damaged.</exception>
    public static IReadOnlyList<ScalingResult> Collect(IEnumerable<string> folders) =>
        [.. folders.SelectMany(folder => Directory.Exists(Path.Combine(folder, "cells"))
                ? Directory.GetFiles(Path.Combine(folder, "cells"), ExperimentRunner.ResultFile, SearchOption.AllDirectories)
                : throw new WorkbenchException(Invariant($"{folder}: no cells/ folder; is this the output of `workbench scaling`?")))
            .Order(StringComparer.Ordinal)
            .Select(Read)];

    private static ScalingResult Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ScalingResult>(TextFile.ReadAll(path), ExperimentSpec.Json) ?? throw new ParseException(Invariant($"{path}: empty result"));
        }
        catch (JsonException exception)
        {
            throw new ParseException(Invariant($"{path}: not a scaling result ({exception.Message})"));
        }
    }
}
