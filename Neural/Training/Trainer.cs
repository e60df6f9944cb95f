using Workbench.Formal.IO;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using TorchSharp.Modules;
using Workbench.Neural.Architecture;
using Workbench.Neural.Layers;
using Workbench.Neural.Models;
using Workbench.Neural.Storage;
using static TorchSharp.torch;

namespace Workbench.Neural.Training;

/// <summary>The outcome of a training run: its evaluations, whether it stopped early, and the saved model.</summary>
public sealed record TrainingResult(IReadOnlyList<EvaluationRecord> Evaluations, bool StoppedEarly, string ModelPath, string MetricsPath);

/// <summary>
/// Trains a network by next-symbol prediction (cross-entropy over Σ̄, or the sparsemax loss) with AdamW,
/// warm-up plus cosine decay and gradient clipping. Every evaluation appends a JSON line to
/// metrics.jsonl, saves model.wbm when the held-out cross-entropy improves, and writes checkpoint.bin; a
/// run started on a folder with a checkpoint continues from it and, on the CPU, ends with the same
/// numbers as an uninterrupted run. A NaN or infinite loss or gradient stops the run with the step.
/// </summary>
public static class Trainer
{
    /// <summary>The checkpoint's file name in the output folder.</summary>
    public const string CheckpointFile = "checkpoint.bin";

    /// <summary>The metrics file name in the output folder.</summary>
    public const string MetricsFile = "metrics.jsonl";

    /// <summary>The saved model's file name in the output folder.</summary>
    public const string ModelFileName = "model" + ModelFile.Extension;

    /// <summary>Trains (or resumes training) an architecture on data into outputDirectory.</summary>
    /// <exception cref="TrainingDivergedException">The loss or gradient became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled (the last checkpoint stays).</exception>
    public static TrainingResult Run(
        NeuralArchitecture architecture, TrainingData data, TrainingOptions options, string outputDirectory, Device device,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        options.Validated();
        Directory.CreateDirectory(outputDirectory);
        string checkpointPath = Path.Combine(outputDirectory, CheckpointFile);
        string metricsPath = Path.Combine(outputDirectory, MetricsFile);
        string modelPath = Path.Combine(outputDirectory, ModelFileName);

        manual_seed(options.Seed);
        using SequenceModel network = NetworkFactory.Create(data.Alphabet, architecture).MoveTo(device);
        using var optimizer = optim.AdamW(network.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        TrainingPosition position = File.Exists(checkpointPath) ? Checkpoint.Restore(checkpointPath, network, optimizer) : TrainingPosition.Start;
        List<EvaluationRecord> evaluations = ReadEvaluations(metricsPath, position.NextStep);
        RewriteMetrics(metricsPath, evaluations);

        bool Stopped(TrainingPosition p) => options.Patience > 0 && p.EvaluationsSinceBest >= options.Patience;
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        int lossCount = 0;
        long tokensAtStart = position.Tokens, firstStep = position.NextStep;
        for (long step = position.NextStep; step < options.Steps && !Stopped(position); step++)
        {
            cancellation.ThrowIfCancellationRequested();
            double loss;
            int symbols;
            using (NewDisposeScope())
            {
                var batch = SymbolBatch.Create(data.Batch(step, options.BatchSize), data.Alphabet.Eos, network.Device);
                symbols = batch.Symbols;
                loss = Step(network, optimizer, batch, options, step);
            }
            lossSum += loss;
            lossCount++;
            position = position with { NextStep = step + 1, Tokens = position.Tokens + symbols };
            double elapsed = position.ElapsedSeconds + clock.Elapsed.TotalSeconds;
            double tokensPerSecond = (position.Tokens - tokensAtStart) / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
            bool evaluate = (step + 1) % options.EvaluateEvery == 0 || step + 1 == options.Steps;
            if (evaluate)
            {
                EvaluationRecord record = Evaluate(network, data, options, position, lossSum / lossCount, tokensPerSecond, elapsed);
                evaluations.Add(record);
                File.AppendAllText(metricsPath, JsonSerializer.Serialize(record, TrainingJsonContext.Default.EvaluationRecord) + "\n");
                lossSum = 0;
                lossCount = 0;
                bool improved = record.CrossEntropyPerSymbol < position.BestHeldOut || double.IsPositiveInfinity(position.BestHeldOut);
                position = improved
                    ? position with { BestHeldOut = Math.Min(record.CrossEntropyPerSymbol, position.BestHeldOut), EvaluationsSinceBest = 0 }
                    : position with { EvaluationsSinceBest = position.EvaluationsSinceBest + 1 };
                if (improved)
                    ModelFile.Save(network, modelPath);
                Checkpoint.Save(checkpointPath, network, optimizer, position with { ElapsedSeconds = elapsed });
            }
            double remaining = (options.Steps - step - 1) * clock.Elapsed.TotalSeconds / (step + 1 - firstStep);
            progress?.Report(new TrainingProgress(step + 1, options.Steps, loss, evaluations.LastOrDefault()?.KlPerSymbol?.Value, tokensPerSecond, TimeSpan.FromSeconds(Math.Max(0, remaining))));
        }
        return new TrainingResult(evaluations, Stopped(position), modelPath, metricsPath);
    }

    /// <summary>
    /// One optimiser step on a batch: the mean loss per predicted symbol (EOS included), backward, clipping,
    /// AdamW at the schedule's learning rate for this step. Returns the loss before the update.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The loss or the gradient norm is NaN or infinite.</exception>
    public static double Step(SequenceModel network, OptimizerHelper optimizer, SymbolBatch batch, TrainingOptions options, long step)
    {
        using var scope = NewDisposeScope();
        network.train();
        double learningRate = options.LearningRateAt(step);
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = learningRate;
        optimizer.zero_grad();
        Tensor perPosition = TensorFunctions.Loss(network.Architecture.Output, network.Scores(batch.Inputs), batch.Targets);
        Tensor loss = perPosition.masked_select(batch.Mask).mean();
        double value = loss.ToDouble();
        if (!double.IsFinite(value))
            throw new TrainingDivergedException(Invariant($"the training loss is {value} at step {step + 1}: stopped instead of training through it (lower the learning rate, or check the data)"));
        loss.backward();
        double norm = nn.utils.clip_grad_norm_(network.parameters(), options.ClipNorm);
        if (!double.IsFinite(norm))
            throw new TrainingDivergedException(Invariant($"the gradient norm is {norm} at step {step + 1}: stopped instead of training through it"));
        optimizer.step();
        return value;
    }

    private static EvaluationRecord Evaluate(SequenceModel network, TrainingData data, TrainingOptions options, TrainingPosition position, double trainingLoss, double tokensPerSecond, double elapsed)
    {
        var model = new NeuralLanguageModel(network);
        var measured = HeldOutEvaluation.Measure(model, data, options.Seed);
        return new EvaluationRecord(position.NextStep, position.Tokens, options.LearningRateAt(position.NextStep - 1), trainingLoss,
            measured.CrossEntropy, measured.StandardError, measured.PerSymbol, measured.SourceEntropy, measured.Kl, measured.KlPerSymbol,
            tokensPerSecond, elapsed);
    }

    /// <summary>The evaluations of metrics.jsonl up to a step (later ones belong to work lost in a kill).</summary>
    public static List<EvaluationRecord> ReadEvaluations(string metricsPath, long upToStep) =>
        !File.Exists(metricsPath)
            ? []
            : File.ReadLines(metricsPath)
                .Where(line => line.Length > 0)
                .Select((line, index) => ParseRecord(line, metricsPath, index + 1))
                .Where(record => record.Step <= upToStep)
                .ToList();

    private static EvaluationRecord ParseRecord(string line, string path, int lineNumber)
    {
        try
        {
            return JsonSerializer.Deserialize(line, TrainingJsonContext.Default.EvaluationRecord)
                ?? throw new Formal.Errors.ParseException(Invariant($"{path}:{lineNumber}: an empty record"));
        }
        catch (JsonException exception)
        {
            throw new Formal.Errors.ParseException(Invariant($"{path}:{lineNumber}: not an evaluation record ({exception.Message})"));
        }
    }

    private static void RewriteMetrics(string metricsPath, IEnumerable<EvaluationRecord> evaluations) =>
        Formal.IO.AtomicFile.Write(metricsPath, string.Concat(evaluations.Select(r => JsonSerializer.Serialize(r, TrainingJsonContext.Default.EvaluationRecord) + "\n")));
}

/// <summary>Source-generated JSON for the metric lines (camelCase, infinities as strings), so trimmed apps work too.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EvaluationRecord))]
internal sealed partial class TrainingJsonContext : JsonSerializerContext;
