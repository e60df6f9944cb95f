using Workbench.Neural.Architecture;
using Workbench.Neural.Layers;
using Workbench.Neural.Models;
using static TorchSharp.torch;

namespace Workbench.Neural.Training;

/// <summary>One run of a stack: what <see cref="Trainer.Run"/> would be given, and where its progress goes.</summary>
public sealed record StackedJob(NeuralArchitecture Architecture, TrainingData Data, TrainingOptions Options, string OutputDirectory, IProgress<TrainingProgress>? Progress = null);

/// <summary>
/// Trains K independent next-symbol runs of one stackable architecture (<see cref="IStackableEncoder"/>: Elman, LSTM, GRU) as
/// one batched model: each step stacks the K networks' weights along a leading dimension, encodes the K runs' own batches in
/// one pass of batched matrix products, and backpropagates the sum of the K mean losses, so that every network gets exactly
/// its own gradient. Everything else stays per run, as <see cref="Trainer.Run"/> does it: the seeded initialisation, the data
/// order, the optimiser and its learning-rate schedule, clipping, evaluations, the best model, the checkpoint, early stopping.
/// So each step gives the numbers of the unbatched run's step (to float rounding: a batched product sums in another order;
/// over hundreds of steps a chaotic training can amplify that rounding, docs/neural.md), each run resumes from its own checkpoint, and runs need not be at the same step. A run that is done drops out of the stack.
/// Per step O(K·B·T·D²) arithmetic in O(T) operations instead of K·O(T).
/// </summary>
public static class StackedTrainer
{
    /// <summary>
    /// Why runs of this architecture with these options cannot be trained in a stack, or null when they can: the network must
    /// have a stacked encoder, and the step must draw no random numbers (dropout) and run in the weights' precision.
    /// </summary>
    public static string? Refusal(NeuralArchitecture architecture, TrainingOptions options) =>
        architecture.Kind is not (NetworkKind.Elman or NetworkKind.Lstm or NetworkKind.Gru or NetworkKind.Rnn) ? Invariant($"{architecture.Kind} networks have no stacked encoder")
        : options.Dropout > 0 ? "dropout draws random numbers in an order that a stack would change"
        : options.Precision != TrainingPrecision.Full ? "mixed precision trains through a copy of each network"
        : null;

    /// <summary>
    /// Whether a stack of this (stackable) architecture trains faster on the device than its runs one by one: on CUDA for every
    /// stackable kind, whose small steps are launch-bound there; on the CPU only for the Elman RNN, whose cell is hand-written
    /// in both paths. An LSTM, GRU or multi-layer RNN run alone steps libtorch's fused recurrence, whose time loop is C++, and the stack's
    /// dozen TorchSharp operations per time step are slower on the CPU (the seven LSTM cells of experiments/default.json:
    /// 17.6–19.7 s stacked against 7.8–11.6 s alone, 2026-12-03). O(1).
    /// </summary>
    public static bool PaysOn(NeuralArchitecture architecture, Device device) =>
        device.type == TorchSharp.DeviceType.CUDA || architecture.Kind == NetworkKind.Elman;

    /// <summary>
    /// Whether runs over alphabets of these sizes can share a stack under this output layer and label smoothing: always for
    /// softmax without smoothing (a smaller alphabet's missing scores are −∞), otherwise only for equal sizes.
    /// </summary>
    public static bool AlphabetsStack(NeuralArchitecture architecture, TrainingOptions options, int firstSize, int secondSize) =>
        firstSize == secondSize || (architecture.Output == OutputProjection.Softmax && options.LabelSmoothing == 0);

    /// <summary>Trains (or resumes) every job to its end and returns their results in order.</summary>
    /// <exception cref="ArgumentException">The jobs differ in architecture or batch size, or one of them cannot stack (<see cref="Refusal"/>).</exception>
    /// <exception cref="TrainingDivergedException">One run's loss or gradient became NaN or infinite (named by its folder; the others keep their checkpoints).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled (the last checkpoints stay).</exception>
    public static IReadOnlyList<TrainingResult> Run(IReadOnlyList<StackedJob> jobs, Device device, CancellationToken cancellation = default)
    {
        Validate(jobs);
        var runs = new List<LanguageModelRun>(jobs.Count);
        try
        {
            foreach (var job in jobs)
                runs.Add(LanguageModelRun.Open(job.Architecture, job.Data, job.Options, job.OutputDirectory, device));
            for (var active = Active(runs); active.Count > 0; active = Active(runs))
            {
                cancellation.ThrowIfCancellationRequested();
                var steps = Step(active);
                for (int i = 0; i < active.Count; i++)
                    active[i].Session.Completed(steps[i].Loss, steps[i].Symbols, jobs[runs.IndexOf(active[i])].Progress);
            }
            return [.. runs.Select(run => run.Result())];
        }
        finally
        {
            foreach (var run in runs)
                run.Dispose();
        }
    }

    private static void Validate(IReadOnlyList<StackedJob> jobs)
    {
        if (jobs.Count == 0)
            throw new ArgumentException("a stack needs at least one run", nameof(jobs));
        var first = jobs[0];
        if (Refusal(first.Architecture, first.Options) is { } reason)
            throw new ArgumentException(Invariant($"{first.OutputDirectory}: cannot train in a stack: {reason}"), nameof(jobs));
        foreach (var job in jobs)
        {
            if (job.Architecture != first.Architecture)
                throw new ArgumentException(Invariant($"{job.OutputDirectory}: a stack holds one architecture, {first.Architecture}, not {job.Architecture}"), nameof(jobs));
            if (job.Options.BatchSize != first.Options.BatchSize || job.Options.LabelSmoothing != first.Options.LabelSmoothing || Refusal(job.Architecture, job.Options) is not null)
                throw new ArgumentException(Invariant($"{job.OutputDirectory}: a stack needs one batch size and one label smoothing, and no dropout or mixed precision"), nameof(jobs));
            if (!AlphabetsStack(first.Architecture, job.Options, first.Data.Alphabet.Size, job.Data.Alphabet.Size))
                throw new ArgumentException(Invariant($"{job.OutputDirectory}: alphabets of {first.Data.Alphabet.Size} and {job.Data.Alphabet.Size} symbols stack only under softmax without label smoothing"), nameof(jobs));
        }
    }

    private static List<LanguageModelRun> Active(List<LanguageModelRun> runs) => [.. runs.Where(run => !run.Session.Done)];

    /// <summary>One optimiser step of every run, each at its own next step index, through one stacked forward and backward pass.</summary>
    private static (double Loss, int Symbols)[] Step(IReadOnlyList<LanguageModelRun> runs)
    {
        using var scope = NewDisposeScope();
        foreach (var run in runs)
        {
            run.Network.train();
            run.Optimizer.SetLearningRate(run.Session.LearningRate);
            run.Optimizer.ZeroGrad();
        }
        var batches = runs.Select(run => SymbolBatch.Create(run.Data.Batch(run.Session.NextStep, run.Options.BatchSize), run.Data.Alphabet.Eos, run.Network.Device)).ToArray();
        Tensor perRun = Losses(runs, batches);
        double[] losses = perRun.to(ScalarType.Float64).cpu().data<double>().ToArray();
        for (int i = 0; i < runs.Count; i++)
            Checked(runs[i], () => Trainer.RequireFinite(losses[i], runs[i].Session.NextStep));
        perRun.sum().backward();
        for (int i = 0; i < runs.Count; i++)
            Checked(runs[i], () => Trainer.ClipAndStep(runs[i].Network, runs[i].Optimizer, runs[i].Options, runs[i].Session.NextStep));
        return [.. losses.Zip(batches, (loss, batch) => (loss, batch.Symbols))];
    }

    /// <summary>Each run's mean loss per predicted symbol on its batch, as one [K] tensor.</summary>
    private static Tensor Losses(IReadOnlyList<LanguageModelRun> runs, SymbolBatch[] batches)
    {
        SequenceModel first = runs[0].Network;
        IStackableEncoder encoder = first.Stackable!;
        var perNetwork = runs.Select(run => run.Network.Stackable!.EncoderWeights).ToArray();
        var stacked = Enumerable.Range(0, perNetwork[0].Count).Select(i => StackedTensors.Stack([.. perNetwork.Select(w => w[i])])).ToArray();
        long longest = batches.Max(b => b.Inputs.shape[1]);
        Tensor inputs = stack(batches.Select(b => PadTime(b.Inputs, longest)), 0);
        Tensor targets = stack(batches.Select(b => PadTime(b.Targets, longest + 1)), 0);
        Tensor mask = stack(batches.Select(b => PadTime(b.Mask, longest + 1)), 0);
        Tensor encodings = encoder.EncodeStacked(stacked, inputs);
        Tensor scores = StackedTensors.Linear(encodings,
            StackedTensors.Stack([.. runs.Select(run => run.Network.Readout.weight!)]), StackedTensors.Stack([.. runs.Select(run => run.Network.Readout.bias!)]));
        long width = scores.shape[^1];
        if (runs.Any(run => run.Network.Alphabet.SizeWithEos != width))
        {
            Tensor missing = stack(runs.Select(run => arange(width, device: scores.device).ge(run.Network.Alphabet.SizeWithEos)), 0).view(runs.Count, 1, 1, width);
            scores = scores.masked_fill(missing, double.NegativeInfinity);
        }
        Tensor perPosition = TensorFunctions.Loss(first.Architecture.Output, scores, targets, runs[0].Options.LabelSmoothing);
        return perPosition.where(mask, zeros_like(perPosition)).sum([1, 2]).div(mask.sum([1, 2]).to(perPosition.dtype));
    }

    private static Tensor PadTime(Tensor batch, long length) =>
        batch.shape[1] == length ? batch : nn.functional.pad(batch, [0, length - batch.shape[1]]);

    private static void Checked(LanguageModelRun run, Action check)
    {
        try
        {
            check();
        }
        catch (TrainingDivergedException exception)
        {
            throw new TrainingDivergedException(Invariant($"{run.OutputDirectory}: {exception.Message}"));
        }
    }
}
