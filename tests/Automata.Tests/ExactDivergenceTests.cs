using Workbench.Automata.Formats;
using Workbench.Automata.Core;
using Workbench.Automata.Generators;
using Workbench.Automata.Grammars;
using Workbench.Automata.Grammars.Parsing;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Estimation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;
using static System.FormattableString;

namespace Workbench.Automata.Tests;

/// <summary>
/// Exact divergences as a capability: PCFG × deterministic PFSA against closed forms and brute force with a tail bound,
/// and the Rao–Blackwellised KL estimator against exact KL on deterministic PFSAs.
/// </summary>
public sealed class ExactDivergenceTests
{
    [Theory]
    [InlineData(0.2)]
    [InlineData(0.45)]
    [InlineData(0.7)]
    public void Pcfg_against_a_one_state_pfsa_matches_the_closed_form_tight_or_not(double p)
    {
        // S → S S [p] | a [u] | b [1 − p − u] against q: a [α], b [β], stop [φ] in one state. −log q(y) = n_a(−log α) +
        // n_b(−log β) − log φ, every leaf is a with probability u/(1 − p), and the own-mass E|y| is (1 − p)/|1 − 2p|, with
        // Z = min(1, (1 − p)/p). So H(p, q) = Z(−log φ) + E|y|·(u(−log α) + (1 − p − u)(−log β))/(1 − p).
        var u = 0.6 * (1 - p);
        var grammar = CfgTextFormat.Read(Invariant($"S -> S S [{p:R}] | 'a' [{u:R}] | 'b' [{1 - p - u:R}]"), "branching");
        var q = OneState(grammar.Terminals, 0.5, 0.3, 0.2);
        var z = Math.Min(1, (1 - p) / p);
        var length = (1 - p) / Math.Abs(1 - 2 * p);
        var expected = z * -Math.Log(0.2) + length * (u * -Math.Log(0.5) + (1 - p - u) * -Math.Log(0.3)) / (1 - p);
        var exact = new PcfgLanguageModel(grammar).DivergencesFrom(new DeterministicPfsaLanguageModel<Real>(q))!;
        Assert.True(Math.Abs(exact.CrossEntropy.Value - expected) <= Math.Max(exact.CrossEntropy.ErrorBound, 1e-13) + 1e-12, $"p = {p}: {exact.CrossEntropy} against {expected}");
        Assert.True(exact.CrossEntropy.ErrorBound < 1e-9, exact.CrossEntropy.ToString());
        Assert.Null(exact.KullbackLeibler);
        Assert.Contains("unambiguous", exact.Note);
    }

    [Fact]
    public void Random_pcfgs_against_random_dpfsas_agree_with_brute_force_and_its_tail_bound()
    {
        // Σ_{|y|≤L} −p(y) log q(y) by the inside algorithm, plus the tail Σ_{|y|>L} p(y)(−log q(y)) ≤ Σ_{n>L} P(|y| = n)·(n·s + f),
        // s and f the largest arc and stop surprisals of q, P(|y| = n) from the length distribution up to N (beyond N the
        // remaining mass, below 1e-30 for these subcritical grammars, is counted at the surprisal of length 2N).
        const int seed = 4711;
        const int maxLength = 7;
        const int lengths = 300;
        var random = new Random(seed);
        for (var trial = 0; trial < 12; trial++)
        {
            var grammar = RandomGrammars.CnfPcfg(random, random.Next(1, 4), 2, 2, 0.25);
            var fsa = FullSupportDpfsa(random, grammar.Terminals, random.Next(1, 4));
            var exact = new PcfgLanguageModel(grammar).DivergencesFrom(new DeterministicPfsaLanguageModel<Real>(fsa))!.CrossEntropy;
            var q = new DeterministicPfsaLanguageModel<Real>(fsa);
            var brute = 0.0;
            foreach (var y in Strings.UpTo(2, maxLength))
            {
                var logP = Inside.LogWeight(grammar, y);
                if (double.IsFinite(logP)) brute += -Math.Exp(logP) * q.LogProbability(y);
            }
            var arcSurprisal = Enumerable.Range(0, fsa.ArcCount).Max(e => -Math.Log(fsa.ArcWeights[e].Value));
            var stopSurprisal = Enumerable.Range(0, fsa.StateCount).Max(r => -Math.Log(fsa.FinalWeights[r].Value));
            var byLength = LengthDistribution.Of(grammar, lengths);
            var remaining = 1 - byLength.Sum();
            Assert.True(remaining < 1e-12, $"seed {seed}, trial {trial}: mass beyond {lengths} is {remaining}");
            var tail = Enumerable.Range(maxLength + 1, lengths - maxLength).Sum(n => byLength[n] * (n * arcSurprisal + stopSurprisal))
                + Math.Max(remaining, 1e-30) * (2 * lengths * arcSurprisal + stopSurprisal);
            Assert.True(exact.Value >= brute - 1e-10 && exact.Value <= brute + tail + 1e-10,
                $"seed {seed}, trial {trial}: exact {exact}, brute force {brute} + tail ≤ {tail}");
        }
    }

    [Fact]
    public void A_pcfg_that_derives_strings_the_pfsa_excludes_has_infinite_cross_entropy()
    {
        var grammar = CfgTextFormat.Read("S -> 'a' S [0.3] | 'b' [0.7]", "g");
        // q never reads b.
        var builder = new WfsaBuilder<Real>(grammar.Terminals);
        var state = builder.AddState();
        builder.SetInitial(state, Real.One).SetFinal(state, new Real(0.5)).AddArc(state, 0, state, new Real(0.5));
        var exact = new PcfgLanguageModel(grammar).DivergencesFrom(new DeterministicPfsaLanguageModel<Real>(builder.Build()))!;
        Assert.Equal(double.PositiveInfinity, exact.CrossEntropy.Value);
        Assert.Contains("probability 0", exact.CrossEntropy.Method);
    }

    [Fact]
    public void Non_deterministic_or_unpaired_models_have_no_exact_method_against_each_other()
    {
        var grammar = CfgTextFormat.Read("S -> 'a' S [0.3] | 'b' [0.7]", "g");
        var pcfg = new PcfgLanguageModel(grammar);
        Assert.Null(pcfg.DivergencesFrom(pcfg));
        var random = new Random(5);
        var pfsa = new PfsaLanguageModel<Real>(RandomAutomata.Pfsa(random, 3, 2, 2));
        var dpfsa = new DeterministicPfsaLanguageModel<Real>(FullSupportDpfsa(random, pfsa.Alphabet, 2));
        Assert.Null(dpfsa.DivergencesFrom(pfsa));
        var fromPfsa = pfsa.DivergencesFrom(dpfsa)!;
        Assert.Null(fromPfsa.KullbackLeibler);
        Assert.True(double.IsFinite(fromPfsa.CrossEntropy.Value));
    }

    [Fact]
    public void Rao_blackwellised_intervals_cover_the_exact_kl_at_their_nominal_rate_with_no_more_variance_than_plain_ones()
    {
        // 400 pairs of deterministic PFSAs with full support, where KL(p ‖ q) is exact; 200 draws each.
        const int seeds = 400;
        const int samples = 200;
        var covered = 0;
        var (rbVariance, plainVariance) = (0.0, 0.0);
        for (var seed = 0; seed < seeds; seed++)
        {
            var random = new Random(seed);
            var alphabet = RandomAutomata.Letters(2);
            var p = new DeterministicPfsaLanguageModel<Real>(FullSupportDpfsa(random, alphabet, random.Next(1, 4)));
            var q = new DeterministicPfsaLanguageModel<Real>(FullSupportDpfsa(random, alphabet, random.Next(1, 4)));
            var exact = p.DivergencesFrom(q)!.KullbackLeibler!.Value;
            var rb = MonteCarlo.RaoBlackwellisedKullbackLeibler(p, q, samples, seed, 10_000);
            var plain = MonteCarlo.KullbackLeibler(p, q, samples, seed, 10_000);
            Assert.True(rb.Value >= 0, $"seed {seed}: RB estimate {rb.Value} is negative");
            if (rb.Lower <= exact && exact <= rb.Upper) covered++;
            rbVariance += rb.StandardError * rb.StandardError;
            plainVariance += plain.StandardError * plain.StandardError;
        }
        // 95% nominal: a binomial(400, 0.95) count lies above 365 with probability > 0.999.
        Assert.True(covered >= 365, $"{covered} of {seeds} intervals cover the exact KL");
        Assert.True(rbVariance <= plainVariance, $"pooled variance RB {rbVariance} against plain {plainVariance}");
    }

    private static Wfsa<Real> OneState(Alphabet alphabet, double a, double b, double stop)
    {
        var builder = new WfsaBuilder<Real>(alphabet);
        var state = builder.AddState();
        builder.SetInitial(state, Real.One).SetFinal(state, new Real(stop));
        builder.AddArc(state, 0, state, new Real(a)).AddArc(state, 1, state, new Real(b));
        return builder.Build();
    }

    // Every state reads every symbol and may stop, with Dirichlet(1) weights kept away from 0.
    private static Wfsa<Real> FullSupportDpfsa(Random random, Alphabet alphabet, int states)
    {
        var builder = new WfsaBuilder<Real>(alphabet);
        for (var s = 0; s < states; s++) builder.AddState();
        for (var s = 0; s < states; s++)
        {
            var weights = Enumerable.Range(0, alphabet.Size + 1).Select(_ => 0.05 + random.NextDouble()).ToArray();
            var total = weights.Sum();
            builder.SetFinal(s, new Real(weights[^1] / total));
            for (var a = 0; a < alphabet.Size; a++) builder.AddArc(s, a, random.Next(states), new Real(weights[a] / total));
        }
        builder.SetInitial(0, Real.One);
        return builder.Build();
    }
}
