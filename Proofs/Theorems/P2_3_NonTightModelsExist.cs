using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Models;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>P2.3: non-tight locally normalised LMs exist; p(EOS | aᵗ) = 1/(t+2)² leaks exactly half the mass.</summary>
public static class P2_3_NonTightModelsExist
{
    private static readonly UnaryLanguageModel Leaky = new(EosSchedule.InverseSquare());
    private static readonly UnaryLanguageModel Harmonic = new(EosSchedule.Harmonic());
    private static readonly Lazy<(TightnessReport Leaky, TightnessReport Harmonic)> Reports =
        new(() => (Leaky.AnalyzeTightness(), Harmonic.AnalyzeTightness()));

    /// <summary>The theorem, checked at random lengths T against the telescoping closed forms.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P2.3",
        "Non-tight LMs exist: with p(EOS|aᵗ) = 1/(t+2)² the finite strings carry mass exactly 1/2, while p(EOS|aᵗ) = 1/(t+2) is tight.",
        "§2.5 (tightness; the leaky unary example)",
        Arb.From(Gen.Choose(0, 3000), T => T > 0 ? [T / 2, T - 1] : []),
        Check);

    private static void Check(int length)
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
