using Workbench.Automata.Core;
using Workbench.Automata.Pathsums;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Tests;

/// <summary>The certified real pathsum's solvers, validation and certificates, and the generic pathsums at their limits.</summary>
public sealed class PathsumEdgeTests
{
    private static readonly Alphabet Ab = Machines.Ab;

    /// <summary>A cycle of n states on a, each stopping with probability 1/2: Z = 1 from every state.</summary>
    private static Wfsa<T> Ring<T>(int n, int label = 0) where T : struct, ISemiring<T>, IRealWeight<T>
    {
        var builder = new WfsaBuilder<T>(Ab).EnsureStates(n).SetInitial(0, T.FromReal(1));
        for (var q = 0; q < n; q++) builder.SetFinal(q, T.FromReal(0.5)).AddArc(q, label, (q + 1) % n, T.FromReal(0.5));
        return builder.Build();
    }

    [Theory]
    [InlineData(LinearSolver.DenseLu, 0)]
    [InlineData(LinearSolver.GaussSeidel, 1)]
    public void The_requested_solver_is_the_one_used_and_named(LinearSolver solver, int minimumSweeps)
    {
        var pathsum = RealPathsum.Compute(Ring<Real>(5), solver);
        Assert.Equal(solver, pathsum.Solver);
        Assert.Equal(1.0, pathsum.Allsum.Value, 14);
        Assert.True(pathsum.Sweeps >= minimumSweeps);
        if (solver == LinearSolver.DenseLu)
        {
            Assert.Equal(0, pathsum.Sweeps);
            Assert.Equal("dense LU on the trimmed machine", pathsum.Allsum.Method);
        }
        else Assert.Equal($"Gauss–Seidel on the trimmed machine ({pathsum.Sweeps} sweeps)", pathsum.Allsum.Method);
    }

    [Fact]
    public void The_automatic_solver_switches_to_gauss_seidel_above_the_dense_limit()
    {
        Assert.Equal(LinearSolver.DenseLu, RealPathsum.Compute(Ring<Real>(RealPathsum.DenseLimit)).Solver);
        var large = RealPathsum.Compute(Ring<Real>(RealPathsum.DenseLimit + 1));
        Assert.Equal(LinearSolver.GaussSeidel, large.Solver);
        Assert.Equal(1.0, large.Allsum.Value, 13);
        Assert.InRange(1.0, large.Allsum.Value - large.Allsum.ErrorBound - 1e-15, large.Allsum.Value + large.Allsum.ErrorBound + 1e-15);
    }

    [Fact]
    public void A_machine_without_useful_states_has_allsum_exactly_zero()
    {
        var dead = new WfsaBuilder<Real>(Ab).EnsureStates(2).SetInitial(0, Real.One).AddArc(0, 0, 1, Real.One).Build();
        var pathsum = RealPathsum.Compute(dead);
        Assert.Equal(CertifiedValue(0, 0, "no useful state"), (pathsum.Allsum.Value, pathsum.Allsum.ErrorBound, pathsum.Allsum.Method));
        Assert.Equal(0, pathsum.UsefulStates);
        Assert.Equal(0.0, pathsum.Expectation([1.0, 1.0], 0, "reward").Value);

        static (double, double, string) CertifiedValue(double value, double bound, string method) => (value, bound, method);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1.5)]
    public void Loops_of_weight_one_or_more_diverge(double weight) =>
        Assert.Contains("spectral radius", Assert.Throws<DivergenceException>(() => RealPathsum.Compute(Machines.Loop<Real>(weight, 0.5))).Message);

    [Fact]
    public void Spectral_bounds_of_a_single_loop_are_its_weight()
    {
        var pathsum = RealPathsum.Compute(Machines.Loop<Real>(0.5, 0.5));
        Assert.Equal(0.5, pathsum.SpectralRadiusLowerBound, 12);
        Assert.Equal(0.5, pathsum.SpectralRadiusUpperBound, 12);
    }

    [Fact]
    public void A_reward_known_only_to_within_an_error_widens_the_bound_by_that_error_times_the_expected_visits()
    {
        // One loop of weight 1/2: (I − T)⁻¹1 = 2 visits, so an error of 0.5 per visit is 1 on the expectation.
        var pathsum = RealPathsum.Compute(Machines.Loop<Real>(0.5, 0.5));
        var expectation = pathsum.Expectation([1.0], 0.5, "visits");
        Assert.Equal(2.0, expectation.Value, 14);
        Assert.InRange(expectation.ErrorBound, 1 - 1e-9, 1 + 1e-9);
        Assert.Equal("visits", expectation.Method);
        Assert.True(pathsum.Expectation([1.0], 0, "visits").ErrorBound < 1e-14);
    }

    [Theory]
    [InlineData(true, false, -1, "The initial weight of state 0 is -0.5; real weights must be finite and non-negative.")]
    [InlineData(false, true, -1, "The final weight of state 0 is -0.5; real weights must be finite and non-negative.")]
    [InlineData(false, false, 0, "The arc 0 –a→ 1 is -0.5; real weights must be finite and non-negative.")]
    [InlineData(false, false, Wfsa<Real>.Epsilon, "The arc 0 –ε→ 1 is -0.5; real weights must be finite and non-negative.")]
    public void Negative_weights_are_named_where_they_are(bool initial, bool final, int label, string message)
    {
        var builder = new WfsaBuilder<Real>(Ab).EnsureStates(2)
            .SetInitial(0, new Real(initial ? -0.5 : 1)).SetFinal(0, new Real(final ? -0.5 : 0.5)).SetFinal(1, Real.One);
        builder.AddArc(0, label, 1, new Real(initial || final ? 0.5 : -0.5));
        Assert.Equal(message, Assert.Throws<InvalidModelException>(() => RealPathsum.Compute(builder.Build())).Message);
    }

    [Fact]
    public void Expected_arc_counts_are_the_expected_uses_under_the_path_distribution()
    {
        // p(aⁿ) = 0.7ⁿ·0.3: the loop is used E[n] = 0.7/0.3 times.
        var (counts, z) = ExpectedCounts.Arcs(Machines.Geometric<Real>(0.7));
        Assert.Equal(1.0, z, 14);
        Assert.Equal(0.7 / 0.3, Assert.Single(counts), 13);
        // The leaky machine: among finite strings (Z = 1/2) aⁿ has probability 2^−n/2·…, E[n] = 1; the b-arc and the trap are never used.
        var (leaky, leakyZ) = ExpectedCounts.Arcs(Machines.LeakyPfsa());
        Assert.Equal(0.5, leakyZ, 14);
        Assert.Equal([1.0, 0.0, 0.0], leaky.Select(c => Math.Round(c, 12)));
    }

    [Fact]
    public void Reversal_swaps_initial_and_final_weights_and_turns_arcs_around()
    {
        var fsa = new WfsaBuilder<Log>(Ab).EnsureStates(2)
            .SetInitial(0, Log.FromReal(0.25)).SetFinal(1, Log.FromReal(0.5))
            .AddArc(0, 1, 1, Log.FromReal(0.75)).Build();
        var reversed = Pathsum.Reverse(fsa);
        Assert.Equal(Log.FromReal(0.5), reversed.InitialWeights[1]);
        Assert.Equal(Log.FromReal(0.25), reversed.FinalWeights[0]);
        var arc = reversed.FindArc(1, 1);
        Assert.Equal(0, reversed.ArcTargets[arc]);
        Assert.Equal(Log.FromReal(0.75), reversed.ArcWeights[arc]);
        // The forward values are the backward values of the reversal: α(1) = 0.25·0.75.
        var forward = Pathsum.Forward(fsa);
        Assert.Equal(Math.Log(0.25 * 0.75), forward[1].Value, 14);
        Assert.Equal(Math.Log(0.25), forward[0].Value, 14);
    }

    [Fact]
    public void A_component_with_a_dead_member_still_solves_the_live_one()
    {
        // 0 ⇄ 1 on a (1/2 each way), only 1 stops (1/2): β(1) = 0.5/(1 − 0.25) = 2/3, β(0) = 0.5·β(1).
        var fsa = new WfsaBuilder<Log>(Ab).EnsureStates(2)
            .SetInitial(0, Log.One).SetFinal(1, Log.FromReal(0.5))
            .AddArc(0, 0, 1, Log.FromReal(0.5)).AddArc(1, 0, 0, Log.FromReal(0.5)).Build();
        var beta = Pathsum.Backward(fsa);
        Assert.Equal(Math.Log(2.0 / 3), beta[1].Value, 14);
        Assert.Equal(Math.Log(1.0 / 3), beta[0].Value, 14);
    }

    [Fact]
    public void Dense_closures_beyond_the_limit_are_refused_before_any_work()
    {
        var ring = Ring<Log>(Pathsum.DenseClosureLimit + 1);
        Assert.Contains("Lehmann's closure of a 4097-state machine", Assert.Throws<BudgetExceededException>(() => Pathsum.Backward(ring, PathsumStrategy.Lehmann)).Message);
        Assert.Contains("strongly connected component has 4097 states", Assert.Throws<BudgetExceededException>(() => Pathsum.Backward(ring)).Message);
        var epsilonRing = Ring<Log>(Pathsum.DenseClosureLimit + 1, Wfsa<Log>.Epsilon);
        Assert.Contains("ε-closure of a 4097-state machine", Assert.Throws<BudgetExceededException>(() => Stringsum.Weight(epsilonRing, [])).Message);
    }

    [Fact]
    public void Stringsums_check_symbols()
    {
        Assert.Throws<UnknownSymbolException>(() => Stringsum.Weight(Machines.Geometric<Real>(0.5), [Ab.Eos]));
        Assert.Equal(0.5 * 0.5, Stringsum.Weight(Machines.Geometric<Real>(0.5), [0]).Value, 15);
    }

    [Fact]
    public void Shortest_distances_with_negative_arcs_use_bellman_ford()
    {
        // 0 –(−1)→ 1 –(2)→ 2 (final 0), and 0 –(3)→ 2: d(0) = 1 through state 1.
        var fsa = new WfsaBuilder<Tropical>(Ab).EnsureStates(3)
            .SetInitial(0, Tropical.One).SetFinal(2, Tropical.One)
            .AddArc(0, 0, 1, new Tropical(-1)).AddArc(1, 0, 2, new Tropical(2)).AddArc(0, 1, 2, new Tropical(3)).Build();
        Assert.Equal([1.0, 2.0, 0.0], ShortestDistance.Backward(fsa));
        var positive = new WfsaBuilder<Tropical>(Ab).EnsureStates(3)
            .SetInitial(0, Tropical.One).SetFinal(2, Tropical.One).SetFinal(1, new Tropical(5))
            .AddArc(0, 0, 1, new Tropical(1)).AddArc(1, 0, 2, new Tropical(2)).AddArc(0, 1, 2, new Tropical(4)).Build();
        Assert.Equal([3.0, 2.0, 0.0], ShortestDistance.Backward(positive));
        var negativeCycle = new WfsaBuilder<Tropical>(Ab).EnsureStates(1)
            .SetInitial(0, Tropical.One).SetFinal(0, Tropical.One).AddArc(0, 0, 0, new Tropical(-1)).Build();
        Assert.Throws<DivergenceException>(() => ShortestDistance.Backward(negativeCycle));
    }

    [Fact]
    public void Validation_accepts_sums_exactly_within_tolerance_and_single_weights_up_to_one_plus_it()
    {
        var exact = new WfsaBuilder<Real>(Ab).EnsureStates(1).SetInitial(0, Real.One).SetFinal(0, new Real(0.5)).AddArc(0, 0, 0, new Real(0.5)).Build();
        Assert.True(PfsaValidation.IsPfsa(exact, tolerance: 0));
        var heavy = new WfsaBuilder<Real>(Ab).EnsureStates(1).SetInitial(0, Real.One).SetFinal(0, new Real(1.5)).Build();
        Assert.True(PfsaValidation.IsPfsa(heavy, tolerance: 0.6));
        Assert.False(PfsaValidation.IsPfsa(heavy, tolerance: 0.4));
        var negative = new WfsaBuilder<Real>(Ab).EnsureStates(1).SetInitial(0, Real.One).SetFinal(0, new Real(1.25)).AddArc(0, 0, 0, new Real(-0.25)).Build();
        Assert.Contains("has weight -0.25, which is not a probability", Assert.Throws<InvalidModelException>(() => PfsaValidation.Validate(negative, 0.5)).Message);
        var twoStarts = new WfsaBuilder<Real>(Ab).EnsureStates(2).SetInitial(0, new Real(0.5)).SetInitial(1, new Real(0.5)).SetFinal(0, Real.One).SetFinal(1, Real.One).Build();
        Assert.True(PfsaValidation.IsPfsa(twoStarts, tolerance: 0));
    }
}
