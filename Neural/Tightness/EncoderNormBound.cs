using TorchSharp;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;
using static TorchSharp.torch;

namespace Workbench.Neural.Tightness;

/// <summary>An a-priori bound B ≥ ‖enc(ω)‖₂ for every context ω, with the reason it holds (+∞ when none is known).</summary>
public sealed record NormBound(double Bound, string Reason);

/// <summary>
/// Bounds the norm of a network's encodings over all contexts, from its weights alone (notes P3.6, P6.1,
/// P7.1). Bounded activations give √D; a ReLU Elman cell is bounded when ‖U‖₂ &lt; 1 (a contraction);
/// a transformer's last layer norm maps into a ball of radius ‖γ‖_∞·√d + ‖β‖₂, whatever the positional
/// encoding and the attention did before it. O(D³) for the spectral norm, otherwise O(parameters).
/// </summary>
public static class EncoderNormBound
{
    /// <summary>The bound for a network.</summary>
    public static NormBound Of(SequenceModel network)
    {
        using var noGrad = no_grad();
        double root = Math.Sqrt(network.Architecture.Hidden);
        switch (network)
        {
            case ElmanNetwork elman:
                double initial = Norm(elman.InitialHidden);
                switch (network.Architecture.Activation)
                {
                    case Activation.Tanh:
                        return new NormBound(Math.Max(initial, root), Invariant($"|tanh| < 1, so ‖hₜ‖ ≤ √D = {root:G6} for t ≥ 1 (‖h₀‖ = {initial:G6})"));
                    case Activation.Sigmoid or Activation.Heaviside or Activation.SaturatedSigmoid:
                        return new NormBound(Math.Max(initial, root), Invariant($"the activation maps into [0, 1], so ‖hₜ‖ ≤ √D = {root:G6} for t ≥ 1 (‖h₀‖ = {initial:G6})"));
                    default:
                        double contraction = SpectralNorm(elman.Recurrence);
                        double drive = Enumerable.Range(0, network.Alphabet.Size).Max(y => Norm(elman.InputWeights[y] + elman.Bias));
                        return contraction < 1
                            ? new NormBound(Math.Max(initial, drive / (1 - contraction)), Invariant($"ReLU is 1-Lipschitz with ReLU(0) = 0 and ‖U‖₂ = {contraction:G6} < 1: ‖hₜ‖ ≤ max(‖h₀‖, max_y‖V_y + b‖/(1 − ‖U‖₂))"))
                            : new NormBound(double.PositiveInfinity, Invariant($"ReLU is unbounded and ‖U‖₂ = {contraction:G6} ≥ 1: no a-priori bound on ‖hₜ‖"));
                }
            case LibtorchRecurrentNetwork:
                return new NormBound(root, network.Architecture.Kind switch
                {
                    NetworkKind.Lstm => Invariant($"hₜ = oₜ ⊙ tanh(cₜ) has coordinates in (−1, 1): ‖hₜ‖ ≤ √D = {root:G6}"),
                    NetworkKind.Gru => Invariant($"hₜ is a convex combination of h₀ = 0 and tanh values: ‖hₜ‖ ≤ √D = {root:G6}"),
                    _ => Invariant($"hₜ = tanh(…) in every layer, with h₀ = 0: ‖hₜ‖ ≤ √D = {root:G6}"),
                });
            case MemoryRnnNetwork:
                return new NormBound(root, Invariant($"hₜ = tanh(…) has coordinates in (−1, 1) whatever the memory holds: ‖hₜ‖ ≤ √D = {root:G6}"));
            case TransformerNetwork transformer:
                var norm = transformer.FinalNorm ?? transformer.Blocks[^1].Norms.FeedForward;
                if (norm is null)
                    return Propagated(transformer);
                double gain = norm.weight is null ? 1 : norm.weight.abs().max().ToDouble();
                double shift = norm.bias is null ? 0 : Norm(norm.bias);
                return new NormBound(gain * root + shift, Invariant(
                    $"the encoder ends in a layer norm: its normalised vector has norm < √d = {root:G6}, so ‖enc‖ ≤ ‖γ‖_∞·√d + ‖β‖₂ = {gain:G6}·{root:G6} + {shift:G6}, for every position encoding and attention pattern"));
            default:
                return new NormBound(double.PositiveInfinity, Invariant($"no norm bound is known for {network.GetType().Name}"));
        }
    }

    /// <summary>
    /// The bound of a transformer without layer norm, pushed through the layers: embeddings plus bounded
    /// positional encodings; attention outputs are convex combinations of value vectors, so per layer
    /// ‖attn‖ ≤ ‖W_O‖₂·√H·(‖W_V‖₂B + ‖b_V‖) + ‖b_O‖; the ReLU feed-forward adds ‖W₂‖₂(‖W₁‖₂B + ‖b₁‖) + ‖b₂‖;
    /// residuals add up.
    /// </summary>
    private static NormBound Propagated(TransformerNetwork transformer)
    {
        NeuralArchitecture architecture = transformer.Architecture;
        double symbols = Enumerable.Range(0, (int)transformer.SymbolEmbeddings.shape[0]).Max(row => Norm(transformer.SymbolEmbeddings[row]));
        double positions = architecture.PositionalEncoding switch
        {
            PositionalEncodingKind.Sinusoidal => Math.Sqrt((architecture.Hidden + 1) / 2),
            PositionalEncodingKind.Learned => transformer.LearnedPositions!.norm(dim: 1).max().ToDouble(),
            _ => 0,
        };
        double bound = symbols + positions;
        foreach (var block in transformer.Blocks)
        {
            var (_, _, value, output) = block.Attention.Projections;
            double attention = SpectralNorm(output.weight!) * Math.Sqrt(architecture.Heads) * (SpectralNorm(value.weight!) * bound + Norm(value.bias!)) + Norm(output.bias!);
            bound += attention;
            var (expand, contract) = block.FeedForward;
            bound += SpectralNorm(contract.weight!) * (SpectralNorm(expand.weight!) * bound + Norm(expand.bias!)) + Norm(contract.bias!);
        }
        return new NormBound(bound, Invariant(
            $"no layer norm: from embeddings and positions (≤ {symbols + positions:G6}), each layer adds at most ‖W_O‖√H(‖W_V‖B + ‖b_V‖) + ‖b_O‖ (attention is a convex combination of values) and ‖W₂‖(‖W₁‖B + ‖b₁‖) + ‖b₂‖ (ReLU feed-forward) to the residual stream"));
    }

    /// <summary>‖x‖₂ of a tensor.</summary>
    public static double Norm(Tensor x) => x.to(ScalarType.Float64).norm().ToDouble();

    /// <summary>The largest singular value of a matrix.</summary>
    public static double SpectralNorm(Tensor matrix) => linalg.matrix_norm(matrix.to(ScalarType.Float64), ord: 2).ToDouble();
}
