using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Workbench.Automata.Core;
using Workbench.Automata.Formats;
using Workbench.Automata.Grammars;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P8.16: sampling conditioned on the length is exact without rejection — a PFSA through its backward weights over
/// lengths, a PCFG through the inside weights of its length-n yields — so evaluation bins of long strings are filled
/// exactly however fast the length distribution decays.
/// </summary>
public static class P8_16_LengthConditionedSampling
{
    private const double Alpha = 1e-7;
    private const int Samples = 2000;

    /// <summary>Random PFSAs (non-deterministic, with trap states) and random PCFGs with ε- and unary rules (often not tight).</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P8.16",
        "Length-conditioned sampling is exact: for random PFSAs and random PCFGs with ε- and unary rules, P(|y| = n) equals the brute-force sum of p(y) over Σⁿ for n ≤ 5, the draws of length n pass a G-test against p(y)/P(|y| = n), and at n = 400 P(|y| = n) equals a forward pass with MathNet's matrices (PFSA) or the Catalan closed form of S → S S | a (PCFG), and the first symbol of the PFSA's draws passes a G-test against its exact conditional law.",
        "§2.4 (sampling), §4.1–4.2; the length bins of Delétang et al. 2023 and Butoi et al. 2025",
        Arb.From(
            from pfsa in AutomataInstances.Pfsas(4, allowTraps: true).Generator
            from binary in Gen.Choose(20, 80)
            from empty in Gen.Choose(0, 100)
            from seed in Gen.Choose(0, int.MaxValue - 1)
            select (Pfsa: pfsa, Binary: binary / 100.0, Empty: empty / 100.0, Seed: seed)),
        Check,
        defaultTrials: 20);

    private static void Check((PfsaInstance Pfsa, double Binary, double Empty, int Seed) instance)
    {
        var random = new Random(instance.Seed);
        var fsa = instance.Pfsa.Build();
        var pfsa = new PfsaLengthSampler(fsa);
        CheckShortLengths(new PfsaLanguageModel<Real>(fsa), pfsa, random, $"{instance.Pfsa}");

        var p = instance.Binary;
        var e = Math.Round((1 - p) * instance.Empty * 0.5, 3);
        var text = string.Create(CultureInfo.InvariantCulture, $"S -> S S [{p:R}] | A [{Math.Round(1 - p - e, 3):R}] | [{e:R}]\nA -> 'a' [0.5] | 'b' S [0.5]");
        var grammar = CfgTextFormat.Read(text, "random");
        var pcfg = new PcfgLanguageModel(grammar);
        CheckShortLengths(pcfg, pcfg.LengthSampler, random, text);

        const int length = 400;
        Require.Close(ForwardLogLength(fsa, length), pfsa.LogLengthProbability(length), 1e-8, $"{instance.Pfsa}: log P(|y| = {length}) against the forward pass");
        CheckFirstSymbol(fsa, pfsa, random, 60, $"{instance.Pfsa}");
        var catalan = new PcfgLanguageModel(CfgTextFormat.Read(string.Create(CultureInfo.InvariantCulture, $"S -> S S [{p:R}] | 'a' [{1 - p:R}]"), "catalan")).LengthSampler;
        // Trees with n leaves: Catalan(n − 1) of them, each with n − 1 binary rules and n leaves.
        var closed = SpecialFunctions.GammaLn(2 * length - 1) - SpecialFunctions.GammaLn(length + 1) - SpecialFunctions.GammaLn(length) + (length - 1) * Math.Log(p) + length * Math.Log(1 - p);
        Require.Close(closed, catalan.LogLengthProbability(length), 1e-9 * Math.Abs(closed), $"S → S S [{p}] | a: log P(|y| = {length}) against Catalan");
        Require.That(catalan.SampleOfLength(random, length).Length == length, $"a draw of length {length} from S → S S | a");
    }

    private static void CheckShortLengths(ILanguageModel model, ILengthConditionedSampler sampler, Random random, string what)
    {
        for (var n = 0; n <= 5; n++)
        {
            var strings = Strings.UpTo(model.Alphabet.Size, n).Where(y => y.Length == n).Select(y => (Y: y, P: Math.Exp(model.LogProbability(y)))).Where(s => s.P > 0).ToArray();
            var total = strings.Sum(s => s.P);
            Require.Close(total, Math.Exp(sampler.LogLengthProbability(n)), 1e-10 * Math.Max(total, 1e-300), $"{what}: P(|y| = {n}) against the brute-force sum");
            if (total < 1e-12 || strings.Length < 2) continue;
            var counts = new Dictionary<string, int>();
            for (var i = 0; i < Samples; i++)
            {
                var y = sampler.SampleOfLength(random, n);
                Require.That(y.Length == n && model.LogProbability(y) > double.NegativeInfinity, $"{what}: a draw of length {n} is [{string.Join(",", y)}]");
                var key = string.Join(",", y);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
            var g = strings.Sum(s => counts.GetValueOrDefault(string.Join(",", s.Y)) is var o and > 0 ? 2 * o * Math.Log(o / (Samples * s.P / total)) : 0);
            var pValue = 1 - ChiSquared.CDF(strings.Length - 1, g);
            Require.That(pValue >= Alpha, $"{what}: draws of length {n}: G = {g:G6} on {strings.Length - 1} degrees of freedom (p = {pValue:G3})");
        }
    }

    // log λᵀ Mⁿ ρ, forwards with MathNet, the vector rescaled at each step, on the states that can still end (mass that
    // flows into a trap state would otherwise dominate the scale and underflow the rest).
    private static double ForwardLogLength(Wfsa<Real> fsa, int length)
    {
        var live = Coaccessible(fsa);
        var m = Transitions(fsa, null).SubMatrix(0, fsa.StateCount, 0, fsa.StateCount);
        m = Matrix<double>.Build.Dense(live.Length, live.Length, (i, j) => m[live[i], live[j]]);
        var v = Vector<double>.Build.Dense([.. live.Select(q => fsa.InitialWeights[q].Value)]);
        var rho = Vector<double>.Build.Dense([.. live.Select(q => fsa.FinalWeights[q].Value)]);
        var log = 0.0;
        for (var k = 0; k < length; k++)
        {
            v = v * m;
            var max = v.AbsoluteMaximum();
            if (max == 0) return double.NegativeInfinity;
            v /= max;
            log += Math.Log(max);
        }
        return v * rho is var r and > 0 ? log + Math.Log(r) : double.NegativeInfinity;
    }

    // The states from which a final state can be reached.
    private static int[] Coaccessible(Wfsa<Real> fsa)
    {
        var live = Enumerable.Range(0, fsa.StateCount).Select(q => fsa.FinalWeights[q].Value > 0).ToArray();
        for (var changed = true; changed;)
        {
            changed = false;
            for (var q = 0; q < fsa.StateCount; q++)
                for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q) && !live[q]; e++)
                    if (fsa.ArcWeights[e].Value > 0 && live[fsa.ArcTargets[e]]) live[q] = changed = true;
        }
        return [.. Enumerable.Range(0, fsa.StateCount).Where(q => live[q])];
    }

    // P(y₁ = a | |y| = n) ∝ λᵀ M_a Mⁿ⁻¹ ρ against the first symbols of the draws.
    private static void CheckFirstSymbol(Wfsa<Real> fsa, PfsaLengthSampler sampler, Random random, int length, string what)
    {
        if (double.IsNegativeInfinity(sampler.LogLengthProbability(length))) return;
        var rest = Transitions(fsa, null);
        var tail = Vector<double>.Build.Dense([.. fsa.FinalWeights.ToArray().Select(w => w.Value)]);
        for (var k = 1; k < length; k++) tail = rest * tail / (rest * tail).AbsoluteMaximum();
        var lambda = Vector<double>.Build.Dense([.. fsa.InitialWeights.ToArray().Select(w => w.Value)]);
        var exact = Enumerable.Range(0, fsa.Alphabet.Size).Select(a => lambda * (Transitions(fsa, a) * tail)).ToArray();
        var total = exact.Sum();
        var counts = new int[exact.Length];
        for (var i = 0; i < Samples; i++) counts[sampler.SampleOfLength(random, length)[0]]++;
        var support = exact.Count(x => x > 0);
        Require.That(Enumerable.Range(0, exact.Length).All(a => exact[a] > 0 || counts[a] == 0), $"{what}: a first symbol of probability 0 was drawn");
        if (support < 2) return;
        var g = Enumerable.Range(0, exact.Length).Sum(a => counts[a] > 0 ? 2 * counts[a] * Math.Log(counts[a] / (Samples * exact[a] / total)) : 0);
        var pValue = 1 - ChiSquared.CDF(support - 1, g);
        Require.That(pValue >= Alpha, $"{what}: first symbols of draws of length {length}: G = {g:G6} (p = {pValue:G3})");
    }

    // M (or M_a): M[q, r] = Σ of the weights of the arcs q → r (reading a).
    private static Matrix<double> Transitions(Wfsa<Real> fsa, int? symbol)
    {
        var m = Matrix<double>.Build.Dense(fsa.StateCount, fsa.StateCount);
        for (var q = 0; q < fsa.StateCount; q++)
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
                if (symbol is null || fsa.ArcLabels[e] == symbol) m[q, fsa.ArcTargets[e]] += fsa.ArcWeights[e].Value;
        return m;
    }
}
