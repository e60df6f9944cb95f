using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Symbols;
using Workbench.Neural;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;
using Workbench.Neural.Tightness;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P6.2: with an unbounded activation an RNN LM can leak. Over Σ = {a}, hₜ = ReLU(hₜ₋₁ + 1) = t and
/// logits (a, EOS) = (0, −c·h) give p(EOS | aᵗ) = 1/(1 + e^{ct}), a summable sequence, so the infinite
/// string a^ω keeps probability ∏ₜ 1/(1 + e^{−ct}) &gt; 0.
/// </summary>
public static class P6_2_ReluRnnLmsCanLeak
{
    /// <summary>The counter-example for random c: its conditionals, the escape certificate and the P3.6 criterion.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P6.2",
        "Non-tight RNN LMs exist with ReLU: hₜ = ReLU(hₜ₋₁ + 1) = t and logit_EOS = −c·hₜ make p(EOS | aᵗ) ≈ e^{−ct} summable, so mass ∏ₜ 1/(1 + e^{−ct}) > 0 leaks; the norm criterion of P3.6 fails.",
        "§5.1.2 (Elman RNN LMs need not be tight)",
        Arb.From(Numbers.Between(0.3, 3.0)),
        Check,
        defaultTrials: 30);

    /// <summary>The counter-example network for a slope c.</summary>
    public static NeuralLanguageModel CounterExample(double c) => new(ElmanNetwork.FromWeights(
        Alphabet.FromCharacters("a"),
        NeuralArchitecture.Parse("elman:hidden=1,activation=relu,dtype=float64"),
        new ElmanWeights(
            Recurrence: new double[,] { { 1 } }, Input: new double[,] { { 1 } }, Bias: [0], Initial: [0],
            Output: new double[,] { { 0 }, { -c } }, OutputBias: [0, 0])));

    private static void Check(double c)
    {
        var model = CounterExample(c);
        // The conditionals: π(aᵀ) = ∏_{t<T} 1/(1 + e^{−ct}).
        const int length = 30;
        double closedPrefix = -Enumerable.Range(0, length).Sum(t => Math.Log(1 + Math.Exp(-c * t)));
        Require.Close(closedPrefix, ChainRule.LogPrefixProbability(model, new int[length]), 1e-12, "log π(a³⁰) against its closed form");

        // The exact leak, with the tail Σ_{t≥N} log(1 + e^{−ct}) ≤ e^{−cN}/(1 − e^{−c}) below 1e-15.
        int terms = (int)Math.Ceiling((36 + Math.Log(1 / (1 - Math.Exp(-c)))) / c);
        double logLeak = -Enumerable.Range(0, terms).Sum(t => Math.Log(1 + Math.Exp(-c * t)));
        double leak = Math.Exp(logLeak);
        Require.That(leak > 0, "the leaked mass is positive");

        var bound = EncoderNormBound.Of(model.Network);
        Require.That(double.IsPositiveInfinity(bound.Bound) && NeuralTightness.EosFloor(model.Network, bound.Bound) == 0,
            $"the P3.6 criterion must fail (no norm bound), got B = {bound.Bound}");
        var report = NeuralTightness.Analyze(model, new TightnessSampling(50, 100, Seed: 1));
        Require.That(report.Verdict == TightnessVerdict.NotTight, $"expected 'not tight', got {report} ({string.Join("; ", report.Evidence)})");
        Require.That(report.MassUpperBound < 1, $"the certified finite mass {report.MassUpperBound} must be below 1");
        Require.AtMost(1 - leak, report.MassUpperBound, 1e-12, "the true finite mass 1 − leak against the certified upper bound");
        var escape = ReluEscapeCertificate.Find((ElmanNetwork)model.Network)!;
        Require.AtMost(escape.LeakLowerBound, leak, 1e-12, "the certified leak against the exact leak ∏ₜ 1/(1 + e^{−ct})");
    }
}
