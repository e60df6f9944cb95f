using System.Text.Json.Serialization;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;
using Workbench.Neural.Training;
using static TorchSharp.torch;

namespace Workbench.Neural.Recognition;

/// <summary>One evaluation of a recognizer's training on its validation set, written as a JSON line of metrics.jsonl.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="Tokens">Training symbols seen (EOS included).</param>
/// <param name="LearningRate">The schedule's rate at the last step.</param>
/// <param name="TrainingLoss">The mean objective since the last evaluation.</param>
/// <param name="ValidationCrossEntropy">The recognition binary cross-entropy on the validation set (what early stopping follows).</param>
/// <param name="ValidationAccuracy">The share of validation strings classified correctly.</param>
/// <param name="TokensPerSecond">Training throughput since the run (or its resumption) started.</param>
/// <param name="ElapsedSeconds">Training time so far, over every resumption.</param>
public sealed record RecognitionRecord(long Step, long Tokens, double LearningRate, double TrainingLoss, double ValidationCrossEntropy, double ValidationAccuracy,
    double TokensPerSecond, double ElapsedSeconds);

/// <summary>A recognizer's training run: its evaluations, whether it stopped early, and the saved best recognizer.</summary>
public sealed record RecognitionTrainingResult(IReadOnlyList<RecognitionRecord> Evaluations, bool StoppedEarly, string ModelPath);

/// <summary>
/// Trains a network as a recognizer (Butoi et al. 2025) on a fixed set of labelled examples: step k's batch draws
/// <see cref="TrainingOptions.BatchSize"/> examples uniformly (with replacement) from a seed mixed with k, so a resumed run sees the
/// same batches; the objective is <see cref="RecognitionLosses"/>, optimised as <see cref="Trainer"/> does (the options' optimiser,
/// warm-up, schedule and plateau cuts, clipping); evaluations on the validation set keep the recognizer with the lowest validation cross-entropy
/// (recognizer.wbm) and write the checkpoint, and patience stops the run when it plateaus.
/// </summary>
public static class RecognizerTrainer
{
    /// <summary>The saved recognizer's file name in the output folder.</summary>
    public const string ModelFileName = "recognizer" + Storage.ModelFile.Extension;

    /// <summary>Trains (or resumes) a recognizer of the architecture over alphabet into outputDirectory.</summary>
    /// <exception cref="TrainingDivergedException">The loss or gradient became NaN or infinite.</exception>
    /// <exception cref="ArgumentException">No training or no validation examples, or dropout, label smoothing or mixed precision asked for.</exception>
    public static RecognitionTrainingResult Run(
        NeuralArchitecture architecture, Formal.Symbols.Alphabet alphabet, IReadOnlyList<RecognitionExample> training, IReadOnlyList<RecognitionExample> validation,
        RecognitionLosses losses, TrainingOptions options, string outputDirectory, Device device, IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        options.Validated();
        losses.Validated();
        if (training.Count == 0 || validation.Count == 0)
            throw new ArgumentException("a recognizer needs training and validation examples");
        if (options.Dropout != 0 || options.LabelSmoothing != 0 || options.Precision != TrainingPrecision.Full)
            throw new ArgumentException("recognizer training applies neither dropout, label smoothing nor mixed precision: set dropout and label smoothing to 0 and the precision to full");
        string modelPath = Path.Combine(outputDirectory, ModelFileName);
        manual_seed(options.Seed);
        using SequenceModel network = NetworkFactory.Create(alphabet, architecture).MoveTo(device);
        using var recognizer = new RecognizerNetwork(network);
        using var optimizer = Optimizers.Create(recognizer.parameters(), options);
        var objective = new TrainingObjective<RecognitionRecord>(
            (step, learningRate) =>
            {
                using var scope = NewDisposeScope();
                var random = new Random(TrainingData.Mix(options.Seed, step));
                var examples = Enumerable.Range(0, options.BatchSize).Select(_ => training[random.Next(training.Count)]).ToArray();
                var batch = RecognitionBatch.Create(examples, alphabet.Eos, network.DataType, network.Device);
                double loss = Trainer.Optimise(recognizer, optimizer, options, step, learningRate, () =>
                    losses.Total(recognizer.Forward(batch.Strings.Inputs, batch.Lengths), batch, architecture.Output));
                return (loss, batch.Strings.Symbols);
            },
            (position, trainingLoss, tokensPerSecond, elapsed) =>
            {
                var (crossEntropy, accuracy) = Validate(recognizer, validation);
                return new RecognitionRecord(position.NextStep, position.Tokens, options.LearningRateAt(position.NextStep - 1, position.LearningRateScale), trainingLoss, crossEntropy, accuracy, tokensPerSecond, elapsed);
            },
            record => record.ValidationCrossEntropy,
            record => record.ValidationAccuracy,
            record => record.Step,
            RecognitionJsonContext.Default.RecognitionRecord);
        var (evaluations, stoppedEarly) = TrainingLoop.Run(network, recognizer, optimizer, options, objective, outputDirectory, modelPath, progress, cancellation);
        return new RecognitionTrainingResult(evaluations, stoppedEarly, modelPath);
    }

    /// <summary>The evaluations of a recognizer's metrics.jsonl.</summary>
    /// <exception cref="Formal.Errors.ParseException">A line is not a record.</exception>
    public static List<RecognitionRecord> ReadEvaluations(string metricsPath) =>
        MetricsFile.Read(metricsPath, long.MaxValue, RecognitionJsonContext.Default.RecognitionRecord, record => record.Step);

    /// <summary>Reads a recognizer saved by <see cref="Run"/> onto device.</summary>
    /// <exception cref="Formal.Errors.WorkbenchException">The file is missing or damaged.</exception>
    public static RecognizerNetwork Load(string path, Device? device = null) =>
        Storage.ModelFile.Load(path, network => new RecognizerNetwork(network), device).Module;

    /// <summary>
    /// The recognition cross-entropy (the mean of log(1 + e^(∓z)), in float64 from the logits) and the accuracy of a recognizer
    /// on labelled examples.
    /// </summary>
    public static (double CrossEntropy, double Accuracy) Validate(RecognizerNetwork recognizer, IReadOnlyList<RecognitionExample> examples)
    {
        double[] logits = recognizer.Logits([.. examples.Select(e => e.Symbols)]);
        // log(1 + e^x) without overflow: max(x, 0) + log(1 + e^(−|x|)).
        static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));
        double crossEntropy = examples.Select((e, i) => Softplus(e.Positive ? -logits[i] : logits[i])).Average();
        double accuracy = examples.Where((e, i) => (logits[i] >= 0) == e.Positive).Count() / (double)examples.Count;
        return (crossEntropy, accuracy);
    }
}

/// <summary>Source-generated JSON for the recognition metric lines (camelCase, infinities as strings).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RecognitionRecord))]
internal sealed partial class RecognitionJsonContext : JsonSerializerContext;
