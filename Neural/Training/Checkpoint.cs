using Workbench.Formal.IO;
using TorchSharp.Modules;
using Workbench.Automata.Formats;
using Workbench.Formal.Errors;
using Workbench.Neural.Models;
using Workbench.Neural.Storage;

namespace Workbench.Neural.Training;

/// <summary>
/// Where a training run stands: the next step, the early-stopping bookkeeping, the tokens seen and the
/// time spent, the plateau cuts of the learning rate, plus (in the file) the network's parameters and the optimiser's
/// moments. The data order and the schedule are functions of the seed and the step, so nothing else is needed to
/// continue exactly where the run stopped.
/// </summary>
/// <param name="NextStep">The index of the next optimiser step.</param>
/// <param name="BestHeldOut">The lowest held-out loss so far (+∞ before the first evaluation).</param>
/// <param name="EvaluationsSinceBest">Evaluations since the best one (early stopping's count).</param>
/// <param name="Tokens">Training symbols seen.</param>
/// <param name="ElapsedSeconds">Training time over every resumption.</param>
/// <param name="LearningRateScale">The product of the plateau cuts so far (1 without any), which multiplies the schedule's rate.</param>
/// <param name="EvaluationsOnPlateau">Evaluations without an improvement since the last improvement or cut (the plateau cut's count).</param>
public sealed record TrainingPosition(long NextStep, double BestHeldOut, int EvaluationsSinceBest, long Tokens, double ElapsedSeconds,
    double LearningRateScale = 1, int EvaluationsOnPlateau = 0)
{
    /// <summary>The position of a fresh run.</summary>
    public static TrainingPosition Start { get; } = new(0, double.PositiveInfinity, 0, 0, 0);

    /// <summary>
    /// The position after an evaluation with held-out loss heldOut: the best and the counts updated (the first evaluation
    /// always improves; then only a strictly lower loss), and the rate cut by options' factor when the plateau has lasted more
    /// than <see cref="TrainingOptions.LearningRatePatience"/> evaluations. An improvement leaves EvaluationsSinceBest at 0.
    /// </summary>
    public TrainingPosition AfterEvaluation(double heldOut, TrainingOptions options)
    {
        if (heldOut < BestHeldOut || double.IsPositiveInfinity(BestHeldOut))
            return this with { BestHeldOut = Math.Min(heldOut, BestHeldOut), EvaluationsSinceBest = 0, EvaluationsOnPlateau = 0 };
        var stalled = this with { EvaluationsSinceBest = EvaluationsSinceBest + 1, EvaluationsOnPlateau = EvaluationsOnPlateau + 1 };
        return options.LearningRatePatience > 0 && stalled.EvaluationsOnPlateau > options.LearningRatePatience
            ? stalled with { LearningRateScale = LearningRateScale * options.LearningRateDecayFactor, EvaluationsOnPlateau = 0 }
            : stalled;
    }
}

/// <summary>Reads and writes checkpoints atomically (a kill mid-write leaves the previous one).</summary>
public static class Checkpoint
{
    // Version 2 adds the plateau cuts (scale and count); version 1 files, written before them, read as uncut.
    private const string FormatTag = "workbench-checkpoint/2", FormatTagWithoutCuts = "workbench-checkpoint/1";

    /// <summary>
    /// Writes the network's header, the parameters of the module being trained (the network itself, or a recognizer
    /// built on it), the optimiser and the position to path in one rename.
    /// </summary>
    public static void Save(string path, SequenceModel network, TorchSharp.torch.nn.Module trained, ITrainingOptimizer optimizer, TrainingPosition position) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(FormatTag);
            writer.Write(position.NextStep);
            writer.Write(position.BestHeldOut);
            writer.Write(position.EvaluationsSinceBest);
            writer.Write(position.Tokens);
            writer.Write(position.ElapsedSeconds);
            writer.Write(position.LearningRateScale);
            writer.Write(position.EvaluationsOnPlateau);
            ModelFile.WriteHeader(writer, network);
            trained.save(writer);
            optimizer.Save(writer);
        });

    /// <summary>
    /// Restores the trained module's parameters and the optimiser's state from path and returns the position.
    /// The network must have the checkpoint's architecture and alphabet, and the module its saved shape.
    /// </summary>
    /// <exception cref="WorkbenchException">Not a checkpoint, damaged, or of another model.</exception>
    public static TrainingPosition Restore(string path, SequenceModel network, TorchSharp.torch.nn.Module trained, ITrainingOptimizer optimizer)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            string tag = reader.ReadString();
            if (tag != FormatTag && tag != FormatTagWithoutCuts)
                throw new WorkbenchException(Invariant($"{path}: not a training checkpoint (found tag '{tag}')"));
            var position = new TrainingPosition(reader.ReadInt64(), reader.ReadDouble(), reader.ReadInt32(), reader.ReadInt64(), reader.ReadDouble());
            if (tag == FormatTag)
                position = position with { LearningRateScale = reader.ReadDouble(), EvaluationsOnPlateau = reader.ReadInt32() };
            if (position.LearningRateScale is <= 0 or > 1 || double.IsNaN(position.LearningRateScale) || position.EvaluationsOnPlateau < 0)
                throw new WorkbenchException(Invariant($"{path}: damaged checkpoint (learning-rate scale {position.LearningRateScale}, plateau count {position.EvaluationsOnPlateau})"));
            using SequenceModel saved = ModelFile.ReadHeader(reader, path);
            if (saved.Architecture != network.Architecture || !saved.Alphabet.Symbols.SequenceEqual(network.Alphabet.Symbols))
                throw new WorkbenchException(Invariant($"{path}: the checkpoint is of {saved.Architecture} over {saved.Alphabet}, not of {network.Architecture} over {network.Alphabet}; use another output folder"));
            trained.load(reader);
            optimizer.Load(reader);
            return position;
        }
        catch (Exception exception) when (exception is EndOfStreamException or IOException or ArgumentException or InvalidOperationException)
        {
            throw new WorkbenchException(Invariant($"{path}: damaged checkpoint ({exception.Message})"), exception);
        }
    }
}
