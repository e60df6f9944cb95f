using static TorchSharp.torch;

namespace Workbench.Neural.Models;

/// <summary>
/// The capability of a network shape to encode for K independent networks at once: their encoder weights stacked along a
/// new leading dimension, their strings as one [K, B, T] tensor, batched matrix products in place of K forward passes.
/// Row k of the result is, to float rounding, what network k's own <see cref="SequenceModel.Encode(Tensor)"/> gives on row k of the
/// symbols, and the gradients flow back into each network's own parameters. Networks whose alphabets differ in size stack
/// with their input tables zero-padded to the largest (an id of network k is below its own |Σ|, so padded rows are never read).
/// </summary>
public interface IStackableEncoder
{
    /// <summary>The encoder's weights (everything but the output layer) in the order <see cref="EncodeStacked"/> takes them stacked.</summary>
    IReadOnlyList<Tensor> EncoderWeights { get; }

    /// <summary>
    /// Encodings [K, B, T+1, D] of symbols [K, B, T] under K networks of this network's architecture, given their
    /// <see cref="EncoderWeights"/> stacked entry by entry into [K, …] (input tables padded to a common row count).
    /// O(K·B·T·D²) arithmetic in O(T) batched operations.
    /// </summary>
    Tensor EncodeStacked(IReadOnlyList<Tensor> stackedWeights, Tensor symbols);
}

/// <summary>The pieces the stacked encoders share.</summary>
public static class StackedTensors
{
    /// <summary>
    /// Stacks same-role tensors of K networks along a new leading dimension, zero-padding each to the largest size in every
    /// dimension (only input tables and output layers of alphabets of different sizes differ). Differentiable. O(K·size).
    /// </summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors)
    {
        long[] largest = [.. Enumerable.Range(0, (int)tensors[0].dim()).Select(d => tensors.Max(t => t.shape[d]))];
        return stack(tensors.Select(t => Padded(t, largest)), dim: 0);
    }

    /// <summary>Rows of stacked tables [K, R, D] picked by ids [K, …] (row ids[k, …] of table k): [K, …, D]. O(K·|ids|·D).</summary>
    public static Tensor Lookup(Tensor tables, Tensor ids)
    {
        long count = tables.shape[0], rows = tables.shape[1], width = tables.shape[2];
        Tensor offsets = arange(count, dtype: ScalarType.Int64, device: ids.device).mul(rows).view([count, .. Enumerable.Repeat(1L, (int)ids.dim() - 1)]);
        Tensor flat = ids.add(offsets).reshape(-1);
        return tables.reshape(count * rows, width).index_select(0, flat).view([.. ids.shape, width]);
    }

    /// <summary>x W_kᵀ + b_k for every k: inputs [K, …, In], weights [K, Out, In], biases [K, Out]: [K, …, Out].</summary>
    public static Tensor Linear(Tensor inputs, Tensor weights, Tensor biases)
    {
        Tensor flat = inputs.reshape(inputs.shape[0], -1, inputs.shape[^1]);
        return flat.bmm(weights.transpose(1, 2)).add(biases.unsqueeze(1)).view([.. inputs.shape[..^1], weights.shape[1]]);
    }

    private static Tensor Padded(Tensor tensor, long[] shape)
    {
        if (tensor.shape.SequenceEqual(shape))
            return tensor;
        // F.pad takes (before, after) pairs from the last dimension back.
        long[] padding = [.. Enumerable.Range(0, shape.Length).Reverse().SelectMany(d => new[] { 0L, shape[d] - tensor.shape[d] })];
        return nn.functional.pad(tensor, padding);
    }
}
