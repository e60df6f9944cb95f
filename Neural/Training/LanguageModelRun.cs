using Workbench.Neural.Architecture;
using Workbench.Neural.Models;
using static TorchSharp.torch;

namespace Workbench.Neural.Training;

/// <summary>
/// One next-symbol training run, opened on its folder and ready to step: the network initialised from the options' seed,
/// its optimiser, the mixed-precision copy where asked, and the <see cref="TrainingSession{TRecord}"/> restored from the
/// folder's checkpoint. <see cref="Trainer.Run"/> steps one such run; <see cref="StackedTrainer"/> steps several together.
/// </summary>
public sealed class LanguageModelRun : IDisposable
{
    private readonly MixedPrecisionCopy? copy;

    private LanguageModelRun(NeuralArchitecture architecture, TrainingData data, TrainingOptions options, string outputDirectory, Device device)
    {
        options.Validated();
        if (options.LabelSmoothing > 0 && architecture.Output != OutputProjection.Softmax)
            throw new Formal.Errors.WorkbenchException("label smoothing needs softmax outputs: sparsemax gives probability 0, so log 0, to symbols off its support");
        (Data, Options, OutputDirectory) = (data, options, outputDirectory);
        ModelPath = Path.Combine(outputDirectory, Trainer.ModelFileName);
        manual_seed(options.Seed);
        Network = NetworkFactory.Create(data.Alphabet, architecture).MoveTo(device);
        Size = ModelSize.Of(Network);
        Optimizer = Optimizers.Create(Network.parameters(), options);
        copy = options.Precision == TrainingPrecision.BFloat16 ? new MixedPrecisionCopy(Network, ScalarType.BFloat16) : null;
        var objective = new TrainingObjective<EvaluationRecord>(
            Step,
            Evaluate,
            record => record.CrossEntropyPerSymbol,
            record => record.KlPerSymbol?.Value,
            record => record.Step,
            TrainingJsonContext.Default.EvaluationRecord);
        try
        {
            Session = TrainingSession<EvaluationRecord>.Open(Network, Network, Optimizer, options, objective, outputDirectory, ModelPath);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens (or resumes, where outputDirectory holds a checkpoint) the run of an architecture on data. The network is created
    /// right after <c>manual_seed(options.Seed)</c>, so a run's initial weights depend on its seed alone.
    /// </summary>
    /// <exception cref="Formal.Errors.WorkbenchException">Label smoothing with sparsemax outputs, or a checkpoint of another model.</exception>
    public static LanguageModelRun Open(NeuralArchitecture architecture, TrainingData data, TrainingOptions options, string outputDirectory, Device device) =>
        new(architecture, data, options, outputDirectory, device);

    /// <summary>The network being trained.</summary>
    public SequenceModel Network { get; }

    /// <summary>Its optimiser.</summary>
    public ITrainingOptimizer Optimizer { get; }

    /// <summary>Where the training strings come from.</summary>
    public TrainingData Data { get; }

    /// <summary>The run's knobs.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The run's folder (checkpoint, metrics.jsonl, model.wbm).</summary>
    public string OutputDirectory { get; }

    /// <summary>Where the best model is saved.</summary>
    public string ModelPath { get; }

    /// <summary>The network's parameter counts.</summary>
    public ModelSize Size { get; }

    /// <summary>Where the run stands.</summary>
    public TrainingSession<EvaluationRecord> Session { get; }

    /// <summary>One optimiser step of this run alone at a step index and rate (<see cref="Trainer.Step"/> on the step's batch): the loss and the predicted symbols.</summary>
    public (double Loss, int Symbols) Step(long step, double learningRate)
    {
        using var scope = NewDisposeScope();
        var batch = SymbolBatch.Create(Data.Batch(step, Options.BatchSize), Data.Alphabet.Eos, Network.Device);
        return (Trainer.Step(Network, Optimizer, batch, Options, step, learningRate, copy), batch.Symbols);
    }

    /// <summary>The run's outcome as it stands.</summary>
    public TrainingResult Result() =>
        new(Session.Evaluations, Session.StoppedEarly, ModelPath, Path.Combine(OutputDirectory, Trainer.MetricsFile)) { Size = Size };

    /// <inheritdoc />
    public void Dispose()
    {
        copy?.Dispose();
        Optimizer.Dispose();
        Network.Dispose();
    }

    private EvaluationRecord Evaluate(TrainingPosition position, double trainingLoss, double tokensPerSecond, double elapsed)
    {
        var measured = HeldOutEvaluation.Measure(new NeuralLanguageModel(Network), Data, Options.Seed);
        return new EvaluationRecord(position.NextStep, position.Tokens, Options.LearningRateAt(position.NextStep - 1, position.LearningRateScale), trainingLoss,
            measured.CrossEntropy, measured.StandardError, measured.PerSymbol, measured.SourceEntropy, measured.Kl, measured.KlPerSymbol,
            tokensPerSecond, elapsed, Size.TrainingFlops(position.Tokens));
    }
}
