using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TorchSharp.Modules;
using Workbench.Neural.Models;
using static TorchSharp.torch;

namespace Workbench.Neural.Training;

/// <summary>What one objective contributes to the shared training loop: its step, its evaluation and how evaluations are written.</summary>
/// <typeparam name="TRecord">The evaluation record, one JSON line of metrics.jsonl.</typeparam>
/// <param name="Step">One optimiser step at a step index: the loss before the update and the symbols the batch predicted.</param>
/// <param name="Evaluate">The held-out evaluation at a position, given the mean training loss since the last one, tokens/s and elapsed seconds.</param>
/// <param name="HeldOutLoss">The held-out loss of a record that early stopping and the best model follow (lower is better).</param>
/// <param name="Progress">The figure a progress line shows for a record (KL per symbol, or validation accuracy), where there is one.</param>
/// <param name="StepOf">The step a record was taken after.</param>
/// <param name="Json">The source-generated serializer of the records.</param>
public sealed record TrainingObjective<TRecord>(
    Func<long, (double Loss, int Symbols)> Step,
    Func<TrainingPosition, double, double, double, TRecord> Evaluate,
    Func<TRecord, double> HeldOutLoss,
    Func<TRecord, double?> Progress,
    Func<TRecord, long> StepOf,
    JsonTypeInfo<TRecord> Json);

/// <summary>
/// The loop every trainer shares: steps up to the budget or until early stopping, an evaluation every
/// <see cref="TrainingOptions.EvaluateEvery"/> steps appended to metrics.jsonl, the best module (by held-out loss) saved,
/// and a checkpoint after every evaluation, so that a run started on a folder with a checkpoint continues exactly
/// where it stopped. O(steps) calls of the objective.
/// </summary>
public static class TrainingLoop
{
    /// <summary>
    /// Runs (or resumes) the objective on trained, a module built on network (the network itself, or a recognizer with heads on it),
    /// saving the best module to modelPath. Returns the evaluations of the whole run and whether it stopped early.
    /// </summary>
    /// <exception cref="OperationCanceledException">The token was cancelled (the last checkpoint stays).</exception>
    public static (List<TRecord> Evaluations, bool StoppedEarly) Run<TRecord>(
        SequenceModel network, nn.Module trained, ITrainingOptimizer optimizer, TrainingOptions options, TrainingObjective<TRecord> objective,
        string outputDirectory, string modelPath, IProgress<TrainingProgress>? progress, CancellationToken cancellation)
    {
        Directory.CreateDirectory(outputDirectory);
        string checkpointPath = Path.Combine(outputDirectory, Trainer.CheckpointFile);
        string metricsPath = Path.Combine(outputDirectory, Trainer.MetricsFile);
        TrainingPosition position = File.Exists(checkpointPath) ? Checkpoint.Restore(checkpointPath, network, trained, optimizer) : TrainingPosition.Start;
        List<TRecord> evaluations = MetricsFile.Read(metricsPath, position.NextStep, objective.Json, objective.StepOf);
        MetricsFile.Rewrite(metricsPath, evaluations, objective.Json);

        bool Stopped(TrainingPosition p) => options.Patience > 0 && p.EvaluationsSinceBest >= options.Patience;
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        int lossCount = 0;
        long tokensAtStart = position.Tokens, firstStep = position.NextStep;
        for (long step = position.NextStep; step < options.Steps && !Stopped(position); step++)
        {
            cancellation.ThrowIfCancellationRequested();
            (double loss, int symbols) = objective.Step(step);
            lossSum += loss;
            lossCount++;
            position = position with { NextStep = step + 1, Tokens = position.Tokens + symbols };
            double elapsed = position.ElapsedSeconds + clock.Elapsed.TotalSeconds;
            double tokensPerSecond = (position.Tokens - tokensAtStart) / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
            if ((step + 1) % options.EvaluateEvery == 0 || step + 1 == options.Steps)
            {
                TRecord record = objective.Evaluate(position, lossSum / lossCount, tokensPerSecond, elapsed);
                evaluations.Add(record);
                File.AppendAllText(metricsPath, JsonSerializer.Serialize(record, objective.Json) + "\n");
                lossSum = 0;
                lossCount = 0;
                double heldOut = objective.HeldOutLoss(record);
                bool improved = heldOut < position.BestHeldOut || double.IsPositiveInfinity(position.BestHeldOut);
                position = improved
                    ? position with { BestHeldOut = Math.Min(heldOut, position.BestHeldOut), EvaluationsSinceBest = 0 }
                    : position with { EvaluationsSinceBest = position.EvaluationsSinceBest + 1 };
                if (improved)
                    Storage.ModelFile.Save(network, trained, modelPath);
                Checkpoint.Save(checkpointPath, network, trained, optimizer, position with { ElapsedSeconds = elapsed });
            }
            double remaining = (options.Steps - step - 1) * clock.Elapsed.TotalSeconds / (step + 1 - firstStep);
            double? shown = evaluations.Count == 0 ? null : objective.Progress(evaluations[^1]);
            progress?.Report(new TrainingProgress(step + 1, options.Steps, loss, shown, tokensPerSecond, TimeSpan.FromSeconds(Math.Max(0, remaining))));
        }
        return (evaluations, Stopped(position));
    }
}

/// <summary>Reads and rewrites metrics.jsonl, one evaluation record per line.</summary>
public static class MetricsFile
{
    /// <summary>The records of a metrics file up to a step (later ones belong to work lost in a kill); none when there is no file.</summary>
    /// <exception cref="Formal.Errors.ParseException">A line is not a record, named by file and line.</exception>
    public static List<TRecord> Read<TRecord>(string path, long upToStep, JsonTypeInfo<TRecord> json, Func<TRecord, long> stepOf) =>
        !File.Exists(path)
            ? []
            : File.ReadLines(path)
                .Where(line => line.Length > 0)
                .Select((line, index) => Parse(line, path, index + 1, json))
                .Where(record => stepOf(record) <= upToStep)
                .ToList();

    /// <summary>Replaces the file with exactly these records, atomically.</summary>
    public static void Rewrite<TRecord>(string path, IEnumerable<TRecord> records, JsonTypeInfo<TRecord> json) =>
        Formal.IO.AtomicFile.Write(path, string.Concat(records.Select(r => JsonSerializer.Serialize(r, json) + "\n")));

    private static TRecord Parse<TRecord>(string line, string path, int lineNumber, JsonTypeInfo<TRecord> json)
    {
        try
        {
            return JsonSerializer.Deserialize(line, json)
                ?? throw new Formal.Errors.ParseException(Invariant($"{path}:{lineNumber}: an empty record"));
        }
        catch (JsonException exception)
        {
            throw new Formal.Errors.ParseException(Invariant($"{path}:{lineNumber}: not an evaluation record ({exception.Message})"));
        }
    }
}
