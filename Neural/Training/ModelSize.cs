using Workbench.Neural.Architecture;
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

    /// <summary>
    /// The analytic forward FLOPs per token (a multiply-add is 2) of an architecture with the given number of outputs (|Σ̄|),
    /// at a context of the given length, in three parts: the layers' matrix products (LSTM 16·D², GRU 12·D² and the multi-layer tanh RNN 4·D² per layer;
    /// Elman 2·D², its input a row lookup; a stack or tape RNN 2·D² + 4·D·m + 2·D·actions; a nondeterministic stack RNN
    /// 2·D² + 2·D·P·(2P + |Q| + 1); a transformer 8·d² + 4·f·d² per
    /// layer for a feed-forward multiple f), which 2·N counts up to the biases; the output layer 2·D·|Σ̄|; and the work
    /// without parameters, which C = 6ND leaves out: attention over the positions (4·T·d per layer) and the memory's soft
    /// updates (the nondeterministic stack's dynamic programme). O(1).
    /// </summary>
    public static (double Layers, double Output, double Unparameterised) ForwardFlopsPerToken(NeuralArchitecture architecture, int outputs, int positions)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        double d = architecture.Hidden, m = architecture.StackCell, cells = architecture.StackDepth, configurations = architecture.StackConfigurations, window = Math.Min(architecture.StackWindow + 1.0, positions + 1.0);
        return (architecture.Kind switch
        {
            NetworkKind.Lstm => architecture.Layers * 16 * d * d,
            NetworkKind.Gru => architecture.Layers * 12 * d * d,
            NetworkKind.Rnn => architecture.Layers * 4 * d * d,
            NetworkKind.Elman => 2 * d * d,
            NetworkKind.StackRnn => 2 * d * d + 4 * d * m + 2 * d * 3,
            NetworkKind.TapeRnn => 2 * d * d + 4 * d * m + 2 * d * 4,
            NetworkKind.NsRnn => 2 * d * d + 2 * d * configurations * (2 * configurations + architecture.StackStates + 1),
            _ => architecture.Layers * (8 * d * d + 4 * d * d * architecture.FeedForwardMultiplier),
        }, 2 * d * outputs, architecture.Kind switch
        {
            NetworkKind.StackRnn => 6 * cells * m,
            NetworkKind.TapeRnn => 7 * cells * m,
            // Per step over the S = min(W, T + 1) kept steps: replacements S·P³, pops S·P²·|Q| + S²·P³ (block-diagonal over the
            // kept symbol), forward weights S·P² (multiply-adds).
            NetworkKind.NsRnn => 2 * window * configurations * configurations * (configurations + 1 + architecture.StackStates + window * configurations),
            NetworkKind.Transformer => architecture.Layers * 4.0 * positions * d,
            _ => 0,
        });
    }
}
