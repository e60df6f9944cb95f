using FsCheck;
using FsCheck.Fluent;
using Workbench.Proofs.Generators;
using static TorchSharp.torch;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P7.6: layer normalisation (before its affine part) outputs mean 0 and variance 1, and is invariant
/// to positive affine rescaling x ↦ a·x + c, a &gt; 0, of its input (with ε = 0).
/// </summary>
public static class P7_6_LayerNorm
{
    /// <summary>Random vectors, scales and shifts through libtorch's layer norm.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P7.6",
        "Layer norm without its affine part gives mean 0 and variance 1 and is invariant to x ↦ a·x + c for a > 0.",
        "§5.3 (layer normalisation)",
        Arb.From(
            from width in Gen.Choose(2, 32)
            from values in Gen.ArrayOf(Numbers.Between(-10, 10), width)
            from scale in Numbers.Between(0.01, 100)
            from shift in Numbers.Between(-100, 100)
            where values.Max() - values.Min() > 1e-3
            select (values, scale, shift)),
        Check,
        defaultTrials: 100);

    private static void Check((double[] Values, double Scale, double Shift) instance)
    {
        var (values, scale, shift) = instance;
        long[] shape = [values.Length];
        double[] Normalise(double[] x) => nn.functional.layer_norm(tensor(x, dtype: ScalarType.Float64), shape, eps: 0).data<double>().ToArray();
        double[] normalised = Normalise(values);
        double mean = normalised.Average();
        Require.Close(0, mean, 1e-12, "the mean of LN(x)");
        Require.Close(1, normalised.Sum(v => (v - mean) * (v - mean)) / values.Length, 1e-12, "the (population) variance of LN(x)");
        double[] rescaled = Normalise(values.Select(v => scale * v + shift).ToArray());
        for (int i = 0; i < values.Length; i++)
            Require.Close(normalised[i], rescaled[i], 1e-9, Invariant($"coordinate {i} of LN(a·x + c) against LN(x)"));
    }
}
