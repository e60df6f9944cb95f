using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Numerics;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>P3.7: H(p, q) = H(p) + KL(p ‖ q) ≥ H(p), with equality iff q = p.</summary>
public static class P3_7_GibbsInequality
{
    /// <summary>Checked on two LMs over one finite support, summing over the strings, with Pinsker's bound for "iff".</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P3.7",
        "Cross-entropy decomposes as H(p, q) = H(p) + KL(p ‖ q) ≥ H(p), with equality iff q = p (quantitatively: KL ≥ ½‖p − q‖₁², Pinsker).",
        "§3.2 (cross-entropy and KL divergence)",
        Arb.From(Tables.WithAlternativeWeights()),
        Check);

    private static void Check((TableInstance Table, int[] OtherWeights) instance)
    {
        var p = instance.Table.Model();
        var q = instance.Table.ModelWith(instance.OtherWeights);
        var pStrings = instance.Table.Strings.Select(s => Math.Exp(p.LogProbability(s))).ToArray();
        var qStrings = instance.Table.Strings.Select(s => Math.Exp(q.LogProbability(s))).ToArray();

        var entropy = -instance.Table.Strings.Sum(s => Math.Exp(p.LogProbability(s)) * p.LogProbability(s));
        var crossEntropy = -instance.Table.Strings.Sum(s => Math.Exp(p.LogProbability(s)) * q.LogProbability(s));
        var kl = DiscreteDistributions.KullbackLeibler(pStrings, qStrings);
        Require.Close(p.Entropy().Value, entropy, 1e-12, "H(p) as reported by the model vs summed over its strings");
        Require.Close(entropy + kl, crossEntropy, 1e-12, "H(p, q) = H(p) + KL(p ‖ q)");
        Require.AtMost(entropy, crossEntropy, 1e-12, "H(p) ≤ H(p, q)");
        var l1 = pStrings.Zip(qStrings, (a, b) => Math.Abs(a - b)).Sum();
        Require.AtMost(l1 * l1 / 2, kl, 1e-12, "Pinsker: ½‖p − q‖₁² ≤ KL(p ‖ q)");
        Require.Close(0, DiscreteDistributions.KullbackLeibler(pStrings, pStrings), 1e-15, "KL(p ‖ p)");
    }
}
