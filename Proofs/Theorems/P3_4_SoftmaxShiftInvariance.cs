using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Numerics;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>P3.4: softmax is invariant to adding a constant to every score, but not to scaling them.</summary>
public static class P3_4_SoftmaxShiftInvariance
{
    /// <summary>Shifts by c ∈ [−100, 100] change nothing; scalings by s ∉ (0.6, 1.5) change a non-constant vector.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P3.4",
        "Softmax is shift invariant, softmax(x + c·1) = softmax(x), but not scale invariant: softmax(s·x) ≠ softmax(x) for non-constant x and s ≠ 1.",
        "§3.1 (properties of softmax)",
        Arb.From(
            from x in Vectors.Logits(2, 8, 5).Generator.Where(v => v.Max() - v.Min() >= 0.5)
            from c in Numbers.Between(-100, 100)
            from s in Gen.OneOf(Numbers.Between(0.05, 0.6), Numbers.Between(1.5, 4))
            select (x, c, s)),
        Check);

    private static void Check((double[] X, double C, double S) instance)
    {
        var (x, c, s) = instance;
        var original = Softmax.Probabilities(x);
        var shifted = Softmax.Probabilities(x.Select(v => v + c).ToArray());
        for (var i = 0; i < x.Length; i++)
            Require.Close(original[i], shifted[i], 1e-12, $"softmax(x + {c})[{i}]");
        var scaled = Softmax.Probabilities(x.Select(v => v * s).ToArray());
        var difference = original.Zip(scaled, (a, b) => Math.Abs(a - b)).Max();
        Require.That(difference > 1e-6, $"softmax({s}·x) equals softmax(x) up to {difference:G3}, though x is not constant");
    }
}
