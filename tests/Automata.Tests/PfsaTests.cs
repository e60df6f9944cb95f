using Workbench.Automata.Core;
using Workbench.Automata.Generators;
using Workbench.Automata.Graphs;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Errors;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Tests;

public sealed class PfsaTests
{
    [Fact]
    public void The_leaky_pfsa_has_mass_one_half_and_is_not_tight()
    {
        var report = PfsaTightness.Analyze(Machines.LeakyPfsa());
        Assert.Equal(TightnessVerdict.NotTight, report.Verdict);
        Assert.True(Math.Abs(report.Mass - 0.5) <= 1e-14, report.ToString());
        Assert.Contains(report.Evidence, line => line.Contains("cannot reach a final state (e.g. 1)"));
    }

    [Fact]
    public void A_geometric_pfsa_is_tight_and_scores_in_closed_form()
    {
        var model = new DeterministicPfsaLanguageModel<Log>(Machines.Geometric<Log>(0.75));
        Assert.Equal(TightnessVerdict.Tight, model.AnalyzeTightness().Verdict);
        Assert.Equal(3 * Math.Log(0.75) + Math.Log(0.25), model.LogProbability([0, 0, 0]), 14);
        Assert.Equal(double.NegativeInfinity, model.LogProbability([1]));
        Assert.Equal(3 * Math.Log(0.75), model.LogPrefixProbability([0, 0, 0]), 14);
        Assert.Equal(DeterministicPfsaLanguageModel<Log>.DeadState, model.Advance(model.InitialState, 1));
    }

    [Fact]
    public void Deterministic_and_general_views_agree_with_the_chain_rule()
    {
        var fsa = RandomAutomata.Pfsa(new Random(5), states: 6, alphabetSize: 3, arcsPerState: 3, deterministic: true);
        var deterministic = new DeterministicPfsaLanguageModel<Real>(fsa);
        var general = new PfsaLanguageModel<Real>(fsa);
        foreach (var sample in AncestralSampler.SampleMany(deterministic, 200, seed: 1, maxLength: 30))
        {
            Assert.Equal(sample.LogProbability, deterministic.LogProbability(sample.Symbols), 10);
            Assert.Equal(sample.LogProbability, general.LogProbability(sample.Symbols), 10);
            Assert.Equal(sample.LogProbability, ChainRule.LogProbability(general, sample.Symbols), 10);
        }
    }

    [Fact]
    public void Validation_names_the_state_that_is_not_normalised()
    {
        var fsa = new WfsaBuilder<Real>(Machines.Ab).EnsureStates(2)
            .SetInitial(0, Real.One).SetFinal(0, new Real(0.5)).AddArc(0, 0, 1, new Real(0.5))
            .SetFinal(1, new Real(0.6)).AddArc(1, 1, 1, new Real(0.3))
            .Build();
        var error = Assert.Throws<InvalidModelException>(() => PfsaValidation.Validate(fsa));
        Assert.Contains("State 1 is not normalised", error.Message);
        Assert.Contains("0.9", error.Message);
    }

    [Fact]
    public void Non_deterministic_machines_are_refused_by_the_deterministic_view()
    {
        var fsa = RandomAutomata.Pfsa(new Random(2), 4, 2, 3);
        Assert.False(fsa.IsDeterministic);
        Assert.Throws<InvalidModelException>(() => new DeterministicPfsaLanguageModel<Real>(fsa));
    }

    [Fact]
    public void Random_pfsas_with_traps_leak_and_without_are_tight()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            Assert.Equal(TightnessVerdict.Tight, PfsaTightness.Analyze(RandomAutomata.Pfsa(new Random(seed), 10, 3, 2)).Verdict);
            var leaky = RandomAutomata.Pfsa(new Random(seed), 10, 3, 2, trapStates: 2);
            PfsaValidation.Validate(leaky);
            Assert.Equal(TightnessVerdict.NotTight, PfsaTightness.Analyze(leaky).Verdict);
        }
    }

    [Fact]
    public void Strongly_connected_components_come_sinks_first()
    {
        // 0 → 1 ⇄ 2 → 3: components {3}, {1, 2}, {0} in that order.
        var fsa = new WfsaBuilder<Real>(Machines.Ab).EnsureStates(4)
            .AddArc(0, 0, 1, Real.One).AddArc(1, 0, 2, Real.One).AddArc(2, 0, 1, Real.One).AddArc(2, 1, 3, Real.One)
            .Build();
        var components = StronglyConnectedComponents.Of(fsa);
        Assert.Equal(3, components.Count);
        Assert.Equal([3], components.Members[0]);
        Assert.Equal([1, 2], components.Members[1].Order());
        Assert.Equal([0], components.Members[2]);
    }
}

public sealed class PfsaExpectationTests
{
    [Fact]
    public void The_leaky_pfsa_has_closed_form_length_and_entropy_over_its_finite_strings()
    {
        // Finite strings aⁿ with p = 0.25·0.5ⁿ: Σ n·p = 0.5 and −Σ p log p = 1.5·ln 2.
        var model = new DeterministicPfsaLanguageModel<Real>(Machines.LeakyPfsa());
        Assert.Equal(0.5, model.ExpectedLength().Value, 12);
        Assert.Equal(1.5 * Math.Log(2), model.Entropy().Value, 12);
    }

    [Fact]
    public void A_geometric_pfsa_has_the_geometric_length_and_entropy()
    {
        const double p = 0.8;
        var model = new DeterministicPfsaLanguageModel<Log>(Machines.Geometric<Log>(p));
        Assert.Equal(p / (1 - p), model.ExpectedLength().Value, 11);
        var binary = -p * Math.Log(p) - (1 - p) * Math.Log(1 - p);
        Assert.Equal(binary / (1 - p), model.Entropy().Value, 11);
    }

    [Fact]
    public void Gauss_seidel_and_lu_give_the_same_expectations()
    {
        var fsa = Generators.RandomAutomata.Pfsa(new Random(12), 40, 3, 3, deterministic: true);
        var lu = Pathsums.RealPathsum.Compute(fsa, Pathsums.LinearSolver.DenseLu);
        var gs = Pathsums.RealPathsum.Compute(fsa, Pathsums.LinearSolver.GaussSeidel);
        Assert.Equal(PfsaExpectations.Entropy(fsa, lu).Value, PfsaExpectations.Entropy(fsa, gs).Value, 10);
        Assert.Equal(PfsaExpectations.ExpectedLength(fsa, lu).Value, PfsaExpectations.ExpectedLength(fsa, gs).Value, 10);
    }
}

public sealed class SamplerTests
{
    [Fact]
    public void Alias_tables_draw_with_the_given_frequencies()
    {
        double[] weights = [0.5, 0.1, 0.0, 2.4];
        var table = new AliasTable(weights);
        var random = new Random(1);
        var counts = new int[weights.Length];
        const int n = 300_000;
        for (var i = 0; i < n; i++) counts[table.Sample(random)]++;
        for (var i = 0; i < weights.Length; i++)
        {
            var p = weights[i] / 3.0;
            Assert.InRange(counts[i], n * p - 5 * Math.Sqrt(n * p * (1 - p)) - 1e-9, n * p + 5 * Math.Sqrt(n * p * (1 - p)) + 1e-9);
        }
    }

    [Fact]
    public void Path_sampling_of_a_non_deterministic_pfsa_matches_exact_string_probabilities()
    {
        var fsa = Generators.RandomAutomata.Pfsa(new Random(6), 4, 2, 2);
        var model = new PfsaLanguageModel<Real>(fsa);
        var sampler = new PfsaSampler<Real>(fsa);
        var random = new Random(2);
        const int n = 100_000;
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < n; i++)
        {
            var (symbols, truncated) = sampler.Sample(random, 100);
            Assert.False(truncated);
            var key = fsa.Alphabet.Format(symbols);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        foreach (var (key, count) in counts.Where(c => c.Value >= 200))
        {
            var p = Math.Exp(model.LogProbability(fsa.Alphabet.Parse(key == "ε" ? "" : key)));
            Assert.InRange(count, n * p - 5 * Math.Sqrt(n * p * (1 - p)), n * p + 5 * Math.Sqrt(n * p * (1 - p)));
        }
    }

    [Fact]
    public void A_leaky_pfsa_is_cut_at_the_cap_with_the_leaked_frequency()
    {
        var sampler = new PfsaSampler<Real>(Machines.LeakyPfsa());
        var random = new Random(3);
        var truncated = Enumerable.Range(0, 20_000).Count(_ => sampler.Sample(random, 60).Truncated);
        // P(|y| > 60) = 1 − Σ_{n≤60} 0.25·0.5ⁿ ≈ 0.5: the mass that leaks into the trap.
        Assert.InRange(truncated, 10_000 - 5 * 71, 10_000 + 5 * 71);
    }
}

public sealed class RankGeneratorTests
{
    [Theory]
    [InlineData(8, 4, 1)]
    [InlineData(8, 4, 2)]
    [InlineData(10, 6, 4)]
    [InlineData(5, 9, 5)]
    public void Deterministic_pfsas_have_the_requested_logit_rank_and_are_tight(int states, int symbols, int rank)
    {
        var fsa = Generators.RandomAutomata.DeterministicPfsaWithRank(new Random(rank), states, symbols, rank);
        Assert.True(fsa.IsDeterministic);
        PfsaValidation.Validate(fsa);
        Assert.Equal(Formal.LanguageModels.TightnessVerdict.Tight, PfsaTightness.Analyze(fsa).Verdict);
        // The log-probabilities of each state, centred per column (softmax ignores shifts), span a rank-R space.
        var logProbabilities = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(symbols + 1, states);
        for (var q = 0; q < states; q++)
        {
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++) logProbabilities[fsa.ArcLabels[e], q] = Math.Log(fsa.ArcWeights[e].Value);
            logProbabilities[symbols, q] = Math.Log(fsa.FinalWeights[q].Value);
        }
        var centred = logProbabilities - MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(symbols + 1, symbols + 1, 1.0 / (symbols + 1)) * logProbabilities;
        var singular = centred.Svd().S;
        Assert.Equal(rank, singular.Count(s => s > 1e-9 * singular[0]));
    }
}
