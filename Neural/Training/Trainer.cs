using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using Workbench.Neural.Architecture;
using Workbench.Neural.Layers;
using Workbench.Neural.Models;
using Workbench.Neural.Storage;
using static TorchSharp.torch;

namespace Workbench.Neural.Training;

/// <summary>The outcome of a training run: its evaluations, whether it stopped early, and the saved model.</summary>
public sealed record TrainingResult(IReadOnlyList<EvaluationRecord> Evaluations, bool StoppedEarly, string ModelPath, string MetricsPath)
{
    /// <summary>The network's parameter counts (N for scaling laws is <see cref="ModelSize.NonEmbedding"/>).</summary>
    public ModelSize? Size { get; init; }
}

/// <summary>
/// Trains a network by next-symbol prediction (cross-entropy over Σ̄, optionally label-smoothed, or the sparsemax loss) with
/// the options' optimiser (AdamW by default), warm-up plus schedule (cosine by default), dropout on the encodings, gradient clipping and,
/// optionally, bfloat16 mixed precision (<see cref="TrainingPrecision"/>). Every evaluation appends a JSON line to
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
    /// <exception cref="Formal.Errors.WorkbenchException">Label smoothing with sparsemax outputs.</exception>
    public static TrainingResult Run(
        NeuralArchitecture architecture, TrainingData data, TrainingOptions options, string outputDirectory, Device device,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        using var run = LanguageModelRun.Open(architecture, data, options, outputDirectory, device);
        TrainingLoop.Run(run.Session, run.Step, progress, cancellation);
        return run.Result();
    }

    /// <summary>
    /// One optimiser step on a batch: the mean loss per predicted symbol (EOS included), backward, clipping, the optimiser at
    /// learningRate (the session's, or <see cref="TrainingOptions.LearningRateAt(long)"/> outside one). With a mixed-precision copy
    /// the passes run on the copy and the loss in the network's precision. Returns the loss before the update.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The loss or the gradient norm is NaN or infinite.</exception>
    public static double Step(SequenceModel network, ITrainingOptimizer optimizer, SymbolBatch batch, TrainingOptions options, long step, double learningRate, MixedPrecisionCopy? copy = null) =>
        Optimise(network, optimizer, options, step, learningRate, () =>
            TensorFunctions.Loss(network.Architecture.Output, TrainingScores(copy?.Working ?? network, batch, options).to(network.DataType), batch.Targets, options.LabelSmoothing)
                .masked_select(batch.Mask).mean(), copy);

    /// <summary>
    /// The next-symbol scores of a training pass: the output layer on the encodings after the run's dropout (none in eval mode),
    /// meaningful where batch.Mask is true (<see cref="SequenceModel.Encode(SymbolBatch)"/>).
    /// </summary>
    public static Tensor TrainingScores(SequenceModel network, SymbolBatch batch, TrainingOptions options) =>
        network.Readout.forward(TrainingEncodings(network.Encode(batch), options, network.training));

    /// <summary>Encodings after the run's dropout when training (inverted dropout: kept values are scaled by 1/(1 − p)).</summary>
    public static Tensor TrainingEncodings(Tensor encodings, TrainingOptions options, bool training) =>
        options.Dropout > 0 ? nn.functional.dropout(encodings, options.Dropout, training) : encodings;

    /// <summary>
    /// One optimiser step of any objective: sets the learning rate, computes the loss (in train mode),
    /// backpropagates, clips the gradient to <see cref="TrainingOptions.ClipNorm"/> and steps. With a mixed-precision copy, the copy
    /// takes the trained weights first, the loss runs on it, and its gradients are what the trained module's optimiser steps on.
    /// Returns the loss before the update.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The loss or the gradient norm is NaN or infinite.</exception>
    public static double Optimise(nn.Module trained, ITrainingOptimizer optimizer, TrainingOptions options, long step, double learningRate, Func<Tensor> loss, MixedPrecisionCopy? copy = null)
    {
        using var scope = NewDisposeScope();
        trained.train();
        optimizer.SetLearningRate(learningRate);
        optimizer.ZeroGrad();
        if (copy is not null)
        {
            copy.Working.train();
            copy.Pull();
        }
        Tensor value = loss();
        double scalar = RequireFinite(value.ToDouble(), step);
        value.backward();
        copy?.Push();
        ClipAndStep(trained, optimizer, options, step);
        return scalar;
    }

    /// <summary>The loss of a step, refused when it is NaN or infinite.</summary>
    /// <exception cref="TrainingDivergedException">The loss is not finite.</exception>
    internal static double RequireFinite(double loss, long step) =>
        double.IsFinite(loss) ? loss : throw new TrainingDivergedException(Invariant($"the training loss is {loss} at step {step + 1}: stopped instead of training through it (lower the learning rate, or check the data)"));

    /// <summary>Clips the trained module's gradient to <see cref="TrainingOptions.ClipNorm"/> and steps the optimiser.</summary>
    /// <exception cref="TrainingDivergedException">The gradient norm is NaN or infinite.</exception>
    internal static void ClipAndStep(nn.Module trained, ITrainingOptimizer optimizer, TrainingOptions options, long step)
    {
        double norm = nn.utils.clip_grad_norm_(trained.parameters(), options.ClipNorm);
        if (!double.IsFinite(norm))
            throw new TrainingDivergedException(Invariant($"the gradient norm is {norm} at step {step + 1}: stopped instead of training through it"));
        optimizer.Step();
    }

    /// <summary>The evaluations of metrics.jsonl up to a step (later ones belong to work lost in a kill).</summary>
    public static List<EvaluationRecord> ReadEvaluations(string metricsPath, long upToStep) =>
        Training.MetricsFile.Read(metricsPath, upToStep, TrainingJsonContext.Default.EvaluationRecord, record => record.Step);
}

/// <summary>Source-generated JSON for the metric lines (camelCase, infinities as strings), so trimmed apps work too.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EvaluationRecord))]
internal sealed partial class TrainingJsonContext : JsonSerializerContext;
