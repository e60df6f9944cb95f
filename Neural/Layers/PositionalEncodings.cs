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
    public static Tensor Sinusoidal(long offset, long count, int width, ScalarType dtype, Device device)
    {
        Tensor positions = arange(offset, offset + count, dtype: ScalarType.Float64, device: device).unsqueeze(1);
        Tensor angles = positions * Frequencies(width, device).unsqueeze(0);
        Tensor encodings = zeros(count, width, dtype: ScalarType.Float64, device: device);
        int pairs = (width + 1) / 2;
        encodings.index_copy_(1, arange(0, 2 * pairs, 2, device: device), angles.sin());
        int cosines = width / 2;
        encodings.index_copy_(1, arange(1, 2 * cosines, 2, device: device), angles.narrow(1, 0, cosines).cos());
        return encodings.to(dtype);
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
