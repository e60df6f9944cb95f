using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Formal.Tests.Semirings;

/// <summary>Annihilators against opposite infinities, stars at their boundaries, and the shared closeness test.</summary>
public sealed class SemiringBoundaryTests
{
    [Fact]
    public void Zero_annihilates_even_the_opposite_infinity()
    {
        Assert.Equal(Tropical.Zero, Tropical.Multiply(Tropical.Zero, new Tropical(double.NegativeInfinity)));
        Assert.Equal(Tropical.Zero, Tropical.Multiply(new Tropical(double.NegativeInfinity), Tropical.Zero));
        Assert.Equal(Log.Zero, Log.Multiply(Log.Zero, new Log(double.PositiveInfinity)));
        Assert.Equal(Log.Zero, Log.Multiply(new Log(double.PositiveInfinity), Log.Zero));
    }

    [Fact]
    public void Stars_exist_exactly_up_to_the_boundary()
    {
        Assert.Equal(Tropical.One, Semiring.Star(new Tropical(0)));
        Assert.Equal(MaxTimes.One, Semiring.Star(new MaxTimes(1)));
        Assert.Equal(MaxTimes.One, Semiring.Star(new MaxTimes(0)));
        Assert.Throws<DivergenceException>(() => Semiring.Star(new MaxTimes(-0.5)));
        Assert.Throws<DivergenceException>(() => Semiring.Star(new Real(1)));
        Assert.Throws<DivergenceException>(() => Semiring.Star(new Log(0)));
        Assert.Equal(-Math.Log(0.5), Semiring.Star(new Log(Math.Log(0.5))).Value, 15);
    }

    [Fact]
    public void Closeness_is_relative_with_a_floor_of_one_and_never_between_infinity_and_a_number()
    {
        Assert.False(Real.AreClose(new Real(double.PositiveInfinity), new Real(1), 0.5));
        Assert.False(Real.AreClose(new Real(1), new Real(double.NegativeInfinity), 0.5));
        Assert.True(Real.AreClose(new Real(double.PositiveInfinity), new Real(double.PositiveInfinity), 0));
        Assert.True(Real.AreClose(new Real(2), new Real(3), 1.0 / 3)); // |2 − 3| = (1/3)·3: the boundary counts
        Assert.True(Real.AreClose(new Real(10), new Real(20), 0.5)); // relative to the larger magnitude
        Assert.False(Real.AreClose(new Real(10), new Real(20), 0.49));
        Assert.True(Real.AreClose(new Real(0), new Real(0.5), 0.5)); // the absolute floor of one
        Assert.False(Real.AreClose(new Real(0), new Real(0.5), 0.49));
    }

    [Fact]
    public void Expectation_pairs_compare_both_parts_and_scale_the_quantity()
    {
        Assert.False(Expectation.AreClose(new Expectation(1, 0), new Expectation(1, 5), 1e-9));
        Assert.False(Expectation.AreClose(new Expectation(1, 5), new Expectation(2, 5), 1e-9));
        Assert.Equal(new Expectation(0.5, 2), Expectation.Of(0.5, 4));
    }

    [Fact]
    public void Counts_are_non_negative_finite_or_infinite_and_print_as_such()
    {
        var five = Counting.Of(5);
        Assert.False(five.IsInfinite);
        Assert.Equal(5, (int)five.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => Counting.Of(-1));
        Assert.Equal("5", five.ToString());
        Assert.Equal("∞", Counting.Infinity.ToString());
        Assert.Equal(0, (int)Counting.Infinity.Count);
        Assert.Equal("true", Workbench.Formal.Semirings.Boolean.One.ToString());
        Assert.Equal("false", Workbench.Formal.Semirings.Boolean.Zero.ToString());
        Assert.Equal("log -0.5", new Log(-0.5).ToString());
    }
}
