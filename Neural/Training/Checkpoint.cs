using Workbench.Formal.IO;
using TorchSharp.Modules;
using Workbench.Automata.Formats;
using Workbench.Formal.Errors;
using Workbench.Neural.Models;
using Workbench.Neural.Storage;

namespace Workbench.Neural.Training;

/// <summary>
/// Where a training run stands: the next step, the early-stopping bookkeeping, the tokens seen and the
/// time spent, plus (in the file) the network's parameters and the optimiser's moments. The data order
/// and the learning-rate schedule are functions of the seed and the step, so nothing else is needed to
/// continue exactly where the run stopped.
/// </summary>
public sealed record TrainingPosition(long NextStep, double BestHeldOut, int EvaluationsSinceBest, long Tokens, double ElapsedSeconds)
{
    /// <summary>The position of a fresh run.</summary>
    public static TrainingPosition Start { get; } = new(0, double.PositiveInfinity, 0, 0, 0);
}

/// <summary>Reads and writes checkpoints atomically (a kill mid-write leaves the previous one).</summary>
public static class Checkpoint
{
    private const string FormatTag = "workbench-checkpoint/1";

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
            if (tag != FormatTag)
                throw new WorkbenchException(Invariant($"{path}: not a training checkpoint (found tag '{tag}')"));
            var position = new TrainingPosition(reader.ReadInt64(), reader.ReadDouble(), reader.ReadInt32(), reader.ReadInt64(), reader.ReadDouble());
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
