using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Numerics;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P3.12: fitting a unimodal family to a bimodal target, forward KL (cross-entropy, what maximum likelihood minimises)
/// is mass-covering — its fit puts mass on both modes — while reverse KL is mode-seeking — its fit sits on one mode and
/// leaves the other. The target is a distribution over the strings aⁿ (n ≤ 30) with two separated modes; the family is
/// the discretised Gaussians over n, fitted by grid search under each objective.
/// </summary>
public static class P3_12_ForwardAndReverseKl
{
    private const int MaxLength = 30;

    /// <summary>Random bimodal targets: modes 12–18 apart, widths 0.8–1.5, weights 0.3–0.7, a 10⁻⁸ floor between them.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P3.12",
        "Forward KL is mass-covering and reverse KL mode-seeking: fitted to a bimodal target within a unimodal family, argmin KL(p ‖ q) puts mass on both modes, argmin KL(q ‖ p) concentrates on one.",
        "§3.2 (maximum likelihood as forward KL; mean-seeking vs mode-seeking, p. 65)",
        Arb.From(
            from first in Numbers.Between(3, 8)
            from gap in Numbers.Between(12, 18)
            from width1 in Numbers.Between(0.8, 1.5)
            from width2 in Numbers.Between(0.8, 1.5)
            from weight in Numbers.Between(0.3, 0.7)
            select (First: first, Second: first + gap, Width1: width1, Width2: width2, Weight: weight)),
        Check, defaultTrials: 25);

    private static double[] Gaussian(double mean, double width)
    {
        var q = Enumerable.Range(0, MaxLength + 1).Select(n => Math.Exp(-0.5 * Math.Pow((n - mean) / width, 2))).ToArray();
        var total = q.Sum();
        return q.Select(v => v / total).ToArray();
    }

    private static double MassNear(double[] q, double mode, double radius) =>
        q.Where((_, n) => Math.Abs(n - mode) <= radius).Sum();

    private static void Check((double First, double Second, double Width1, double Width2, double Weight) target)
    {
        var (a, b) = (Gaussian(target.First, target.Width1), Gaussian(target.Second, target.Width2));
        var p = a.Select((v, n) => target.Weight * v + (1 - target.Weight) * b[n] + 1e-8).ToArray();
        var total = p.Sum();
        p = p.Select(v => v / total).ToArray();
        var family = (from mean in Enumerable.Range(0, 10 * MaxLength + 1).Select(i => i / 10.0)
                      from width in Enumerable.Range(5, 116).Select(i => i / 10.0)
                      select (Mean: mean, Width: width, Q: Gaussian(mean, width))).ToArray();
        var forward = family.MinBy(f => DiscreteDistributions.KullbackLeibler(p, f.Q));
        var reverse = family.MinBy(f => DiscreteDistributions.KullbackLeibler(f.Q, p));
        foreach (var mode in new[] { target.First, target.Second })
            Require.AtMost(0.05, MassNear(forward.Q, mode, 2), 0, $"the forward-KL fit (μ = {forward.Mean}, σ = {forward.Width}) covers the mode at {mode:G3}");
        var near = new[] { MassNear(reverse.Q, target.First, 3), MassNear(reverse.Q, target.Second, 3) };
        Require.AtMost(0.9, near.Max(), 0, $"the reverse-KL fit (μ = {reverse.Mean}, σ = {reverse.Width}) sits on one mode");
        Require.AtMost(near.Min(), 0.01, 0, $"the reverse-KL fit (μ = {reverse.Mean}, σ = {reverse.Width}) leaves the other mode");
        Require.AtMost(reverse.Width, forward.Width, 0, "the mode-seeking fit is narrower than the mass-covering one");
    }
}
