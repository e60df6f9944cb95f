using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Numerics;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>P3.13: the cross-entropy against label-smoothed targets is (1 − α)·CE(data) + α·CE(uniform, model).</summary>
public static class P3_13_LabelSmoothing
{
    /// <summary>Checked on random model distributions, targets and smoothing weights.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P3.13",
        "Label smoothing: the cross-entropy with smoothed targets (1 − α)·e_y + α·u equals (1 − α)·(−log q_y) + α·H(u, q).",
        "§3.2 (regularisation: label smoothing)",
        Arb.From(
            from q in Vectors.Distributions(2, 10, allowZeros: false).Generator
            from target in Gen.Choose(0, q.Length - 1)
            from alpha in Numbers.Between(0, 1)
            select (q, target, alpha)),
        Check);

    private static void Check((double[] Q, int Target, double Alpha) instance)
    {
        var (q, target, alpha) = instance;
        var logQ = q.Select(x => Math.Log(x)).ToArray();
        var uniform = Enumerable.Repeat(1.0 / q.Length, q.Length).ToArray();
        var expected = (1 - alpha) * -logQ[target] + alpha * DiscreteDistributions.CrossEntropy(uniform, q);
        Require.Close(expected, DiscreteDistributions.SmoothedCrossEntropy(logQ, target, alpha), 1e-12, "smoothed cross-entropy");
    }
}
