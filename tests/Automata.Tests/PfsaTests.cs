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
