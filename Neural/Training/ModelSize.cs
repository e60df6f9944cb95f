using Workbench.Neural.Models;

namespace Workbench.Neural.Training;

/// <summary>
/// A network's parameter count N as scaling-law work counts it (Kaplan et al. 2020): <see cref="NonEmbedding"/> leaves out
/// the symbol embeddings, the learned position table and the output layer, whose sizes follow the alphabet rather than the
/// model's width; training compute is then C ≈ 6·N·D for D training tokens (2ND forward, 4ND backward), which omits the
/// attention's O(T·d) per token and the output layer.
/// </summary>
/// <param name="Total">Every parameter.</param>
/// <param name="Embedding">The symbol embeddings, the learned positions (if any) and the output layer E, b (tied embeddings count once, in E).</param>
public sealed record ModelSize(long Total, long Embedding)
{
    /// <summary>N: the parameters outside the embeddings and the output layer.</summary>
    public long NonEmbedding => Total - Embedding;

    /// <summary>The parameters of a network. O(parameters).</summary>
    public static ModelSize Of(SequenceModel network)
    {
        long total = network.parameters().Sum(p => p.numel());
        long embedding = network.modules().Where(module => module is TorchSharp.Modules.Embedding or Layers.SymbolEmbedding).Append(network.Readout)
            .SelectMany(module => module.parameters())
            .Sum(p => p.numel());
        return new ModelSize(total, embedding);
    }

    /// <summary>C = 6·N·D: the training FLOPs of <paramref name="tokens"/> predicted symbols (EOS included).</summary>
    public double TrainingFlops(long tokens) => 6.0 * NonEmbedding * tokens;
}
