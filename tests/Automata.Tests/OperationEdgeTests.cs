using Workbench.Automata.Core;
using Workbench.Automata.Operations;
using Workbench.Automata.Pathsums;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Tests;

/// <summary>Determinizability witnesses, the budgets and reports of (approximate) determinization, minimization, pushing and intersection.</summary>
public sealed class OperationEdgeTests
{
    private static readonly Alphabet Ab = Machines.Ab;

    /// <summary>
    /// Two branches read "ab" from state 0 (to 2 and to 4), then loop on "ab" through 5 and 6 with cycle weights 0.25 and
    /// 0.81, stopping with 1 − cycle weight: siblings that are not twins, with a two-symbol prefix and cycle.
    /// </summary>
    private static Wfsa<Real> LongWitness() =>
        new WfsaBuilder<Real>(Ab).EnsureStates(7)
            .SetInitial(0, Real.One).SetFinal(2, new Real(0.75)).SetFinal(4, new Real(0.19))
            .AddArc(0, 0, 1, new Real(0.5)).AddArc(1, 1, 2, Real.One)
            .AddArc(0, 0, 3, new Real(0.5)).AddArc(3, 1, 4, Real.One)
            .AddArc(2, 0, 5, new Real(0.5)).AddArc(5, 1, 2, new Real(0.5))
            .AddArc(4, 0, 6, new Real(0.9)).AddArc(6, 1, 4, new Real(0.9))
            .Build();

    // Follows the unique arc with each label from a state (every state of LongWitness except 0 is deterministic).
    private static (int State, double LogWeight) Walk(Wfsa<Real> fsa, int state, int[] symbols)
    {
        var log = 0.0;
        foreach (var symbol in symbols)
        {
            var arc = fsa.FindArc(state, symbol);
            Assert.True(arc >= 0, $"no {symbol}-arc at {state}");
            log += Math.Log(fsa.ArcWeights[arc].Value);
            state = fsa.ArcTargets[arc];
        }
        return (state, log);
    }

    [Fact]
    public void A_twins_witness_is_a_real_pair_of_cycles_after_a_common_prefix()
    {
        var fsa = LongWitness();
        var report = Determinizability.Analyze(fsa);
        Assert.True(report.Checked);
        Assert.False(report.HasTwinsProperty);
        Assert.False(report.IsUnambiguous); // "ab" has a path through each branch
        var witness = report.Witness!;
        Assert.NotEqual(witness.First, witness.Second);
        // The prefix reaches both states: after its first symbol the branches are deterministic.
        var reached = new[] { 1, 3 }.Select(start => Walk(fsa, start, witness.Prefix[1..]).State).ToHashSet();
        Assert.Equal(0, witness.Prefix[0]);
        Assert.Contains(witness.First, reached);
        Assert.Contains(witness.Second, reached);
        // The cycle returns to each state with the reported weights, and they differ.
        Assert.Equal(2, witness.Cycle.Length);
        var (firstEnd, firstLog) = Walk(fsa, witness.First, witness.Cycle);
        var (secondEnd, secondLog) = Walk(fsa, witness.Second, witness.Cycle);
        Assert.Equal((witness.First, witness.Second), (firstEnd, secondEnd));
        Assert.Equal(firstLog, witness.FirstCycleLogWeight, 12);
        Assert.Equal(secondLog, witness.SecondCycleLogWeight, 12);
        var weights = new[] { firstLog, secondLog }.Order().ToArray();
        Assert.Equal(Math.Log(0.25), weights[0], 14);
        Assert.Equal(Math.Log(0.81), weights[1], 14);
        var error = Assert.Throws<NotDeterminizableException>(() => Determinization.Determinize(fsa, stateBudget: 50));
        Assert.Contains("the machine is ambiguous, so this is strong evidence, not a proof", error.Message);
        Assert.Contains("exceeded the budget", error.Message);
        Assert.Matches("and loop on .(a b|b a). with weights", error.Message);
    }

    [Fact]
    public void A_witness_cycle_that_closes_away_from_the_search_root_is_completed_inside_its_component()
    {
        // Each branch: r –a→ s1 –b→ s2, s2 –b→ s1 and s2 –a→ r. The b-cycle s1 → s2 → s1 weighs 0.125 in branch A and
        // 0.25 in branch B, so the inconsistent arc of the product closes on (s1, s1), not on the search root.
        var fsa = new WfsaBuilder<Real>(Ab).EnsureStates(7)
            .SetInitial(0, Real.One).SetFinal(1, new Real(0.5)).SetFinal(4, new Real(0.5))
            .AddArc(0, 0, 1, new Real(0.5)).AddArc(0, 0, 4, new Real(0.5))
            .AddArc(1, 0, 2, new Real(0.5)).AddArc(2, 1, 3, new Real(0.5)).AddArc(3, 1, 2, new Real(0.25)).AddArc(3, 0, 1, new Real(0.25))
            .AddArc(4, 0, 5, new Real(0.5)).AddArc(5, 1, 6, new Real(0.5)).AddArc(6, 1, 5, new Real(0.5)).AddArc(6, 0, 4, new Real(0.25))
            .Build();
        var witness = Determinizability.Analyze(fsa).Witness!;
        var reached = new[] { 1, 4 }.Select(start => Walk(fsa, start, witness.Prefix[1..]).State).ToArray();
        Assert.Equal(0, witness.Prefix[0]);
        Assert.Equal(reached.Order(), new[] { witness.First, witness.Second }.Order());
        var (firstEnd, firstLog) = Walk(fsa, witness.First, witness.Cycle);
        var (secondEnd, secondLog) = Walk(fsa, witness.Second, witness.Cycle);
        Assert.Equal((witness.First, witness.Second), (firstEnd, secondEnd));
        Assert.Equal(firstLog, witness.FirstCycleLogWeight, 12);
        Assert.Equal(secondLog, witness.SecondCycleLogWeight, 12);
        Assert.True(Math.Abs(firstLog - secondLog) > 0.1);
    }

    [Fact]
    public void Determinizability_needs_an_epsilon_free_machine_and_a_budget_for_its_product()
    {
        var epsilon = new WfsaBuilder<Real>(Ab).EnsureStates(2).SetInitial(0, Real.One).SetFinal(1, Real.One)
            .AddArc(0, Wfsa<Real>.Epsilon, 1, Real.One).Build();
        Assert.Throws<ArgumentException>(() => Determinizability.Analyze(epsilon));
        var unchecked_ = Determinizability.Analyze(LongWitness(), productArcBudget: 1);
        Assert.Equal(new DeterminizabilityReport(false, null, null, null), unchecked_);
        Assert.False(unchecked_.ProvesNonDeterminizable);
        Assert.False(new DeterminizabilityReport(true, false, false, null).ProvesNonDeterminizable);
        Assert.True(new DeterminizabilityReport(true, false, true, null).ProvesNonDeterminizable);
        Assert.False(new DeterminizabilityReport(true, true, true, null).ProvesNonDeterminizable);
    }

    [Fact]
    public void A_machine_with_the_twins_property_that_outgrows_the_budget_says_so()
    {
        // Two identical branches: ambiguous, twins, determinizable to one loop, but not within one state.
        var fsa = new WfsaBuilder<Real>(Ab).EnsureStates(3)
            .SetInitial(0, Real.One).SetFinal(1, new Real(0.5)).SetFinal(2, new Real(0.5))
            .AddArc(0, 0, 1, new Real(0.5)).AddArc(0, 0, 2, new Real(0.5)).AddArc(1, 0, 1, new Real(0.5)).AddArc(2, 0, 2, new Real(0.5)).Build();
        var error = Assert.Throws<NotDeterminizableException>(() => Determinization.Determinize(fsa, stateBudget: 1));
        Assert.StartsWith("Determinization stopped: the subset construction exceeded the budget of 1 states", error.Message);
        Assert.Contains("it has the twins property (cycle weights equal to a relative 10⁻¹²), so the construction should close in exact arithmetic: raise the budget", error.Message);
        Assert.Equal(2, Determinization.Determinize(fsa).StateCount);
    }

    [Fact]
    public void Determinizing_a_deterministic_machine_keeps_every_weight_bit_for_bit_and_drops_zero_arcs()
    {
        var fsa = new WfsaBuilder<Real>(Ab).EnsureStates(2)
            .SetInitial(0, Real.One).SetFinal(0, new Real(0.1)).SetFinal(1, new Real(1.0 / 3))
            .AddArc(0, 0, 1, new Real(0.9)).AddArc(0, 1, 0, new Real(0)).AddArc(1, 0, 1, new Real(2.0 / 3)).Build();
        var result = Determinization.Determinize(fsa);
        Assert.Equal(2, result.StateCount);
        Assert.Equal(2, result.ArcCount);
        Assert.Equal(0.9, result.ArcWeights[result.FindArc(0, 0)].Value);
        Assert.Equal(2.0 / 3, result.ArcWeights[result.FindArc(1, 0)].Value);
        Assert.Equal(1.0 / 3, result.FinalWeights[1].Value);
        Assert.Equal(0.1, result.FinalWeights[0].Value);
        // Log weights below the double range survive as logarithms.
        var tiny = new WfsaBuilder<Log>(Ab).EnsureStates(1).SetInitial(0, Log.One).SetFinal(0, new Log(-800)).Build();
        Assert.Equal(-800, Determinization.Determinize(tiny).FinalWeights[0].Value, 12);
    }

    [Fact]
    public void Residual_growth_past_its_budget_is_refused()
    {
        // p(aⁿ) = ½·0.5ⁿ·0.5 + ½·0.8ⁿ·0.2: every residual is new and needs more bits.
        var fsa = new WfsaBuilder<Real>(Ab).EnsureStates(3)
            .SetInitial(0, Real.One).SetFinal(1, new Real(0.5)).SetFinal(2, new Real(0.2))
            .AddArc(0, 0, 1, new Real(0.5)).AddArc(0, 0, 2, new Real(0.5)).AddArc(1, 0, 1, new Real(0.5)).AddArc(2, 0, 2, new Real(0.8)).Build();
        var error = Assert.Throws<NotDeterminizableException>(() => Determinization.Determinize(fsa, residualBitBudget: 200));
        Assert.Contains("a residual weight needs more than 200 bits", error.Message);
    }

    [Fact]
    public void Approximate_determinization_reports_and_checks_its_tolerance()
    {
        var fsa = new WfsaBuilder<Real>(Ab).EnsureStates(3)
            .SetInitial(0, Real.One).SetFinal(1, new Real(0.5)).SetFinal(2, new Real(0.5))
            .AddArc(0, 0, 1, new Real(0.5)).AddArc(0, 0, 2, new Real(0.5)).AddArc(1, 0, 1, new Real(0.5)).AddArc(2, 0, 2, new Real(0.5 * (1 + 1e-9))).Build();
        var result = ApproximateDeterminization.Determinize(fsa, 1e-6);
        Assert.False(result.IsExact);
        Assert.True(result.InexactMerges >= 1);
        Assert.InRange(result.MaxMergedLogDifference, 1e-12, Math.Log(1 + 1e-6));
        Assert.Equal(7 * result.MaxMergedLogDifference, result.LogErrorBound(7));
        Assert.StartsWith("approximate:", result.Describe());
        Assert.EndsWith(FormattableString.Invariant($"for every string y, |ln A′(y) − ln A(y)| ≤ |y|·{result.MaxMergedLogDifference:G3}"), result.Describe());
        var exact = ApproximateDeterminization.Determinize(Machines.Geometric<Real>(0.5), 1);
        Assert.True(exact.IsExact);
        Assert.Equal("exact: no residuals were merged inexactly (δ = 1)", exact.Describe());
        foreach (var delta in new[] { 0.0, -1e-3, 1.5, double.NaN })
            Assert.Throws<ArgumentOutOfRangeException>(() => ApproximateDeterminization.Determinize(fsa, delta));
        Assert.Throws<NotDeterminizableException>(() => ApproximateDeterminization.Determinize(fsa, 1e-12, stateBudget: 3));
    }

    [Fact]
    public void Minimization_describes_its_merges_and_checks_its_tolerance()
    {
        var exact = new Minimized<Real>(Machines.Geometric<Real>(0.5), 0, 0, WasPushed: false);
        Assert.Equal("exact: every merged weight was equal", exact.Describe());
        Assert.EndsWith("stayed apart (a merge tolerance δ such as 1e-12 merges them with a stated bound)", (exact with { WasPushed = true }).Describe());
        Assert.Equal("exact: every merged weight was equal", (exact with { WasPushed = true, Delta = 1e-3 }).Describe());
        var approximate = exact with { Delta = 0.01, MaxMergedLogDifference = 0.005 };
        Assert.Equal("approximate: merged weights differ by up to a factor e^0.005 (δ = 0.01); for every string y, |ln A′(y) − ln A(y)| ≤ (|y| + 1)·0.005", approximate.Describe());
        foreach (var delta in new[] { -1e-3, 1.5, double.NaN })
            Assert.Throws<ArgumentOutOfRangeException>(() => Minimization.Minimize(Machines.Geometric<Real>(0.5), delta));
        Assert.True(Minimization.Minimize(Machines.Geometric<Real>(0.5), 1).IsExact);
    }

    [Fact]
    public void A_weighted_machine_is_pushed_before_it_is_minimized_and_keeps_its_string_weights()
    {
        // Not a PFSA: a two-state chain that loops with 0.5 and stops with 0.6 in both states is one state after pushing.
        var fsa = new WfsaBuilder<Real>(Ab).EnsureStates(2)
            .SetInitial(0, new Real(2)).SetFinal(0, new Real(0.6)).SetFinal(1, new Real(0.6))
            .AddArc(0, 0, 1, new Real(0.5)).AddArc(1, 0, 0, new Real(0.5)).Build();
        var minimized = Minimization.Minimize(fsa, 0);
        Assert.True(minimized.WasPushed);
        Assert.Equal(1, minimized.Machine.StateCount);
        foreach (var n in new[] { 0, 1, 4 })
            Assert.Equal(Stringsum.Weight(fsa, new int[n]).Value, Stringsum.Weight(minimized.Machine, new int[n]).Value, 13);
        // Pushing divides by Z = 2·1.2 (β = 0.6/(1 − 0.5) in both states): λ = 2·1.2/2.4, ρ = 0.6/1.2, w = 0.5·1.2/1.2.
        var pushed = WeightPushing.Push(fsa);
        Assert.Equal(1.0, pushed.InitialWeights[0].Value, 13);
        Assert.Equal(0.5, pushed.FinalWeights[0].Value, 13);
        Assert.Equal(0.5, pushed.ArcWeights[pushed.FindArc(0, 0)].Value, 13);
        var nothing = new WfsaBuilder<Real>(Ab).EnsureStates(1).SetInitial(0, Real.One).Build();
        Assert.Contains("The allsum is 0", Assert.Throws<WorkbenchException>(() => WeightPushing.Push(nothing)).Message);
    }

    [Fact]
    public void Intersections_match_labels_in_order_and_respect_their_budget()
    {
        // a accepts a*b*, b accepts (a|b)* with the b-arc listed first: the merge must skip the unmatched labels.
        var a = new WfsaBuilder<Real>(Ab).EnsureStates(2).SetInitial(0, Real.One).SetFinal(0, new Real(0.5)).SetFinal(1, new Real(0.5))
            .AddArc(0, 0, 0, new Real(0.25)).AddArc(0, 1, 1, new Real(0.25)).AddArc(1, 1, 1, new Real(0.5)).Build();
        var b = new WfsaBuilder<Real>(Ab).EnsureStates(1).SetInitial(0, Real.One).SetFinal(0, new Real(0.2))
            .AddArc(0, 1, 0, new Real(0.3)).AddArc(0, 0, 0, new Real(0.5)).Build();
        var both = Intersection.Intersect(a, b);
        foreach (var y in new[] { new[] { 0, 1 }, [1, 1], [0, 0, 1], [1, 0] })
            Assert.Equal(Stringsum.Weight(a, y).Value * Stringsum.Weight(b, y).Value, Stringsum.Weight(both, y).Value, 15);
        Assert.Contains("budget of 1 product states", Assert.Throws<BudgetExceededException>(() => Intersection.Intersect(a, b, stateBudget: 1)).Message);
        var other = new WfsaBuilder<Real>(Alphabet.FromCharacters("xy")).EnsureStates(1).SetInitial(0, Real.One).SetFinal(0, Real.One).Build();
        Assert.Throws<WorkbenchException>(() => Intersection.Intersect(a, other));
        Assert.Throws<WorkbenchException>(() => RationalOperations.Union(a, other));
        Assert.Throws<WorkbenchException>(() => RationalOperations.Concatenate(a, other));
    }

    [Fact]
    public void Epsilon_removal_reports_the_largest_closure_mass()
    {
        Assert.Equal(1.0, EpsilonRemoval.Remove(Machines.Geometric<Real>(0.5), out var none) is var _ ? none : 0);
        // State 0 –ε(0.5)→ 1 –ε(0.5)→ 2: the closure of 0 holds 1 + 0.5 + 0.25.
        var fsa = new WfsaBuilder<Real>(Ab).EnsureStates(3).SetInitial(0, Real.One).SetFinal(2, Real.One).SetFinal(0, new Real(0.5)).SetFinal(1, new Real(0.5))
            .AddArc(0, Wfsa<Real>.Epsilon, 1, new Real(0.5)).AddArc(1, Wfsa<Real>.Epsilon, 2, new Real(0.5)).Build();
        EpsilonRemoval.Remove(fsa, out var mass);
        Assert.Equal(1.75, mass, 14);
    }
}
