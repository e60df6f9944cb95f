using Workbench.Automata.Core;
using Workbench.Automata.Pathsums;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Tests;

public sealed class PathsumTests
{
    [Theory]
    [InlineData(0.5, 0.5, 1.0)]
    [InlineData(0.9, 2.0, 20.0)]
    [InlineData(0.0, 3.0, 3.0)]
    public void A_weighted_loop_sums_to_f_over_one_minus_w(double w, double f, double z)
    {
        var loop = Machines.Loop<Real>(w, f);
        Assert.Equal(z, Pathsum.Allsum(loop, PathsumStrategy.Lehmann).Value, 12);
        Assert.Equal(z, Pathsum.Allsum(loop).Value, 12);
        var certified = RealPathsum.Compute(loop).Allsum;
        Assert.True(Math.Abs(certified.Value - z) <= certified.ErrorBound + 1e-15, certified.ToString());
        Assert.Equal(z, RealPathsum.Compute(Machines.Loop<Log>(w, f), LinearSolver.GaussSeidel).Allsum.Value, 12);
    }

    [Fact]
    public void A_loop_of_weight_one_diverges_under_every_strategy()
    {
        var loop = Machines.Loop<Real>(1.0, 0.5);
        Assert.Throws<DivergenceException>(() => Pathsum.Allsum(loop));
        Assert.Throws<DivergenceException>(() => RealPathsum.Compute(loop, LinearSolver.DenseLu));
        var error = Assert.Throws<DivergenceException>(() => RealPathsum.Compute(loop, LinearSolver.GaussSeidel));
        Assert.Contains("spectral radius", error.Message);
    }

    [Fact]
    public void A_divergent_cycle_that_cannot_reach_a_final_state_does_not_matter()
    {
        // State 1 loops with weight 2 but has no way to stop: it adds nothing to Z = 0.5/(1 − 0.5).
        var fsa = new WfsaBuilder<Real>(Machines.Ab).EnsureStates(2)
            .SetInitial(0, Real.One).SetFinal(0, new Real(0.5))
            .AddArc(0, 0, 0, new Real(0.5)).AddArc(0, 1, 1, new Real(1)).AddArc(1, 1, 1, new Real(2))
            .Build();
        Assert.Equal(1.0, Pathsum.Allsum(fsa).Value, 14);
        Assert.Equal(1.0, RealPathsum.Compute(fsa).Allsum.Value, 14);
    }

    [Fact]
    public void The_acyclic_strategy_refuses_cycles()
    {
        var error = Assert.Throws<WorkbenchException>(() => Pathsum.Allsum(Machines.Loop<Real>(0.5, 0.5), PathsumStrategy.Acyclic));
        Assert.Contains("cycle", error.Message);
    }

    [Fact]
    public void Counting_pathsums_count_paths_and_report_infinitely_many()
    {
        // 0 → 1 on a and on b, 1 → 2 on a and on b: four accepting paths.
        var diamond = new WfsaBuilder<Counting>(Machines.Ab).EnsureStates(3)
            .SetInitial(0, Counting.One).SetFinal(2, Counting.One)
            .AddArc(0, 0, 1, Counting.One).AddArc(0, 1, 1, Counting.One)
            .AddArc(1, 0, 2, Counting.One).AddArc(1, 1, 2, Counting.One)
            .Build();
        Assert.Equal(Counting.Of(4), Pathsum.Allsum(diamond, PathsumStrategy.Acyclic));
        var loop = Machines.Loop<Real>(0.5, 1).Map(_ => Counting.One);
        Assert.True(Pathsum.Allsum(loop).IsInfinite);
    }

    [Fact]
    public void The_expectation_semiring_gives_the_expected_length_of_a_geometric_pfsa()
    {
        const double p = 0.75;
        var geometric = Machines.Geometric<Real>(p);
        // Arc weights carry (w, w·1): each arc adds one symbol to the length.
        var lifted = new WfsaBuilder<Expectation>(Machines.Ab).EnsureStates(1)
            .SetInitial(0, Expectation.One).SetFinal(0, new Expectation(geometric.FinalWeights[0].Value, 0))
            .AddArc(0, 0, 0, Expectation.Of(p, 1))
            .Build();
        var total = Pathsum.Allsum(lifted);
        Assert.Equal(1.0, total.P, 12);
        Assert.Equal(p / (1 - p), total.R, 12);
    }

    [Fact]
    public void Tropical_shortest_distance_uses_dijkstra_or_detects_negative_cycles()
    {
        var fsa = new WfsaBuilder<Tropical>(Machines.Ab).EnsureStates(3)
            .SetInitial(0, Tropical.One).SetFinal(2, new Tropical(0.5))
            .AddArc(0, 0, 1, new Tropical(1)).AddArc(1, 0, 2, new Tropical(1)).AddArc(0, 1, 2, new Tropical(3))
            .Build();
        Assert.Equal([2.5, 1.5, 0.5], ShortestDistance.Backward(fsa));
        Assert.Equal(2.5, Pathsum.Allsum(fsa).Value, 14);
        var negative = new WfsaBuilder<Tropical>(Machines.Ab).EnsureStates(1)
            .SetInitial(0, Tropical.One).SetFinal(0, Tropical.One).AddArc(0, 0, 0, new Tropical(-1)).Build();
        Assert.Throws<DivergenceException>(() => ShortestDistance.Backward(negative));
    }

    [Fact]
    public void Stringsum_follows_epsilon_arcs()
    {
        // 0 –ε/0.5→ 1, 0 –a/0.25→ 1, 1 –a/1→ 2 (final 1): A(a) = 0.5, A(aa) = 0.25.
        var fsa = new WfsaBuilder<Real>(Machines.Ab).EnsureStates(3)
            .SetInitial(0, Real.One).SetFinal(2, Real.One)
            .AddArc(0, Wfsa<Real>.Epsilon, 1, new Real(0.5)).AddArc(0, 0, 1, new Real(0.25)).AddArc(1, 0, 2, Real.One)
            .Build();
        Assert.True(fsa.HasEpsilonArcs);
        Assert.Equal(0.5, Stringsum.Weight(fsa, [0]).Value, 15);
        Assert.Equal(0.25, Stringsum.Weight(fsa, [0, 0]).Value, 15);
        Assert.Equal(0.0, Stringsum.Weight(fsa, [1]).Value);
    }

    [Fact]
    public void Invalid_real_weights_are_named()
    {
        var fsa = new WfsaBuilder<Real>(Machines.Ab).EnsureStates(2)
            .SetInitial(0, Real.One).SetFinal(1, Real.One).AddArc(0, 1, 1, new Real(double.NaN)).Build();
        var error = Assert.Throws<InvalidModelException>(() => RealPathsum.Compute(fsa));
        Assert.Contains("arc 0 –b→ 1", error.Message);
    }

    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(2, 0.9)]
    [InlineData(3, 0.99)]
    [InlineData(4, 0.999)]
    public void Gauss_seidel_above_the_dense_threshold_is_certified_against_lu(int seed, double radius)
    {
        // 400–700 useful states, so the automatic solver takes Gauss–Seidel; LU on the same system is the reference, and
        // the difference must lie inside the two certified bounds together. Self-loops exercise the divided-out diagonal.
        var random = new Random(seed);
        var fsa = Generators.RandomAutomata.Wfsa(random, 400 + random.Next(300), 3, 3, radius);
        var automatic = RealPathsum.Compute(fsa);
        var lu = RealPathsum.Compute(fsa, LinearSolver.DenseLu);
        Assert.True(automatic.UsefulStates > RealPathsum.DenseLimit);
        Assert.True(automatic.Solver == LinearSolver.GaussSeidel || radius > 0.99, $"solver {automatic.Solver}");
        Assert.True(Math.Abs(automatic.Allsum.Value - lu.Allsum.Value) <= automatic.Allsum.ErrorBound + lu.Allsum.ErrorBound,
            $"|{automatic.Allsum.Value} − {lu.Allsum.Value}| is outside the bounds {automatic.Allsum.ErrorBound} + {lu.Allsum.ErrorBound}");
        Assert.True(automatic.Allsum.ErrorBound <= 1e-9 * automatic.Allsum.Value, $"bound {automatic.Allsum.ErrorBound}");
        Assert.InRange(radius, automatic.SpectralRadiusLowerBound - 1e-6, automatic.SpectralRadiusUpperBound + 0.05);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Component_closures_in_the_log_and_tropical_semirings_agree_with_independent_algorithms(int seed)
    {
        // Sparse random machines (several components, most matrix entries Zero — and default(T) is One in these
        // semirings): the SCC-decomposed Lehmann closure in Log must give ln of the real linear solve, and in Tropical the
        // shortest distances of Bellman–Ford.
        var real = Generators.RandomAutomata.Wfsa(new Random(seed), 30, 2, 2, 0.8);
        var exact = RealPathsum.Compute(real).Backward;
        var log = Pathsum.Backward(real.Map(w => new Log(Math.Log(w.Value))), PathsumStrategy.SccDecomposed);
        for (var q = 0; q < real.StateCount; q++)
            Assert.True(exact[q] == 0 ? double.IsNegativeInfinity(log[q].Value) : Math.Abs(log[q].Value - Math.Log(exact[q])) < 1e-12, $"state {q}: {log[q].Value} against ln {exact[q]}");
        var tropical = real.Map(w => new Tropical(-Math.Log(w.Value)));
        var closure = Pathsum.Backward(tropical, PathsumStrategy.SccDecomposed);
        var distances = ShortestDistance.Backward(tropical);
        for (var q = 0; q < real.StateCount; q++)
            Assert.True(closure[q].Value.Equals(distances[q]) || Math.Abs(closure[q].Value - distances[q]) < 1e-12, $"state {q}: {closure[q].Value} against {distances[q]}");
    }

    [Theory]
    [InlineData(0.5, 0.9, 0.7)]
    [InlineData(0.99, 0.999, 0.95)]
    [InlineData(1.5, 0.4, 1.2)]
    public void Collatz_wielandt_bounds_contain_the_spectral_radius_of_a_cycle(double a, double b, double c)
    {
        // A 3-cycle 0 → 1 → 2 → 0 with weights a, b, c has ρ = (abc)^(1/3) exactly (its eigenvalues are the cube roots of abc).
        var fsa = new WfsaBuilder<Real>(Machines.Ab).EnsureStates(3).SetInitial(0, Real.One).SetFinal(0, new Real(0.1))
            .AddArc(0, 0, 1, new Real(a)).AddArc(1, 0, 2, new Real(b)).AddArc(2, 1, 0, new Real(c)).Build();
        var rho = Math.Cbrt(a * b * c);
        var (lower, upper) = SpectralRadius.Bounds(fsa);
        Assert.InRange(rho, lower - 1e-12, upper + 1e-12);
        Assert.True(upper - lower < 1e-6, $"[{lower}, {upper}] is not tight around {rho}");
    }
}
