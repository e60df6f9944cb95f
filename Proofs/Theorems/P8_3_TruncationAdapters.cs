using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Adapters;
using Workbench.Formal.Numerics;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P8.3: top-k and nucleus sampling restrict p to a set S and renormalise, q = p·1_S/p(S), hence
/// KL(q ‖ p) = −log p(S); the nucleus is the shortest high-probability prefix reaching mass π and grows with π.
/// </summary>
public static class P8_3_TruncationAdapters
{
    /// <summary>Checked on random distributions (zeros allowed), k and nucleus masses π₁ ≤ π₂.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P8.3",
        "Top-k and top-p restrict p to a set S and renormalise (q = p·1_S/p(S)), so KL(q ‖ p) = −log p(S); top-p keeps the shortest prefix of the sorted order with mass ≥ π, monotone in π.",
        "lecture on decoding (sampling adapters; notes Part 3)",
        Arb.From(
            from p in Vectors.Distributions(2, 10, allowZeros: true).Generator
            from k in Gen.Choose(1, 10)
            from first in Numbers.Between(0.01, 1)
            from second in Numbers.Between(0.01, 1)
            select (p, k, Math.Min(first, second), Math.Max(first, second))),
        Check);

    private static void Check((double[] P, int K, double Low, double High) instance)
    {
        var (p, k, low, high) = instance;
        var logP = p.Select(x => Math.Log(x)).ToArray();

        var topK = new TopKAdapter(k);
        var keptK = CheckRenormalisation(topK, p, logP);
        Require.That(keptK.Count(x => x) == Math.Min(k, p.Count(x => x > 0)), $"top-{k} kept {keptK.Count(x => x)} outcomes");
        var lowestKept = p.Where((_, i) => keptK[i]).Min();
        var highestDropped = p.Where((_, i) => !keptK[i]).DefaultIfEmpty(0).Max();
        Require.AtMost(highestDropped, lowestKept, 0, "top-k dropped a more probable outcome than one it kept");

        var keptLow = CheckRenormalisation(new TopPAdapter(low), p, logP);
        var keptHigh = CheckRenormalisation(new TopPAdapter(high), p, logP);
        CheckShortestPrefix(p, keptLow, low);
        CheckShortestPrefix(p, keptHigh, high);
        for (var i = 0; i < p.Length; i++)
            Require.That(!keptLow[i] || keptHigh[i], $"outcome {i} is in the nucleus for π = {low} but not for π = {high}");
    }

    private static bool[] CheckRenormalisation(TruncationAdapter adapter, double[] p, double[] logP)
    {
        var keep = new bool[p.Length];
        adapter.SelectSupport(logP, keep);
        var adapted = new double[p.Length];
        adapter.Apply(logP, adapted);
        var q = adapted.Select(Math.Exp).ToArray();
        var keptMass = p.Where((_, i) => keep[i]).Sum();
        for (var i = 0; i < p.Length; i++)
            Require.Close(keep[i] ? p[i] / keptMass : 0, q[i], 1e-12, $"{adapter.Name}: q[{i}] = p[{i}]·1_S/p(S)");
        Require.Close(-Math.Log(keptMass), DiscreteDistributions.KullbackLeibler(q, p), 1e-12, $"{adapter.Name}: KL(q ‖ p) = −log p(S)");
        return keep;
    }

    private static void CheckShortestPrefix(double[] p, bool[] keep, double mass)
    {
        var kept = p.Where((_, i) => keep[i]).ToArray();
        var total = kept.Sum();
        Require.That(total >= mass - 1e-12 || p.Where(x => x > 0).All(x => keep[Array.IndexOf(p, x)]), $"the nucleus for π = {mass} has mass {total} < π");
        Require.That(total - kept.Min() < mass, $"the nucleus for π = {mass} is not the shortest: mass {total} without its least likely outcome is still ≥ π");
        var threshold = kept.Min();
        Require.That(p.Where((_, i) => !keep[i]).All(x => x <= threshold), $"the nucleus for π = {mass} is not a prefix of the sorted order");
    }
}
