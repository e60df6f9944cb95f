using Workbench.Neural.Architecture;
using static TorchSharp.torch;

namespace Workbench.Neural.Layers;

/// <summary>The elementwise and simplex maps the networks use, on tensors (differentiable where the math is).</summary>
public static class TensorFunctions
{
    /// <summary>Applies an Elman nonlinearity elementwise. Heaviside is H(x) = [x &gt; 0] (gradient zero).</summary>
    public static Tensor Apply(Activation activation, Tensor x) => activation switch
    {
        Activation.Tanh => x.tanh(),
        Activation.Sigmoid => x.sigmoid(),
        Activation.Relu => x.relu(),
        Activation.Heaviside => x.gt(PinnedScalars.Zero).to(x.dtype),
        Activation.SaturatedSigmoid => x.clamp(PinnedScalars.Zero, PinnedScalars.One),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
    };

    /// <summary>
    /// sparsemax along the last dimension: the Euclidean projection onto the simplex, max(x − τ, 0) with
    /// the threshold τ chosen so that the entries sum to one. O(n log n) per row (one sort). Notes §3.1 (D3.2).
    /// </summary>
    public static Tensor Sparsemax(Tensor scores) => Sparsemax(scores, out _);

    /// <summary>sparsemax along the last dimension, also returning the threshold τ (shape of scores with the last dimension 1).</summary>
    public static Tensor Sparsemax(Tensor scores, out Tensor threshold)
    {
        long n = scores.shape[^1];
        Tensor sorted = scores.sort(dim: -1, descending: true).Values;
        Tensor ranks = arange(1, n + 1, dtype: scores.dtype, device: scores.device);
        Tensor cumulative = sorted.cumsum(-1);
        Tensor inSupport = (ranks * sorted + 1).gt(cumulative);
        Tensor supportSize = inSupport.sum(-1, keepdim: true, type: ScalarType.Int64);
        Tensor supportSum = cumulative.gather(-1, supportSize - 1);
        threshold = (supportSum - 1) / supportSize.to(scores.dtype);
        return (scores - threshold).clamp_min(0);
    }

    /// <summary>
    /// log of the output distribution over Σ̄ for scores along the last dimension: log-softmax, or the log of
    /// sparsemax (−∞ on the zeros).
    /// </summary>
    public static Tensor LogProbabilities(OutputProjection projection, Tensor scores) => projection switch
    {
        OutputProjection.Softmax => scores.log_softmax(-1),
        OutputProjection.Sparsemax => Sparsemax(scores).log(),
        _ => throw new ArgumentOutOfRangeException(nameof(projection), projection, null),
    };

    /// <summary>
    /// The training loss per position for targets (shape of scores without the last dimension): the
    /// negative log-likelihood for softmax; for sparsemax, whose log-likelihood is −∞ off the support,
    /// the sparsemax loss −z_y + ½Σ_{j∈S}(z_j² − τ²) + ½ (Martins &amp; Astudillo 2016), which is zero
    /// exactly when sparsemax puts all mass on y.
    /// </summary>
    public static Tensor Loss(OutputProjection projection, Tensor scores, Tensor targets) => Loss(projection, scores, targets, 0);

    /// <summary>
    /// The training loss per position with label smoothing ε: for softmax, the cross-entropy against (1 − ε)·onehot(y) + ε/|Σ̄|,
    /// i.e. (1 − ε)·(−log q_y) + ε·mean_a(−log q_a); ε = 0 is <see cref="Loss(OutputProjection, Tensor, Tensor)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Label smoothing with sparsemax outputs, whose log-probabilities are −∞ off the support.</exception>
    public static Tensor Loss(OutputProjection projection, Tensor scores, Tensor targets, double labelSmoothing)
    {
        Tensor index = targets.unsqueeze(-1);
        if (projection == OutputProjection.Softmax)
        {
            Tensor logProbabilities = scores.log_softmax(-1);
            Tensor nll = -logProbabilities.gather(-1, index).squeeze(-1);
            return labelSmoothing == 0 ? nll : (1 - labelSmoothing) * nll - labelSmoothing * logProbabilities.mean([-1]);
        }
        if (labelSmoothing != 0)
            throw new ArgumentException("label smoothing needs softmax outputs: sparsemax gives probability 0, so log 0, to symbols off its support");
        Tensor probabilities = Sparsemax(scores, out Tensor threshold);
        Tensor support = probabilities.gt(0).to(scores.dtype);
        Tensor quadratic = (support * (scores.square() - threshold.square())).sum(-1);
        return -scores.gather(-1, index).squeeze(-1) + 0.5 * quadratic + 0.5;
    }
}
