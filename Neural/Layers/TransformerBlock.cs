using TorchSharp.Modules;
using Workbench.Neural.Architecture;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Neural.Layers;

/// <summary>
/// One transformer layer: causal self-attention and a ReLU feed-forward sublayer, each with a residual
/// connection, normalised before (pre-LN), after (post-LN) or not at all. Notes §5.3.
/// </summary>
public sealed class TransformerBlock : Module
{
    private readonly CausalSelfAttention attention;
    private readonly LayerNorm? attentionNorm, feedForwardNorm;
    private readonly Linear expand, contract;
    private readonly LayerNormPlacement placement;

    /// <summary>Creates a layer of the given architecture.</summary>
    public TransformerBlock(NeuralArchitecture architecture) : base(nameof(TransformerBlock))
    {
        placement = architecture.LayerNorm;
        attention = new CausalSelfAttention(architecture);
        if (placement != LayerNormPlacement.None)
        {
            attentionNorm = LayerNorm(architecture.Hidden);
            feedForwardNorm = LayerNorm(architecture.Hidden);
        }
        expand = Linear(architecture.Hidden, architecture.FeedForwardMultiplier * architecture.Hidden);
        contract = Linear(architecture.FeedForwardMultiplier * architecture.Hidden, architecture.Hidden);
        RegisterComponents();
    }

    /// <summary>The attention sublayer.</summary>
    public CausalSelfAttention Attention => attention;

    /// <summary>The two layer norms (attention first); null without normalisation.</summary>
    public (LayerNorm? Attention, LayerNorm? FeedForward) Norms => (attentionNorm, feedForwardNorm);

    /// <summary>The feed-forward weights: x ↦ contract(ReLU(expand(x))).</summary>
    public (Linear Expand, Linear Contract) FeedForward => (expand, contract);

    /// <summary>
    /// Runs the layer on x [B, T, d] at positions offset…, extending the layer's KV cache (or none). With a packing, x and the
    /// output are the [N, d] real positions of a padded batch (<see cref="CausalSelfAttention.Forward"/>).
    /// </summary>
    public AttentionResult Forward(Tensor x, long offset, KeyValueExtension? extend, PositionPacking? packing = null)
    {
        switch (placement)
        {
            case LayerNormPlacement.Pre:
                AttentionResult attended = attention.Forward(attentionNorm!.forward(x), offset, extend, packing);
                Tensor mid = x + attended.Output;
                return attended with { Output = mid + Feed(feedForwardNorm!.forward(mid)) };
            case LayerNormPlacement.Post:
                AttentionResult result = attention.Forward(x, offset, extend, packing);
                Tensor normalised = attentionNorm!.forward(x + result.Output);
                return result with { Output = feedForwardNorm!.forward(normalised + Feed(normalised)) };
            default:
                AttentionResult plain = attention.Forward(x, offset, extend, packing);
                Tensor sum = x + plain.Output;
                return plain with { Output = sum + Feed(sum) };
        }
    }

    private Tensor Feed(Tensor x) => contract.forward(expand.forward(x).relu());
}
