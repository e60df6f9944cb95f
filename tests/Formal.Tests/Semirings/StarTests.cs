using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Formal.Tests.Semirings;

public sealed class StarTests
{
    [Theory]
    [InlineData(0.5, 2.0)]
    [InlineData(-0.5, 2.0 / 3.0)]
    [InlineData(0.9, 10.0)]
    public void Real_star_is_the_geometric_series(double x, double expected) =>
        Assert.Equal(expected, Semiring.Star(new Real(x)).Value, 12);

    [Theory]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(-1.0)]
    public void Real_star_outside_the_unit_interval_reports_divergence(double x)
    {
        Assert.False(Real.TryStar(new Real(x), out _));
        var error = Assert.Throws<DivergenceException>(() => Semiring.Star(new Real(x)));
        Assert.Contains("Real", error.Message);
    }

    [Fact]
    public void Log_star_matches_the_real_star_and_diverges_at_probability_one()
    {
        Assert.Equal(-Math.Log(1 - 0.25), Semiring.Star(Log.FromReal(0.25)).Value, 14);
        Assert.Equal(-Math.Log(1e-20), Semiring.Star(new Log(-1e-20)).Value, 10);
        Assert.Throws<DivergenceException>(() => Semiring.Star(Log.One));
    }

    [Fact]
    public void Tropical_star_is_zero_for_non_negative_cycles_and_diverges_on_negative_ones()
    {
        Assert.Equal(0.0, Semiring.Star(new Tropical(3)).Value);
        Assert.Throws<DivergenceException>(() => Semiring.Star(new Tropical(-0.1)));
    }

    [Fact]
    public void MaxTimes_star_is_one_up_to_one_and_diverges_above()
    {
        Assert.Equal(1.0, Semiring.Star(new MaxTimes(0.7)).Value);
        Assert.Throws<DivergenceException>(() => Semiring.Star(new MaxTimes(1.01)));
    }

    [Fact]
    public void Expectation_star_gives_the_expected_length_of_a_geometric_loop()
    {
        // A state that loops with probability q (length +1) and stops with 1 − q: E|y| = q/(1 − q).
        const double q = 0.8;
        var paths = Expectation.Multiply(Semiring.Star(Expectation.Of(q, 1)), new Expectation(1 - q, 0));
        Assert.Equal(1.0, paths.P, 12);
        Assert.Equal(q / (1 - q), paths.R, 12);
        Assert.Throws<DivergenceException>(() => Semiring.Star(new Expectation(1, 0)));
    }

    [Fact]
    public void Counting_star_is_one_or_infinite_and_zero_annihilates_infinity()
    {
        Assert.Equal(Counting.One, Semiring.Star(Counting.Zero));
        Assert.True(Semiring.Star(Counting.Of(2)).IsInfinite);
        Assert.Equal(Counting.Zero, Counting.Multiply(Counting.Infinity, Counting.Zero));
        Assert.Equal(Counting.Of(12), Counting.Multiply(Counting.Of(3), Counting.Of(4)));
    }

    [Fact]
    public void Boolean_star_is_true() =>
        Assert.True(Semiring.Star(Workbench.Formal.Semirings.Boolean.Zero).Value);
}
