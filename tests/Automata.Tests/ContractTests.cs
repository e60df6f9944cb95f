using Workbench.Automata.Formats;
using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;
using Workbench.Automata.Core;
using Workbench.Automata.Generators;
using Workbench.Automata.Grammars;
using Workbench.Automata.NGrams;
using Workbench.Automata.Pfsa;
using Workbench.Automata.Pushdown;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Tests;

/// <summary>
/// The contract of docs/formal.md on every Automata family, tight and not: Σ_{|y|≤L} p(y) plus an independently
/// computed tail is the partition function, the chain rule of the view is log p(y) − log Z_view, and π(y) = p(y) +
/// Σ_a π(ya) in the view's meaning (<see cref="LanguageModelContract"/>). The partition functions and tails come from
/// closed forms or from a dense solve in MathNet.Numerics, never from the workbench's own pathsums.
/// </summary>
public sealed class ContractTests
{
    private const double Tolerance = 1e-9;

    [Fact]
    public void Random_pfsas_tight_and_leaking_keep_the_contract()
    {
        const int seed = 2611;
        var random = new Random(seed);
        for (var trial = 0; trial < 30; trial++)
        {
            var deterministic = trial % 2 == 0;
            var fsa = RandomAutomata.Pfsa(random, random.Next(1, 5), 2, random.Next(1, 3), deterministic, trapStates: trial % 3 == 0 ? 0 : random.Next(1, 3));
            ILanguageModel model = deterministic ? new DeterministicPfsaLanguageModel<Real>(fsa) : new PfsaLanguageModel<Real>(fsa);
            var (z, tail) = DenseMassAndTail(fsa, 6);
            var report = LanguageModelContract.Check(model, 6, Tolerance);
            Assert.True(report.Violations.Count == 0, $"seed {seed}, trial {trial}: {string.Join("; ", report.Violations)}");
            Assert.True(Math.Abs(report.PartialSum + tail - z) <= 1e-11, $"seed {seed}, trial {trial}: Σ + tail = {report.PartialSum + tail}, Z = {z}");
            var certified = ((IPartitionFunctionModel)model).PartitionFunction();
            Assert.True(Math.Abs(certified.Value - z) <= certified.ErrorBound + 1e-12, $"seed {seed}, trial {trial}: {certified} against {z}");
        }
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.5 + 1e-6)]
    [InlineData(0.6)]
    [InlineData(0.9)]
    public void Binary_branching_pcfgs_give_their_catalan_masses_whether_tight_or_not(double p)
    {
        // S → S S [p] | a [q] | b [1 − p − q]: the strings of length n carry C_{n−1}·p^{n−1}(1 − p)ⁿ, and Z = min(1, (1 − p)/p).
        const int maxLength = 6;
        var q = (1 - p) * 0.35;
        var grammar = CfgTextFormat.Read(Invariant($"S -> S S [{p:R}] | 'a' [{q:R}] | 'b' [{1 - p - q:R}]"), "branching");
        var z = Math.Min(1, (1 - p) / p);
        var byLength = Enumerable.Range(1, maxLength).Sum(n => Catalan(n - 1) * Math.Pow(p, n - 1) * Math.Pow(1 - p, n));
        foreach (ILanguageModel model in new ILanguageModel[] { new PcfgLanguageModel(grammar), new PushdownLanguageModel(Pushdown.PushdownConversions.FromGrammar(grammar)) })
        {
            var report = LanguageModelContract.Check(model, maxLength, Tolerance);
            Assert.True(report.Violations.Count == 0, $"{model}, p = {p}: {string.Join("; ", report.Violations)}");
            Assert.Equal(byLength, report.PartialSum, 13);
            var certified = ((IPartitionFunctionModel)model).PartitionFunction();
            Assert.True(Math.Abs(certified.Value - z) <= certified.ErrorBound + 1e-12, $"{model}, p = {p}: {certified} against {z}");
            Assert.Equal(Math.Log(z), model.LogViewNormaliser, 9);
        }
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.7)]
    [InlineData(0.9)]
    public void Pcfg_capabilities_give_the_grammars_own_closed_forms_tight_or_not(double p)
    {
        // S → S S [p] | a [1 − p]: Z = min(1, (1 − p)/p); the own-mass E|y| = (1 − p)/|1 − 2p|; a derivation of n leaves has
        // n − 1 binary rules, so H_D = (E|y| − Z)(−log p) + E|y|(−log(1 − p)); P(|y| ≥ T) = 1 − Σ_{n<T} C_{n−1}p^{n−1}(1 − p)ⁿ.
        var model = new PcfgLanguageModel(CfgTextFormat.Read(Invariant($"S -> S S [{p:R}] | 'a' [{1 - p:R}]"), "branching"));
        var z = Math.Min(1, (1 - p) / p);
        var length = (1 - p) / Math.Abs(1 - 2 * p);
        Close(length, model.ExpectedLength(), "E|y|");
        Close((length - z) * -Math.Log(p) + length * -Math.Log(1 - p), model.DerivationalEntropy(), "H_D");
        Assert.Contains("upper bound on the string entropy", model.DerivationalEntropy().Method);
        foreach (var t in new[] { 1, 4, 30 })
            Close(1 - Enumerable.Range(1, t - 1).Sum(n => Catalan(n - 1) * Math.Pow(p, n - 1) * Math.Pow(1 - p, n)), model.ProbabilityOfLengthAtLeast(t), $"P(|y| ≥ {t})");
        Assert.Equal(1.0, model.ProbabilityOfLengthAtLeast(0).Value);
        Assert.Throws<Workbench.Formal.Errors.BudgetExceededException>(() => model.ProbabilityOfLengthAtLeast(5_000));

        static void Close(double expected, CertifiedValue actual, string what) =>
            Assert.True(Math.Abs(actual.Value - expected) <= actual.ErrorBound + 1e-13 * Math.Max(1, Math.Abs(expected)), $"{what}: {actual} against {expected}");
    }

    [Fact]
    public void Random_pcfgs_with_epsilon_and_unary_rules_keep_the_contract()
    {
        // Not in CNF and often not tight: the CNF form is renormalised, and the model must still give the grammar's own mass.
        const int seed = 515;
        var random = new Random(seed);
        for (var trial = 0; trial < 25; trial++)
        {
            var p = Math.Round(0.2 + 0.6 * random.NextDouble(), 3);
            var e = Math.Round((1 - p) * random.NextDouble() * 0.5, 3);
            var text = Invariant($"S -> S S [{p:R}] | A [{Math.Round(1 - p - e, 3):R}] | [{e:R}]\nA -> 'a' [0.5] | 'b' S [0.5]");
            var grammar = CfgTextFormat.Read(text, "random");
            var model = new PcfgLanguageModel(grammar);
            var report = LanguageModelContract.Check(model, 5, Tolerance);
            Assert.True(report.Violations.Count == 0, $"seed {seed}, trial {trial}, {text}: {string.Join("; ", report.Violations)}");
            // Kleene's iterates bound Z(S) from below; the brute-force sum may not exceed Z.
            var z = model.PartitionFunction();
            Assert.True(Treesum.Kleene(grammar, 200).Values[0] <= z.Value + z.ErrorBound + 1e-12, $"seed {seed}, trial {trial}, {text}");
            Assert.True(report.PartialSum <= z.Value + z.ErrorBound, $"seed {seed}, trial {trial}, {text}");
        }
    }

    [Fact]
    public void Random_ngrams_keep_the_contract_and_answer_as_their_pfsa()
    {
        const int seed = 88;
        var random = new Random(seed);
        for (var trial = 0; trial < 20; trial++)
        {
            var model = RandomNGrams.Model(random, random.Next(1, 4), 2, 0.3);
            var report = LanguageModelContract.Check(model, 6, Tolerance);
            Assert.True(report.Violations.Count == 0, $"seed {seed}, trial {trial}: {string.Join("; ", report.Violations)}");
            var (z, tail) = DenseMassAndTail(model.ToDeterministicPfsa(), 6);
            Assert.True(Math.Abs(report.PartialSum + tail - z) <= 1e-11, $"seed {seed}, trial {trial}");
            Assert.True(Math.Abs(model.PartitionFunction().Value - z) <= model.PartitionFunction().ErrorBound + 1e-12, $"seed {seed}, trial {trial}");
        }
    }

    private static double Catalan(int n)
    {
        var c = 1.0;
        for (var k = 0; k < n; k++) c = c * 2 * (2 * k + 1) / (k + 2);
        return c;
    }

    // Z = λᵀ(I − T)⁻¹ρ and the tail Σ_{|y|>L} p(y) = λᵀT^(L+1)(I − T)⁻¹ρ on the co-accessible states, by a dense LU solve.
    private static (double Z, double Tail) DenseMassAndTail(Wfsa<Real> fsa, int maxLength)
    {
        var n = fsa.StateCount;
        var coaccessible = new bool[n];
        for (var q = 0; q < n; q++) coaccessible[q] = fsa.FinalWeights[q].Value > 0;
        for (var changed = true; changed;)
        {
            changed = false;
            for (var q = 0; q < n; q++)
                for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q) && !coaccessible[q]; e++)
                    if (coaccessible[fsa.ArcTargets[e]] && fsa.ArcWeights[e].Value > 0) coaccessible[q] = changed = true;
        }
        var t = Matrix<double>.Build.Dense(n, n);
        for (var q = 0; q < n; q++)
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
                if (coaccessible[q] && coaccessible[fsa.ArcTargets[e]]) t[q, fsa.ArcTargets[e]] += fsa.ArcWeights[e].Value;
        var lambda = Vector<double>.Build.Dense(n, q => coaccessible[q] ? fsa.InitialWeights[q].Value : 0);
        var rho = Vector<double>.Build.Dense(n, q => fsa.FinalWeights[q].Value);
        var backward = (Matrix<double>.Build.DenseIdentity(n) - t).Solve(rho);
        var forward = lambda;
        for (var step = 0; step <= maxLength; step++) forward = t.TransposeThisAndMultiply(forward);
        return (lambda * backward, forward * backward);
    }
}
