using Workbench.Formal.Symbols;
using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Models;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P2.4: with p̃_EOS(t) the probability of stopping at step t given survival so far,
/// P(|y| ≥ T) = ∏_{t≤T} (1 − p̃_EOS(t)), and the model is tight iff Σ_t p̃_EOS(t) = ∞ (or some p̃_EOS(t) = 1).
/// </summary>
public static class P2_4_TightnessCharacterization
{
    /// <summary>The identity by brute force over Σ^{&lt;T}, and the verdict on power-law EOS schedules.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P2.4",
        "P(|y| ≥ T) = ∏_{t≤T} (1 − p̃_EOS(t)) with p̃_EOS(t) the π-weighted stopping probability at step t; tight iff Σ p̃_EOS(t) diverges.",
        "§2.5.4 (characterising tightness, Du et al. 2023)",
        Arb.From(
            from model in ContextModels.Instances().Generator
            from length in Gen.Choose(1, 6)
            from scale in Gen.Choose(1, 9).Select(k => k / 10.0)
            from exponent in Gen.Choose(1, 12).Select(k => k / 4.0)
            select (model, length, scale, exponent)),
        Check,
        defaultTrials: 60);

    private static void Check((ContextLanguageModel Model, int Length, double Scale, double Exponent) instance)
    {
        var (model, length, scale, exponent) = instance;
        var alphabet = model.Alphabet;
        var shorterMass = 0.0;
        var survival = 1.0;
        for (var t = 1; t <= length; t++)
        {
            // p̃_EOS(t) = Σ_{|ω|=t−1} π(ω) p(EOS|ω) / Σ_{|ω|=t−1} π(ω), with π the product of the conditionals.
            var cylinder = 0.0;
            var stopping = 0.0;
            foreach (var omega in Strings.UpTo(alphabet.Size, t - 1).Where(s => s.Length == t - 1))
            {
                var pi = Math.Exp(ConditionalProduct(model, omega));
                var p = Math.Exp(model.LogProbability(omega));
                cylinder += pi;
                stopping += p;
                shorterMass += p;
            }
            survival *= 1 - stopping / cylinder;
        }
        Require.Close(1 - shorterMass, survival, 1e-12, $"P(|y| ≥ {length}) against ∏ (1 − p̃_EOS(t)) for {model}");

        var unary = new UnaryLanguageModel(EosSchedule.Power(scale, exponent));
        var report = unary.AnalyzeTightness();
        var expected = exponent <= 1 ? TightnessVerdict.Tight : TightnessVerdict.NotTight;
        Require.That(report.Verdict == expected, $"{unary}: Σ f(t) {(exponent <= 1 ? "diverges" : "converges")}, yet the verdict is {report.Verdict} ({report})");
    }

    // π(ω) = ∏ₜ p(ωₜ | ω<ₜ), multiplied out here from the raw conditionals.
    private static double ConditionalProduct(ContextLanguageModel model, int[] omega)
    {
        var next = new double[model.Alphabet.SizeWithEos];
        var state = model.InitialState;
        var log = 0.0;
        foreach (var symbol in omega)
        {
            model.NextLogProbabilities(state, next);
            log += next[symbol];
            state = model.Advance(state, symbol);
        }
        return log;
    }
}
