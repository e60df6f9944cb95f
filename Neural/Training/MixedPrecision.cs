using TorchSharp;
using Workbench.Neural.Models;
using static TorchSharp.torch;

namespace Workbench.Neural.Training;

/// <summary>The arithmetic of training's forward and backward passes.</summary>
public enum TrainingPrecision
{
    /// <summary>The network's own precision (float32, or float64 for <c>dtype=float64</c>).</summary>
    Full,

    /// <summary>
    /// Mixed precision (Micikevicius et al. 2018) in bfloat16 (Kalamkar et al. 2019): the forward and backward passes run on a
    /// bfloat16 copy of the network, while the weights, the optimiser's state and the update stay in the network's precision, as
    /// does the loss (scores are cast up before the log-softmax). bfloat16 keeps float32's exponent range, so no loss scaling is needed.
    /// </summary>
    BFloat16,
}

/// <summary>
/// The low-precision working copy of a network for mixed-precision training: <see cref="Pull"/> casts the master weights into it,
/// the caller's loss runs and backpropagates on <see cref="Working"/>, and <see cref="Push"/> casts its gradients back onto the
/// master's parameters, which the optimiser then updates. Building the copy leaves libtorch's generator as it found it, so a
/// mixed-precision run draws the same initialisation, dropout masks and positions as a full-precision run of the same seed.
/// O(parameters) per pull and per push.
/// </summary>
public sealed class MixedPrecisionCopy : IDisposable
{
    private readonly (Tensor Master, Tensor Working)[] parameters;

    /// <summary>A copy of master in precision (its buffers copied now; its weights at every <see cref="Pull"/>, which must precede its first use).</summary>
    public MixedPrecisionCopy(SequenceModel master, ScalarType precision)
    {
        ArgumentNullException.ThrowIfNull(master);
        Tensor generator = random.get_rng_state();
        Working = NetworkFactory.Create(master.Alphabet, master.Architecture);
        random.set_rng_state(generator);
        Working.to(precision);
        Working.MoveTo(master.Device);
        parameters = [.. Pairs(master.named_parameters().Select(Named), Working.named_parameters().Select(Named))];
        using (no_grad())
        {
            foreach (var (masterBuffer, workingBuffer) in Pairs(master.named_buffers(), Working.named_buffers()))
                workingBuffer.copy_(masterBuffer);
        }
    }

    /// <summary>The copy the loss runs on.</summary>
    public SequenceModel Working { get; }

    /// <summary>Sets the copy's weights to the master's, rounded to the copy's precision, and clears the copy's gradients.</summary>
    public void Pull()
    {
        using var noGrad = no_grad();
        foreach (var (master, working) in parameters)
        {
            working.copy_(master);
            working.grad = null;
        }
    }

    /// <summary>Sets each master parameter's gradient to the copy's, in the master's precision (zero where the copy has none).</summary>
    public void Push()
    {
        using var noGrad = no_grad();
        foreach (var (master, working) in parameters)
            master.grad = working.grad is { } gradient ? gradient.to(master.dtype) : zeros_like(master);
    }

    /// <inheritdoc />
    public void Dispose() => Working.Dispose();

    private static (string Name, Tensor Value) Named((string Name, TorchSharp.Modules.Parameter Value) parameter) => (parameter.Name, parameter.Value);

    private static IEnumerable<(Tensor Master, Tensor Working)> Pairs(IEnumerable<(string Name, Tensor Value)> master, IEnumerable<(string Name, Tensor Value)> working) =>
        master.Zip(working, (m, w) => m.Name == w.Name
            ? (m.Value, w.Value)
            : throw new InvalidOperationException(Invariant($"the working copy's '{w.Name}' does not line up with the network's '{m.Name}'")));
}
