using Workbench.Formal.Generation;
using Workbench.Formal.Numerics;

namespace Workbench.Formal.Tests.Numerics;

/// <summary>Compensated sums, categorical draws, sparsemax, softmax and the normal quantile at their edges.</summary>
public sealed class NumericBoundaryTests
{
    /// <summary>A generator that always returns one chosen uniform number, to reach exact boundaries of inversion sampling.</summary>
    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }

    [Fact]
    public void Compensated_sums_recover_what_a_plain_loop_loses()
    {
        var tenths = new CompensatedSum();
        var plain = 0.0;
        for (var i = 0; i < 10; i++)
        {
            tenths.Add(0.1);
            plain += 0.1;
        }
        Assert.Equal(1.0, tenths.Value);
        Assert.NotEqual(1.0, plain);
        // Big term first, then small: the small one survives in the compensation.
        var bigFirst = new CompensatedSum();
        foreach (var x in new[] { 1e100, 1.0, -1e100 }) bigFirst.Add(x);
        Assert.Equal(1.0, bigFirst.Value);
        var smallFirst = new CompensatedSum();
        foreach (var x in new[] { 1.0, 1e100, -1e100 }) smallFirst.Add(x);
        Assert.Equal(1.0, smallFirst.Value);
        var negative = new CompensatedSum();
        foreach (var x in new[] { -3.0, 1e-17, 2.0 }) negative.Add(x);
        Assert.Equal(-1.0 + 1e-17, negative.Value);
    }

    [Fact]
    public void Inversion_sampling_returns_the_first_index_whose_cumulative_mass_exceeds_u()
    {
        Assert.Equal(0.5, Math.Exp(Math.Log(0.5)));
        double[] halves = [Math.Log(0.5), Math.Log(0.5)];
        Assert.Equal(0, Categorical.Sample(halves, new FixedRandom(0.4999)));
        Assert.Equal(1, Categorical.Sample(halves, new FixedRandom(0.5)));
        // Outcomes of probability zero are skipped, also by the rounding fallback.
        double[] short_ = [double.NegativeInfinity, Math.Log(0.3), Math.Log(0.3), double.NegativeInfinity];
        Assert.Equal(1, Categorical.Sample(short_, new FixedRandom(0.1)));
        Assert.Equal(2, Categorical.Sample(short_, new FixedRandom(0.9)));
        Assert.Equal(0, Categorical.Sample([Math.Log(0.3), double.NegativeInfinity], new FixedRandom(0.9)));
        Assert.Throws<ArgumentException>(() => Categorical.Sample([double.NegativeInfinity, double.NegativeInfinity], new FixedRandom(0.1)));
        Assert.Throws<ArgumentException>(() => Categorical.Sample([], new FixedRandom(0.1)));
        Assert.Equal(1, Categorical.ArgMax([0.1, 0.7, 0.7, 0.2]));
    }

    [Fact]
    public void Sparsemax_matches_hand_computed_projections()
    {
        var (equal, theta) = Sparsemax.Project([0.0, 0.0, 0.0]);
        Assert.Equal([1.0 / 3, 1.0 / 3, 1.0 / 3], equal);
        Assert.Equal(-1.0 / 3, theta, 15);
        var (two, twoTheta) = Sparsemax.Project([0.8, 0.5, -1.0]);
        Assert.Equal(0.65, two[0], 15);
        Assert.Equal(0.35, two[1], 15);
        Assert.Equal(0.0, two[2]);
        Assert.Equal(0.15, twoTheta, 15);
        var (one, oneTheta) = Sparsemax.Project([3.0, 0.5, 0.0]);
        Assert.Equal([1.0, 0.0, 0.0], one);
        Assert.Equal(2.0, oneTheta);
        Assert.Throws<ArgumentException>(() => Sparsemax.Project([]));
        Assert.Throws<ArgumentException>(() => Sparsemax.Project([0.0, double.NaN]));
        Assert.Throws<ArgumentException>(() => Sparsemax.Project([double.PositiveInfinity]));
    }

    [Fact]
    public void Softmax_divides_by_the_temperature_and_checks_lengths()
    {
        var cooled = Softmax.Probabilities([0.0, Math.Log(4)], temperature: 2);
        Assert.Equal(1.0 / 3, cooled[0], 15);
        Assert.Equal(2.0 / 3, cooled[1], 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => Softmax.LogProbabilities([0.0, 1.0], new double[3]));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.2)]
    [InlineData(double.NaN)]
    public void The_normal_quantile_needs_an_open_unit_probability(double p) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NormalDistribution.Quantile(p));

    [Fact]
    public void Distributions_with_shared_zeros_have_finite_divergences()
    {
        double[] p = [0.5, 0.5, 0.0];
        Assert.Equal(0.0, DiscreteDistributions.KullbackLeibler(p, p));
        Assert.Equal(Math.Log(2), DiscreteDistributions.CrossEntropy(p, p), 15);
        Assert.Equal(double.PositiveInfinity, DiscreteDistributions.CrossEntropy(p, [1.0, 0.0, 0.0]));
    }
}
