using static TorchSharp.torch;

namespace Workbench.Neural.Layers;

/// <summary>
/// The real positions of a right-padded batch [B, T], as row indices into its B·T positions: <see cref="Pack"/> keeps the
/// rows of the real positions ([B, T, w] → [N, w]) and <see cref="Unpack"/> puts them back with zeros at the padding
/// ([N, w] → [B, T, w]). Both are differentiable, so the position-wise sublayers of a transformer (layer norms, projections,
/// feed-forward) can run on the N real positions of a training batch instead of all B·T: held-out and training batches of
/// geometric-like lengths are two-thirds padding. O(N·w) each.
/// </summary>
public sealed class PositionPacking
{
    private readonly Tensor rows;

    /// <summary>The packing of the positions that real [B, T] (bool) marks.</summary>
    public PositionPacking(Tensor real)
    {
        (Batch, Positions) = (real.shape[0], real.shape[1]);
        rows = real.reshape(-1).nonzero().squeeze(1);
    }

    /// <summary>B, the strings of the batch.</summary>
    public long Batch { get; }

    /// <summary>T, the padded positions of each string.</summary>
    public long Positions { get; }

    /// <summary>The rows of the real positions of padded [B, T, w]: [N, w].</summary>
    public Tensor Pack(Tensor padded) => padded.reshape(Batch * Positions, padded.shape[^1]).index_select(0, rows);

    /// <summary>packed [N, w] at its positions of a [B, T, w] tensor that is zero at the padding.</summary>
    public Tensor Unpack(Tensor packed) =>
        zeros(Batch * Positions, packed.shape[^1], dtype: packed.dtype, device: packed.device).index_copy(0, rows, packed).view(Batch, Positions, packed.shape[^1]);
}
