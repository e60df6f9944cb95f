using static TorchSharp.torch;

namespace Workbench.Neural.Layers;

/// <summary>Position-dependent vectors and rotations of the transformer (notes §5.3; P7.5).</summary>
public static class PositionalEncodings
{
    /// <summary>
    /// The sinusoidal encodings of positions [offset, offset + count): P[t, 2i] = sin(t·ωᵢ),
    /// P[t, 2i+1] = cos(t·ωᵢ) with ωᵢ = 10000^(−2i/d). Shape [count, d]. Every row has norm √(d/2)
    /// (d even), so the encodings are bounded (P7.1); P(t + k) is a block rotation of P(t) (P7.5).
    /// </summary>
    public static Tensor Sinusoidal(long offset, long count, int width, ScalarType dtype, Device device) =>
        Sinusoidal(arange(offset, offset + count, dtype: ScalarType.Float64, device: device), width, dtype);

    /// <summary>The sinusoidal encodings of arbitrary positions (any shape S, float64): shape S × [d].</summary>
    public static Tensor Sinusoidal(Tensor positions, int width, ScalarType dtype)
    {
        Tensor angles = positions.to(ScalarType.Float64).unsqueeze(-1) * Frequencies(width, positions.device);
        int pairs = (width + 1) / 2, cosines = width / 2;
        // Interleave sin (even coordinates) and cos (odd coordinates): [.., pairs, 2] flattened, cut to the width.
        Tensor cos = cat([angles.narrow(-1, 0, cosines).cos(), zeros_like(angles.narrow(-1, 0, pairs - cosines))], -1);
        return stack([angles.sin(), cos], dim: -1).flatten(-2).narrow(-1, 0, width).to(dtype);
    }

    /// <summary>
    /// The positions of randomized positional encodings (Ruoss et al. 2023) for count tokens from offset: in training, every row
    /// of the batch draws a sorted uniform subset of count distinct positions from [0, range), so short training strings see
    /// the positions of long ones; in evaluation, where a language model must be one fixed distribution, position t is
    /// ⌊t·range/longest⌋, the mean of the subset's order statistics for the longest length. Shape [rows, count].
    /// </summary>
    public static Tensor RandomizedPositions(long rows, long offset, long count, int range, int longest, bool training, Device device)
    {
        if (training && offset == 0 && count <= range)
            return rand(rows, range, device: device).argsort(-1).narrow(1, 0, count).sort(-1).Values;
        Tensor evaluation = (arange(offset, offset + count, dtype: ScalarType.Float64, device: device) * range / longest).floor();
        return evaluation.unsqueeze(0).expand(rows, count);
    }

    /// <summary>Rotates consecutive coordinate pairs of x [B, H, T, dₕ] by the angles t·ωᵢ of positions offset…offset+T−1 (RoPE).</summary>
    public static Tensor Rotary(Tensor x, long offset)
    {
        long count = x.shape[2];
        int width = (int)x.shape[3];
        Tensor positions = arange(offset, offset + count, dtype: ScalarType.Float64, device: x.device).unsqueeze(1);
        Tensor angles = (positions * Frequencies(width, x.device).unsqueeze(0)).to(x.dtype);
        Tensor cos = angles.cos(), sin = angles.sin();
        Tensor even = x[TensorIndex.Ellipsis, TensorIndex.Slice(0, null, 2)];
        Tensor odd = x[TensorIndex.Ellipsis, TensorIndex.Slice(1, null, 2)];
        return stack([even * cos - odd * sin, even * sin + odd * cos], dim: -1).flatten(-2);
    }

    /// <summary>The ALiBi slope of each head, 2^(−8(h+1)/H).</summary>
    public static double[] AlibiSlopes(int heads) =>
        Enumerable.Range(1, heads).Select(h => Math.Pow(2, -8.0 * h / heads)).ToArray();

    private static Tensor Frequencies(int width, Device device) =>
        pow(10000.0, -arange(0, width, 2, dtype: ScalarType.Float64, device: device) / width);
}
