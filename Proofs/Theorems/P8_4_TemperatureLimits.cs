using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Adapters;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>P8.4: temperature τ = 1 is the identity, τ → 0 concentrates on the argmax (greedy), τ → ∞ tends to uniform.</summary>
public static class P8_4_TemperatureLimits
{
    /// <summary>The identity, and the quantitative limits 1 − q_max ≤ (n−1)e^(−Δ/τ) and |qᵢ − 1/n| ≤ (e^(r/τ) − 1)/n.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P8.4",
        "Temperature: τ = 1 is the identity; as τ → 0 the mass off the argmax is at most (n−1)·e^(−Δ/τ) (greedy decoding); as τ → ∞ every probability is within (e^(r/τ) − 1)/n of uniform (Δ the top-two gap and r the range of log p).",
        "lecture on decoding (temperature); §3.1 (P3.2)",
        Arb.From(
            from p in Vectors.Distributions(2, 10, allowZeros: false).Generator
            from small in Numbers.Between(0.005, 0.5)
            from large in Numbers.Between(5, 1000)
            select (p, small, large)),
        Check);

    private static double[] Adapt(double[] logP, double temperature)
    {
        var adapted = new double[logP.Length];
        new TemperatureAdapter(temperature).Apply(logP, adapted);
        return adapted.Select(Math.Exp).ToArray();
    }

    private static void Check((double[] P, double Small, double Large) instance)
    {
        var (p, small, large) = instance;
        var logP = p.Select(x => Math.Log(x)).ToArray();
        var n = p.Length;

        var identity = Adapt(logP, 1);
        for (var i = 0; i < n; i++) Require.Close(p[i], identity[i], 1e-12, $"τ = 1 changes p[{i}]");

        var sorted = logP.OrderDescending().ToArray();
        var gap = sorted[0] - sorted[1];
        var cold = Adapt(logP, small);
        var argmax = Array.IndexOf(logP, sorted[0]);
        Require.AtMost(1 - cold[argmax], (n - 1) * Math.Exp(-gap / small), 1e-12, $"mass off the argmax at τ = {small}");

        var range = sorted[0] - sorted[^1];
        var hot = Adapt(logP, large);
        var bound = (Math.Exp(range / large) - 1) / n;
        for (var i = 0; i < n; i++)
            Require.AtMost(Math.Abs(hot[i] - 1.0 / n), bound, 1e-12, $"distance from uniform of q[{i}] at τ = {large}");
    }
}
