using Workbench.Automata.Core;
using Workbench.Automata.Generators;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Estimation;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Tests;

public sealed class DivergenceTests
{
    [Fact]
    public void Cross_entropy_and_kl_of_two_geometric_pfsas_have_closed_forms()
    {
        // p(aⁿ) = 0.5ⁿ·0.5 has E n = 1, so H(p, q) = −(1·ln 0.8 + ln 0.2) and H(p) = 2 ln 2.
        var p = Machines.Geometric<Real>(0.5);
        var q = Machines.Geometric<Real>(0.8);
        var crossEntropy = -(Math.Log(0.8) + Math.Log(0.2));
        Assert.Equal(crossEntropy, PfsaDivergences.CrossEntropy(p, q).Value, 12);
        Assert.Equal(crossEntropy - 2 * Math.Log(2), PfsaDivergences.KullbackLeibler(p, q).Value, 12);
        Assert.Equal(0.0, PfsaDivergences.KullbackLeibler(p, p).Value, 12);
    }

    [Fact]
    public void Cross_entropy_is_infinite_when_q_excludes_what_p_generates()
    {
        // q only loops on b; p stops after a's with positive probability.
        var q = new WfsaBuilder<Real>(Machines.Ab).EnsureStates(1).SetInitial(0, Real.One).SetFinal(0, new Real(0.5)).AddArc(0, 1, 0, new Real(0.5)).Build();
        var error = Assert.Throws<InfiniteCrossEntropyException>(() => PfsaDivergences.CrossEntropy(Machines.Geometric<Real>(0.5), q));
        Assert.Contains("'a'", error.Message);
        // Strings that fall into p's trap never finish, so they do not count: the leaky p against a q without b is finite.
        var onlyA = Machines.Geometric<Real>(0.5);
        Assert.True(double.IsFinite(PfsaDivergences.CrossEntropy(Machines.LeakyPfsa(), onlyA).Value));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Exact_cross_entropy_agrees_with_monte_carlo(int seed)
    {
        var p = RandomAutomata.Pfsa(new Random(seed), 5, 2, 2);
        var q = RandomAutomata.Pfsa(new Random(seed + 100), 4, 2, 2, deterministic: true);
        var exact = PfsaDivergences.CrossEntropy(p, q).Value;
        var estimate = MonteCarlo.CrossEntropy(new PfsaLanguageModel<Real>(p), new DeterministicPfsaLanguageModel<Real>(q), 20_000, seed, 1_000);
        Assert.True(Math.Abs(estimate.Value - exact) <= 4 * estimate.StandardError, $"exact {exact}, estimate {estimate}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void The_mode_of_a_deterministic_pfsa_beats_every_string_up_to_a_tail_bound(int seed)
    {
        var fsa = RandomAutomata.Pfsa(new Random(seed), 5, 2, 2, deterministic: true);
        var model = new DeterministicPfsaLanguageModel<Real>(fsa);
        var (mode, logProbability) = MostProbableString.Of(fsa);
        Assert.Equal(model.LogProbability(mode), logProbability, 12);
        const int depth = 10;
        var best = double.NegativeInfinity;
        IEnumerable<int[]> level = [[]];
        for (var n = 0; n <= depth; n++)
        {
            foreach (var y in level) best = Math.Max(best, model.LogProbability(y));
            level = level.SelectMany(y => new[] { (int[])[.. y, 0], [.. y, 1] }).ToList();
        }
        Assert.True(logProbability >= best - 1e-12);
        // Longer strings cannot beat the mode when (max arc weight)^(depth+1) is already below it.
        var maxArc = fsa.ArcWeights.ToArray().Max(w => w.Value);
        if ((depth + 1) * Math.Log(maxArc) < logProbability) Assert.Equal(best, logProbability, 12);
    }
}
