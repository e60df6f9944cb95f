using TorchSharp.Modules;
using Workbench.Neural.Architecture;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Neural.Layers;

/// <summary>The output of one attention call: the sublayer output, the keys and values of all positions so far, and the weights.</summary>
/// <param name="Output">[B, T, d].</param>
/// <param name="Keys">[B, H_kv, T_past + T, dₕ], rotated when RoPE is used: every visible key after this call.</param>
/// <param name="Values">[B, H_kv, T_past + T, dₕ].</param>
/// <param name="Weights">[B, H, T, T_past + T]: rows are distributions over the visible positions (P7.2).</param>
public sealed record AttentionResult(Tensor Output, Tensor Keys, Tensor Values, Tensor Weights);

/// <summary>
/// Joins the keys and values of new positions ([B, H_kv, T, dₕ] each) to those of the earlier positions
/// and returns all of them: how an incremental pass reaches its KV cache.
/// </summary>
public delegate (Tensor Keys, Tensor Values) KeyValueExtension(Tensor newKeys, Tensor newValues);

/// <summary>
/// Causal multi-head self-attention with soft, hard (argmax, ties averaged) or sparsemax weights, RoPE or
/// ALiBi where chosen, and multi-query / grouped-query key-value sharing. The same code serves the full
/// forward pass and the incremental one (queries at positions offset…, keys from the cache plus the new
/// positions), so incremental decoding equals recomputation. O(T·T_k·d) per call. Notes §5.3.
/// </summary>
public sealed class CausalSelfAttention : Module
{
    private readonly Linear query, key, value, output;
    private readonly int heads, keyValueHeads, headSize;
    private readonly AttentionKind kind;
    private readonly PositionalEncodingKind positional;
    private readonly double[] alibiSlopes;

    /// <summary>Creates the layer for an architecture (width, heads, attention and positional kinds).</summary>
    public CausalSelfAttention(NeuralArchitecture architecture) : base(nameof(CausalSelfAttention))
    {
        heads = architecture.Heads;
        keyValueHeads = architecture.KeyValueHeads;
        headSize = architecture.Hidden / heads;
        kind = architecture.Attention;
        positional = architecture.PositionalEncoding;
        alibiSlopes = PositionalEncodings.AlibiSlopes(heads);
        query = Linear(architecture.Hidden, architecture.Hidden);
        key = Linear(architecture.Hidden, keyValueHeads * headSize);
        value = Linear(architecture.Hidden, keyValueHeads * headSize);
        output = Linear(architecture.Hidden, architecture.Hidden);
        RegisterComponents();
    }

    /// <summary>The query, key, value and output projections (for constructions and norm bounds).</summary>
    public (Linear Query, Linear Key, Linear Value, Linear Output) Projections => (query, key, value, output);

    /// <summary>
    /// Attends from x [B, T, d] at positions offset… to the earlier positions (through extend, which adds
    /// the new keys and values to a cache; none for a full pass from position 0) and to x itself. With a packing, x is the
    /// [N, d] real positions of a padded batch and so is the output: the projections run on them alone and the attention on
    /// the padded layout, zero at the padding, which no real position attends to (every position before a real one is real).
    /// </summary>
    public AttentionResult Forward(Tensor x, long offset, KeyValueExtension? extend, PositionPacking? packing = null)
    {
        long batch = packing?.Batch ?? x.shape[0], count = packing?.Positions ?? x.shape[1];
        Tensor Split(Linear projection, int headCount) =>
            (packing is null ? projection.forward(x) : packing.Unpack(projection.forward(x))).view(batch, count, headCount, headSize).transpose(1, 2);
        Tensor q = Split(query, heads);
        Tensor k = Split(key, keyValueHeads);
        Tensor v = Split(value, keyValueHeads);
        if (positional == PositionalEncodingKind.Rotary)
        {
            q = PositionalEncodings.Rotary(q, offset);
            k = PositionalEncodings.Rotary(k, offset);
        }
        if (extend is not null)
            (k, v) = extend(k, v);
        long keyCount = k.shape[2];
        Tensor sharedKeys = heads == keyValueHeads ? k : k.repeat_interleave(heads / keyValueHeads, dim: 1);
        Tensor sharedValues = heads == keyValueHeads ? v : v.repeat_interleave(heads / keyValueHeads, dim: 1);
        // Soft attention scales the queries, T_k times fewer numbers than the scores; hard and sparse attention scale the
        // scores, so that ties of exact dot products (which constructions rely on) stay ties whatever √dₕ is.
        Tensor scores = kind == AttentionKind.Soft
            ? (q * (1 / Math.Sqrt(headSize))).matmul(sharedKeys.transpose(-2, -1))
            : q.matmul(sharedKeys.transpose(-2, -1)) / Math.Sqrt(headSize);
        Tensor distance = arange(offset, offset + count, device: x.device).unsqueeze(1) - arange(0, keyCount, device: x.device).unsqueeze(0);
        if (positional == PositionalEncodingKind.Alibi)
        {
            Tensor slopes = tensor(alibiSlopes, dtype: x.dtype, device: x.device).view(1, heads, 1, 1);
            scores = scores - slopes * distance.clamp_min(0).to(x.dtype);
        }
        Tensor hidden = distance.lt(0);
        Tensor weights = Weights(scores, hidden);
        Tensor attended = weights.matmul(sharedValues).transpose(1, 2).reshape(batch, count, heads * headSize);
        return new AttentionResult(output.forward(packing is null ? attended : packing.Pack(attended)), k, v, weights);
    }

    private Tensor Weights(Tensor scores, Tensor hidden)
    {
        switch (kind)
        {
            case AttentionKind.Soft:
                return scores.masked_fill(hidden, double.NegativeInfinity).softmax(-1);
            case AttentionKind.Hard:
                Tensor masked = scores.masked_fill(hidden, double.NegativeInfinity);
                Tensor maxima = masked.eq(masked.amax([-1], keepdim: true)).to(scores.dtype);
                return maxima / maxima.sum(-1, keepdim: true);
            case AttentionKind.Sparsemax:
                return TensorFunctions.Sparsemax(scores.masked_fill(hidden, -1e30));
            default:
                throw new InvalidOperationException(Invariant($"attention kind {kind}"));
        }
    }
}
