using Workbench.Formal.Generation;
using Workbench.Automata.Core;
using Workbench.Automata.Pathsums;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Adapters;
using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Numerics;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Tests;

/// <summary>PFSA adaptation, tightness evidence, expectations, divergences, the mode and the samplers on hand-worked machines.</summary>
public sealed class PfsaEdgeTests
{
    private static readonly Alphabet Ab = Machines.Ab;

    /// <summary>State 0: a → 1 (0.5), b → 0 (0.3), stop 0.2; state 1: a → 1 (0.6), stop 0.4.</summary>
    private static Wfsa<Real> TwoState() =>
        new WfsaBuilder<Real>(Ab).EnsureStates(2)
            .SetInitial(0, Real.One).SetFinal(0, new Real(0.2)).SetFinal(1, new Real(0.4))
            .AddArc(0, 0, 1, new Real(0.5)).AddArc(0, 1, 0, new Real(0.3)).AddArc(1, 0, 1, new Real(0.6))
            .Build();

    /// <summary>Gives every symbol the same probability, whatever the input: not a truncation, so it can invent arcs.</summary>
    private sealed class UniformAdapter : ISamplingAdapter
    {
        public string Name => "uniform";
        public void Apply(ReadOnlySpan<double> logProbabilities, Span<double> adapted) => adapted.Fill(-Math.Log(adapted.Length));
    }

    private static double ArcWeight(Wfsa<Real> fsa, int state, int label) => fsa.FindArc(state, label) is var e and >= 0 ? fsa.ArcWeights[e].Value : 0;

    [Fact]
    public void Greedy_adaptation_keeps_only_each_states_argmax()
    {
        var adapted = PfsaAdaptation.Adapt(TwoState(), new TopKAdapter(1));
        Assert.Equal(1.0, adapted.InitialWeights[0].Value);
        Assert.Equal(1.0, ArcWeight(adapted, 0, 0), 15);
        Assert.Equal(-1, adapted.FindArc(0, 1));
        Assert.Equal(0.0, adapted.FinalWeights[0].Value);
        Assert.Equal(1.0, ArcWeight(adapted, 1, 0), 15);
        Assert.Equal(0.0, adapted.FinalWeights[1].Value);
        Assert.Equal(1, adapted.ArcTargets[adapted.FindArc(0, 0)]);
        // Greedy never stops: the adapted machine is not tight although the original is (P8.6).
        Assert.Equal(TightnessVerdict.NotTight, PfsaTightness.Analyze(adapted).Verdict);
        Assert.Equal(TightnessVerdict.Tight, PfsaTightness.Analyze(TwoState()).Verdict);
    }

    [Fact]
    public void Temperature_adaptation_reweights_arcs_and_stopping_alike()
    {
        var adapted = PfsaAdaptation.Adapt(TwoState(), new TemperatureAdapter(2));
        var roots = new[] { Math.Sqrt(0.5), Math.Sqrt(0.3), Math.Sqrt(0.2) };
        Assert.Equal(roots[0] / roots.Sum(), ArcWeight(adapted, 0, 0), 14);
        Assert.Equal(roots[1] / roots.Sum(), ArcWeight(adapted, 0, 1), 14);
        Assert.Equal(roots[2] / roots.Sum(), adapted.FinalWeights[0].Value, 14);
        Assert.Equal(Math.Sqrt(0.4) / (Math.Sqrt(0.4) + Math.Sqrt(0.6)), adapted.FinalWeights[1].Value, 14);
    }

    [Fact]
    public void Adaptation_refuses_what_it_cannot_do_state_wise()
    {
        var nondeterministic = new WfsaBuilder<Real>(Ab).EnsureStates(2)
            .SetInitial(0, Real.One).SetFinal(1, Real.One)
            .AddArc(0, 0, 1, new Real(0.5)).AddArc(0, 0, 0, new Real(0.5)).Build();
        Assert.Contains("deterministic", Assert.Throws<WorkbenchException>(() => PfsaAdaptation.Adapt(nondeterministic, new TopKAdapter(1))).Message);
        Assert.Throws<InvalidModelException>(() => PfsaAdaptation.Adapt(Machines.Loop<Real>(0.5, 0.6), new TopKAdapter(1)));
        var invented = Assert.Throws<WorkbenchException>(() => PfsaAdaptation.Adapt(TwoState(), new UniformAdapter()));
        Assert.Contains("uniform gives symbol b probability 0.333 at state 1, which has no arc for it", invented.Message);
    }

    [Fact]
    public void A_state_without_mass_is_left_without_mass()
    {
        // Within a tolerance of one, state 1 may have nothing at all; it stays empty.
        var fsa = new WfsaBuilder<Real>(Ab).EnsureStates(2).SetInitial(0, Real.One).SetFinal(0, Real.One).Build();
        var adapted = PfsaAdaptation.Adapt(fsa, new TopKAdapter(1), tolerance: 1);
        Assert.Equal(0, adapted.ArcEnd(1) - adapted.ArcStart(1));
        Assert.Equal(0.0, adapted.FinalWeights[1].Value);
        Assert.Equal(1.0, adapted.FinalWeights[0].Value);
    }

    [Fact]
    public void Tightness_evidence_names_the_criterion_and_agrees_with_z()
    {
        var tight = PfsaTightness.Analyze(TwoState());
        Assert.Equal("graph criterion: all 2 accessible states are co-accessible", tight.Evidence[0]);
        Assert.DoesNotContain(tight.Evidence, e => e.StartsWith("warning", StringComparison.Ordinal));
        var leaky = PfsaTightness.Analyze(Machines.LeakyPfsa());
        Assert.Equal("graph criterion: 1 accessible state(s) cannot reach a final state (e.g. 1), so mass leaks into them", leaky.Evidence[0]);
        Assert.DoesNotContain(leaky.Evidence, e => e.StartsWith("warning", StringComparison.Ordinal));
        Assert.InRange(0.5, leaky.MassLowerBound, leaky.MassUpperBound);
        Assert.True(leaky.MassLowerBound > 0.5 - 1e-12 && leaky.MassUpperBound < 0.5 + 1e-12, leaky.ToString());
        Assert.Equal(1.0, tight.MassUpperBound);
    }

    [Fact]
    public void A_z_that_contradicts_the_graph_verdict_is_flagged()
    {
        // Normalised only within 0.1: a tight-by-graph machine with Z = 0.499/0.5 and a leaking one with Z = 0.6/0.55.
        var low = Machines.Loop<Real>(0.5, 0.499);
        var lowReport = PfsaTightness.Analyze(low);
        Assert.Equal(TightnessVerdict.Tight, lowReport.Verdict);
        Assert.Contains(lowReport.Evidence, e => e.StartsWith("warning: Z = 0.998", StringComparison.Ordinal));
        var high = new WfsaBuilder<Real>(Ab).EnsureStates(2)
            .SetInitial(0, Real.One).SetFinal(0, new Real(0.6))
            .AddArc(0, 0, 0, new Real(0.45)).AddArc(0, 1, 1, new Real(0.04)).AddArc(1, 1, 1, Real.One).Build();
        var highReport = PfsaTightness.Analyze(high);
        Assert.Equal(TightnessVerdict.NotTight, highReport.Verdict);
        Assert.Contains(highReport.Evidence, e => e.StartsWith("warning", StringComparison.Ordinal));
        Assert.Equal(1.0, highReport.MassUpperBound);
        Assert.True(highReport.MassLowerBound > 1);
    }

    [Fact]
    public void Length_tails_are_powers_of_the_loop_weight()
    {
        var fsa = Machines.Geometric<Real>(0.7);
        var tail = PfsaExpectations.ProbabilityOfLengthAtLeast(fsa, 5);
        Assert.Equal(Math.Pow(0.7, 5), tail.Value, 15);
        Assert.Equal(1.0, tail.ErrorBound / (Math.Pow(0.7, 5) * FloatingPoint.MachineEpsilon * 4 * 6), 12);
        Assert.Equal("λᵀT^T 1", tail.Method);
        Assert.Equal(1.0, PfsaExpectations.ProbabilityOfLengthAtLeast(fsa, 0).Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => PfsaExpectations.ProbabilityOfLengthAtLeast(fsa, -1));
        // Two initial states and a dead one: P(|y| ≥ 2) = 0.5·0.7² + 0.5·0.
        var split = new WfsaBuilder<Real>(Ab).EnsureStates(2)
            .SetInitial(0, new Real(0.5)).SetInitial(1, new Real(0.5)).SetFinal(0, new Real(0.3)).SetFinal(1, Real.One)
            .AddArc(0, 0, 0, new Real(0.7)).Build();
        Assert.Equal(0.5 * 0.49, PfsaExpectations.ProbabilityOfLengthAtLeast(split, 2).Value, 15);
    }

    [Fact]
    public void Expectation_bounds_scale_the_backward_error_by_the_reward_sensitivity()
    {
        var fsa = TwoState();
        var pathsum = RealPathsum.Compute(fsa);
        // E|y|: from 0, E = 0.3(1 + E₀) + 0.5(1 + E₁), E₁ = 0.6(1 + E₁) → E₁ = 1.5, E₀ = (0.3 + 0.5·2.5)/0.7.
        var length = PfsaExpectations.ExpectedLength(fsa, pathsum);
        Assert.Equal((0.3 + 0.5 * 2.5) / 0.7, length.Value, 13);
        Assert.True(length.ErrorBound >= 0.8 * pathsum.BackwardError && length.ErrorBound < 1e-12, length.ToString());
        Assert.Equal("expected reward λᵀ(I − T′)⁻¹T′β", length.Method);
        var entropy = PfsaExpectations.Entropy(fsa, pathsum);
        Assert.True(entropy.ErrorBound < 1e-12);
        Assert.Equal("expected surprisal λᵀ(I − T′)⁻¹h", entropy.Method);
        var nondeterministic = new WfsaBuilder<Real>(Ab).EnsureStates(1).SetInitial(0, Real.One).SetFinal(0, new Real(0.5))
            .AddArc(0, 0, 0, new Real(0.25)).AddArc(0, 0, 0, new Real(0.25)).Build();
        Assert.Throws<WorkbenchException>(() => PfsaExpectations.Entropy(nondeterministic, RealPathsum.Compute(nondeterministic)));
    }

    [Fact]
    public void States_that_never_stop_add_no_stopping_surprisal()
    {
        // a then (b stops or a loops): state 0 never stops; p(a bⁿ…) is geometric. H = H₁/(1) with H₁ = h(0.5, 0.5)·E[visits].
        var fsa = new WfsaBuilder<Real>(Ab).EnsureStates(2)
            .SetInitial(0, Real.One).SetFinal(1, new Real(0.5))
            .AddArc(0, 0, 1, Real.One).AddArc(1, 0, 1, new Real(0.5)).Build();
        var entropy = PfsaExpectations.Entropy(fsa, RealPathsum.Compute(fsa));
        // Lengths 1 + Geometric(1/2): H = Σ_n 2^−n · n log 2 = 2 log 2.
        Assert.Equal(2 * Math.Log(2), entropy.Value, 13);
        var cross = PfsaDivergences.CrossEntropy(fsa, fsa);
        Assert.Equal(2 * Math.Log(2), cross.Value, 13);
        Assert.Equal(0.0, PfsaDivergences.KullbackLeibler(fsa, fsa).Value, 13);
    }

    [Fact]
    public void Divergences_check_their_inputs()
    {
        var p = TwoState();
        var other = new WfsaBuilder<Real>(Alphabet.FromCharacters("abc")).EnsureStates(1).SetInitial(0, Real.One).SetFinal(0, Real.One).Build();
        Assert.ThrowsAny<WorkbenchException>(() => PfsaDivergences.CrossEntropy(p, other));
        Assert.Throws<InvalidModelException>(() => PfsaDivergences.CrossEntropy(Machines.Loop<Real>(0.5, 0.6), p));
        Assert.Throws<InvalidModelException>(() => PfsaDivergences.CrossEntropy(p, Machines.Loop<Real>(0.5, 0.6)));
        var nondeterministic = new WfsaBuilder<Real>(Ab).EnsureStates(1).SetInitial(0, Real.One).SetFinal(0, new Real(0.5))
            .AddArc(0, 0, 0, new Real(0.25)).AddArc(0, 0, 0, new Real(0.25)).Build();
        Assert.Contains("deterministic PFSA q", Assert.Throws<WorkbenchException>(() => PfsaDivergences.CrossEntropy(p, nondeterministic)).Message);
        Assert.Contains("KL(p ‖ q) is exact only when p", Assert.Throws<WorkbenchException>(() => PfsaDivergences.KullbackLeibler(nondeterministic, p)).Message);
    }

    [Fact]
    public void The_kl_bound_adds_the_cross_entropy_and_entropy_bounds()
    {
        var p = TwoState();
        var q = Machines.Geometric<Real>(0.5);
        var q2 = new WfsaBuilder<Real>(Ab).EnsureStates(1).SetInitial(0, Real.One).SetFinal(0, new Real(0.4))
            .AddArc(0, 0, 0, new Real(0.3)).AddArc(0, 1, 0, new Real(0.3)).Build();
        var cross = PfsaDivergences.CrossEntropy(p, q2);
        var entropy = PfsaExpectations.Entropy(p, RealPathsum.Compute(p));
        var kl = PfsaDivergences.KullbackLeibler(p, q2);
        Assert.Equal(cross.Value - entropy.Value, kl.Value, 14);
        Assert.Equal(cross.ErrorBound + entropy.ErrorBound, kl.ErrorBound);
        Assert.True(kl.Value > 0);
        Assert.Throws<InfiniteCrossEntropyException>(() => PfsaDivergences.CrossEntropy(p, q)); // q never emits b
    }

    [Fact]
    public void The_mode_is_found_by_dijkstra_and_read_forwards()
    {
        // "ab" (0.5·0.9 = 0.45) beats ε (0.1) and "a" (0.5·0.1); "b…" is 0.4·… at most 0.4.
        var fsa = new WfsaBuilder<Real>(Ab).EnsureStates(3)
            .SetInitial(0, Real.One).SetFinal(0, new Real(0.1)).SetFinal(1, new Real(0.1)).SetFinal(2, Real.One)
            .AddArc(0, 0, 1, new Real(0.5)).AddArc(0, 1, 2, new Real(0.4)).AddArc(1, 1, 2, new Real(0.9)).Build();
        var (symbols, logProbability) = MostProbableString.Of(fsa);
        Assert.Equal("ab", Ab.Format(symbols));
        Assert.Equal(Math.Log(0.45), logProbability, 14);
        // A longer path that relaxes a state twice: 0 –a(0.2)→ 1 and 0 –b(0.7)→ 2 –a(1)→ 1; 1 stops with 1.
        var relax = new WfsaBuilder<Real>(Ab).EnsureStates(3)
            .SetInitial(0, Real.One).SetFinal(0, new Real(0.1)).SetFinal(1, Real.One)
            .AddArc(0, 0, 1, new Real(0.2)).AddArc(0, 1, 2, new Real(0.7)).AddArc(2, 0, 1, Real.One).Build();
        Assert.Equal("ba", Ab.Format(MostProbableString.Of(relax).Symbols));
        // With weight 0.5 on the initial state the log-probability includes it.
        var halfStart = new WfsaBuilder<Real>(Ab).EnsureStates(2).SetInitial(1, new Real(0.5)).SetFinal(1, Real.One).SetFinal(0, Real.One).Build();
        Assert.Equal(Math.Log(0.5), MostProbableString.Of(halfStart).LogProbability, 14);
    }

    [Fact]
    public void The_mode_needs_a_deterministic_machine_with_some_string()
    {
        var nondeterministic = new WfsaBuilder<Real>(Ab).EnsureStates(1).SetInitial(0, Real.One).SetFinal(0, new Real(0.5))
            .AddArc(0, 0, 0, new Real(0.25)).AddArc(0, 0, 0, new Real(0.25)).Build();
        Assert.Throws<WorkbenchException>(() => MostProbableString.Of(nondeterministic));
        var noStart = new WfsaBuilder<Real>(Ab).EnsureStates(1).SetFinal(0, Real.One).Build();
        Assert.Contains("no initial state", Assert.Throws<WorkbenchException>(() => MostProbableString.Of(noStart)).Message);
        var nothing = new WfsaBuilder<Real>(Ab).EnsureStates(2).SetInitial(0, Real.One).AddArc(0, 0, 1, Real.One).Build();
        Assert.Contains("No string", Assert.Throws<WorkbenchException>(() => MostProbableString.Of(nothing)).Message);
    }

    [Fact]
    public void Alias_tables_split_each_column_at_its_threshold()
    {
        // Weights (1, 3): column 0 keeps 0 below 0.5 and aliases to 1 above; column 1 is all 1.
        var table = new AliasTable([1.0, 3.0]);
        Assert.Equal(0, table.Sample(new FixedRandom(0.2)));
        Assert.Equal(1, table.Sample(new FixedRandom(0.25)));
        Assert.Equal(1, table.Sample(new FixedRandom(0.3)));
        Assert.Equal(1, table.Sample(new FixedRandom(0.9)));
        Assert.Equal(1, table.Sample(new FixedRandom(1.0))); // a generator returning 1 lands in the last column
        Assert.Throws<ArgumentException>(() => new AliasTable([0.0, 0.0]));
        Assert.Throws<ArgumentException>(() => new AliasTable([]));
    }

    [Fact]
    public void Models_and_samplers_validate_their_machines_and_arguments()
    {
        var notPfsa = Machines.Loop<Real>(0.5, 0.6);
        Assert.Throws<InvalidModelException>(() => new DeterministicPfsaLanguageModel<Real>(notPfsa));
        Assert.Throws<InvalidModelException>(() => new PfsaLanguageModel<Real>(notPfsa));
        Assert.Throws<InvalidModelException>(() => new PfsaSampler<Real>(notPfsa));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PfsaSampler<Real>(TwoState()).Sample(new Random(1), -1));
        var epsilon = new WfsaBuilder<Real>(Ab).EnsureStates(2).SetInitial(0, Real.One).SetFinal(1, Real.One)
            .AddArc(0, Wfsa<Real>.Epsilon, 1, Real.One).Build();
        Assert.Contains("ε-arcs", Assert.Throws<InvalidModelException>(() => new PfsaLanguageModel<Real>(epsilon)).Message);
    }

    [Fact]
    public void Language_models_handle_dead_prefixes_and_bad_symbols()
    {
        var deterministic = new DeterministicPfsaLanguageModel<Real>(TwoState());
        var dead = deterministic.Advance(deterministic.Advance(deterministic.InitialState, 0), 1); // state 1 has no b
        Assert.Equal(DeterministicPfsaLanguageModel<Real>.DeadState, dead);
        Assert.Equal(dead, deterministic.Advance(dead, 0));
        var next = new double[3];
        deterministic.NextLogProbabilities(dead, next);
        Assert.Equal([double.NegativeInfinity, double.NegativeInfinity, 0.0], next);
        Assert.Throws<UnknownSymbolException>(() => deterministic.Advance(deterministic.InitialState, Ab.Eos));
        Assert.Throws<UnknownSymbolException>(() => deterministic.LogProbability([0, 7]));
        Assert.Equal("deterministic PFSA LM (2 states, 3 arcs) over {a, b}", deterministic.ToString());

        var general = new PfsaLanguageModel<Real>(TwoState());
        var deadVector = general.Advance(general.Advance(general.InitialState, 0), 1);
        next.AsSpan().Fill(5);
        general.NextLogProbabilities(deadVector, next);
        Assert.Equal([double.NegativeInfinity, double.NegativeInfinity, 0.0], next);
        Assert.Throws<UnknownSymbolException>(() => general.Advance(general.InitialState, Ab.Eos));
        Assert.Throws<UnknownSymbolException>(() => general.LogProbability([Ab.Eos]));
        Assert.Equal(Math.Log(0.5 * 0.6), general.LogPrefixProbability([0, 0]), 14);
        Assert.Equal(Math.Log(0.3 * 0.5), general.LogPrefixProbability([1, 0]), 14);
        Assert.Equal(double.NegativeInfinity, general.LogPrefixProbability([0, 1]));
        Assert.Equal("PFSA LM (2 states, 3 arcs) over {a, b}", general.ToString());
    }
}

/// <summary>A generator that always returns one chosen uniform number.</summary>
internal sealed class FixedRandom(double value) : Random
{
    public override double NextDouble() => value;
}
