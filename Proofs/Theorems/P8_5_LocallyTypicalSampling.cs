using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Adapters;
using Workbench.Formal.Numerics;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>P8.5: locally typical sampling keeps the outcomes whose surprisal is closest to the entropy, up to mass τ.</summary>
public static class P8_5_LocallyTypicalSampling
{
    /// <summary>The output is a distribution; the kept set is the shortest prefix of the |surprisal − H| order with mass ≥ τ.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P8.5",
        "Locally typical sampling keeps the outcomes whose surprisal −log p is closest to the entropy H(p), the shortest such set with mass ≥ τ, and renormalises.",
        "lecture on decoding (locally typical sampling, Meister et al. 2023)",
        Arb.Zip(Vectors.Distributions(2, 10, allowZeros: true), Arb.From(Numbers.Between(0.01, 1))),
        Check);

    private static void Check((double[] P, double Mass) instance)
    {
        var (p, mass) = instance;
        var logP = p.Select(x => Math.Log(x)).ToArray();
        var adapter = new LocallyTypicalAdapter(mass);
        var adapted = new double[p.Length];
        adapter.Apply(logP, adapted);
        var q = adapted.Select(Math.Exp).ToArray();
        Require.Close(1, q.Sum(), 1e-12, "Σ q");
        Require.That(q.All(x => x >= 0), "q has a negative entry");

        var entropy = DiscreteDistributions.Entropy(p);
        var kept = Enumerable.Range(0, p.Length).Where(i => q[i] > 0).ToArray();
        var dropped = Enumerable.Range(0, p.Length).Where(i => q[i] == 0 && p[i] > 0).ToArray();
        double Distance(int i) => Math.Abs(-logP[i] - entropy);
        // Contiguous: everything kept is at least as typical as everything dropped.
        if (dropped.Length > 0)
            Require.AtMost(kept.Max(Distance), dropped.Min(Distance), 1e-12, "a dropped outcome is more typical than a kept one");
        var keptMass = kept.Sum(i => p[i]);
        Require.That(keptMass >= mass - 1e-12 || dropped.Length == 0, $"the typical set has mass {keptMass} < τ = {mass}");
        var leastTypical = kept.MaxBy(Distance);
        Require.That(keptMass - p[leastTypical] < mass, $"the typical set is not the shortest: without its least typical outcome it still has mass ≥ {mass}");
        for (var i = 0; i < p.Length; i++)
            Require.Close(q[i] > 0 ? p[i] / keptMass : 0, q[i], 1e-12, $"q[{i}] = p[{i}]/p(S)");
    }
}
