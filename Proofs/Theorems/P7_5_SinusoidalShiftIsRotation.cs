using FsCheck;
using FsCheck.Fluent;
using Workbench.Neural.Layers;
using static TorchSharp.torch;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P7.5: sinusoidal positional encodings shift by rotation: P(x + k) = R_k P(x) with R_k block-diagonal
/// rotations by the angles k·ωᵢ, so ⟨P(x), P(y)⟩ = Σᵢ cos((x − y)ωᵢ) depends only on x − y.
/// </summary>
public static class P7_5_SinusoidalShiftIsRotation
{
    /// <summary>Random even widths, positions and offsets.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P7.5",
        "Sinusoidal PE: P(x + k) = R_k P(x) for a fixed block rotation R_k, and ⟨P(x), P(y)⟩ depends only on x − y.",
        "§5.3 (sinusoidal positional encodings)",
        Arb.From(
            from half in Gen.Choose(1, 16)
            from x in Gen.Choose(0, 100)
            from k in Gen.Choose(0, 100)
            select (Width: 2 * half, X: x, K: k)),
        Check,
        defaultTrials: 100);

    private static void Check((int Width, int X, int K) instance)
    {
        var (width, x, k) = instance;
        double[] Encoding(int position) => PositionalEncodings.Sinusoidal(position, 1, width, ScalarType.Float64, CPU).data<double>().ToArray();
        double[] at = Encoding(x), shifted = Encoding(x + k);
        for (int i = 0; i < width / 2; i++)
        {
            double angle = k * Math.Pow(10000, -2.0 * i / width);
            double sin = at[2 * i], cos = at[2 * i + 1];
            // (sin(a + b), cos(a + b)) = rotation by b of (sin a, cos a).
            Require.Close(shifted[2 * i], sin * Math.Cos(angle) + cos * Math.Sin(angle), 1e-12, Invariant($"sine {i} of P(x + k)"));
            Require.Close(shifted[2 * i + 1], cos * Math.Cos(angle) - sin * Math.Sin(angle), 1e-12, Invariant($"cosine {i} of P(x + k)"));
        }
        double inner = at.Zip(shifted, (a, b) => a * b).Sum();
        double closed = Enumerable.Range(0, width / 2).Sum(i => Math.Cos(k * Math.Pow(10000, -2.0 * i / width)));
        Require.Close(closed, inner, 1e-12, "⟨P(x), P(x + k)⟩ against Σᵢ cos(k·ωᵢ)");
    }
}
