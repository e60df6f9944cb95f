using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Models;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P2.3: non-tight locally normalised LMs exist; p(EOS | aᵗ) = 1/(t+2)² leaks exactly half the mass. Across the family
/// p(EOS | aᵗ) = c/(t+1)^α the model is tight iff α ≤ 1, and at α = 2 the leak has Euler's closed form
/// ∏_{n≥1}(1 − c/n²) = sin(π√c)/(π√c), which the certified mass bounds must contain.
/// </summary>
public static class P2_3_NonTightModelsExist
{
    private static readonly UnaryLanguageModel Leaky = new(EosSchedule.InverseSquare());
    private static readonly UnaryLanguageModel Harmonic = new(EosSchedule.Harmonic());
    private static readonly Lazy<(TightnessReport Leaky, TightnessReport Harmonic)> Reports =
        new(() => (Leaky.AnalyzeTightness(), Harmonic.AnalyzeTightness()));

    /// <summary>The theorem, checked at random lengths T against the telescoping closed forms.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P2.3",
        "Non-tight LMs exist: with p(EOS|aᵗ) = 1/(t+2)² the finite strings carry mass exactly 1/2, while p(EOS|aᵗ) = 1/(t+2) is tight; across p(EOS|aᵗ) = c/(t+1)^α, tight iff α ≤ 1, with mass 1 − sin(π√c)/(π√c) at α = 2.",
        "§2.5 (tightness; the leaky unary example)",
        Arb.From(
            from length in Gen.Choose(0, 3000)
            from c in Numbers.Between(0.01, 0.99)
            from alpha in Numbers.Between(0.2, 3)
            select (Length: length, C: c, Alpha: alpha),
            instance => instance.Length > 0 ? [instance with { Length = instance.Length / 2 }, instance with { Length = instance.Length - 1 }] : []),
        Check);

    private static void Check((int Length, double C, double Alpha) instance)
    {
        CheckFixtures(instance.Length);
        CheckFamily(instance.C, instance.Alpha);
        CheckFamily(instance.C, 2);
    }

    // p(EOS | aᵗ) = c/(t+1)^α: Σ f diverges iff α ≤ 1. The finite mass is at least 1 − ∏_{t<T}(1 − f(t)) for every T, and
    // at α = 2 equals 1 − sin(π√c)/(π√c) exactly (Euler's product for the sine).
    private static void CheckFamily(double c, double alpha)
    {
        var model = new UnaryLanguageModel(EosSchedule.Power(c, alpha));
        var report = model.AnalyzeTightness();
        var name = Invariant($"p(EOS | aᵗ) = {c:G4}/(t+1)^{alpha:G4}");
        Require.That(report.Verdict == (alpha <= 1 ? TightnessVerdict.Tight : TightnessVerdict.NotTight), $"{name} is reported {report.Verdict}");
        Require.That(report.MassLowerBound <= report.Mass && report.Mass <= report.MassUpperBound, $"{name}: the mass {report.Mass} lies outside its own bounds");
        var survival = 1.0;
        for (var t = 0; t < 100_000 && survival > 0; t++) survival *= 1 - c * Math.Pow(t + 1.0, -alpha);
        Require.AtMost(1 - survival, report.MassUpperBound, 1e-12, $"{name}: the mass of strings shorter than 10⁵ against the certified upper bound");
        if (alpha != 2) return;
        var exact = 1 - Math.Sin(Math.PI * Math.Sqrt(c)) / (Math.PI * Math.Sqrt(c));
        Require.That(report.MassLowerBound - 1e-12 <= exact && exact <= report.MassUpperBound + 1e-12,
            Invariant($"{name}: the certified bounds [{report.MassLowerBound:R}, {report.MassUpperBound:R}] miss the closed form {exact:R}"));
        Require.Close(exact, report.Mass, 1e-8, $"{name}: mass against 1 − sin(π√c)/(π√c)");
    }

    private static void CheckFixtures(int length)
    {
        var prefix = new int[length];
        // P(|y| ≥ T) = ∏_{n=2}^{T+1} (1 − 1/n²) = (T+2)/(2(T+1)) for the leaky model, 1/(T+1) for the harmonic one.
        Require.Close((length + 2.0) / (2.0 * (length + 1.0)), Math.Exp(Leaky.LogPrefixProbability(prefix)), 1e-11, $"P(|y| ≥ {length}) under 1/(t+2)²");
        Require.Close(1.0 / (length + 1.0), Math.Exp(Harmonic.LogPrefixProbability(prefix)), 1e-11, $"P(|y| ≥ {length}) under 1/(t+2)");
        // The finite strings shorter than T carry the rest: walk the conditionals once, adding p(aⁿ) = π(aⁿ)·p(EOS | aⁿ).
        Require.Close(1 - (length + 2.0) / (2.0 * (length + 1.0)), UnaryWalks.FiniteMass(Leaky, 0, length), 1e-11, $"Σ_{{n<{length}}} p(aⁿ) under 1/(t+2)²");
        Require.Close(1 - 1.0 / (length + 1.0), UnaryWalks.FiniteMass(Harmonic, 0, length), 1e-11, $"Σ_{{n<{length}}} p(aⁿ) under 1/(t+2)");
        // Spot checks of single strings: p(aⁿ) = 1/(2(n+1)(n+2)) and 1/((n+1)(n+2)).
        foreach (var n in new[] { 0, length / 2, length })
        {
            Require.Close(Math.Log(1 / (2 * (n + 1.0) * (n + 2.0))), Leaky.LogProbability(prefix.AsSpan(0, n)), 1e-11, $"log p(a^{n}) under 1/(t+2)²");
            Require.Close(Math.Log(1 / ((n + 1.0) * (n + 2.0))), Harmonic.LogProbability(prefix.AsSpan(0, n)), 1e-11, $"log p(a^{n}) under 1/(t+2)");
        }
        var (leaky, harmonic) = Reports.Value;
        Require.That(leaky.Verdict == TightnessVerdict.NotTight, $"the 1/(t+2)² model is reported {leaky.Verdict}");
        Require.Close(0.5, leaky.Mass, 1e-9, "finite-string mass of the 1/(t+2)² model");
        Require.That(harmonic.Verdict == TightnessVerdict.Tight, $"the 1/(t+2) model is reported {harmonic.Verdict}");
        Require.Close(1, harmonic.Mass, 1e-12, "finite-string mass of the 1/(t+2) model");
    }
}
