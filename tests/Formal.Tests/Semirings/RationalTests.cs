using System.Numerics;
using Workbench.Formal.Semirings;

namespace Workbench.Formal.Tests.Semirings;

/// <summary>Exact rationals against hand-computed fractions and the IEEE-754 layout of doubles.</summary>
public sealed class RationalTests
{
    [Fact]
    public void Fractions_are_reduced_with_a_positive_denominator()
    {
        var half = Rational.Of(-3, -6);
        Assert.Equal((BigInteger.One, new BigInteger(2)), (half.Numerator, half.Denominator));
        var negative = Rational.Of(4, -6);
        Assert.Equal((new BigInteger(-2), new BigInteger(3)), (negative.Numerator, negative.Denominator));
        Assert.Equal((BigInteger.Zero, BigInteger.One), (Rational.Of(0, -5).Numerator, Rational.Of(0, -5).Denominator));
    }

    [Fact]
    public void The_default_value_is_zero_over_one()
    {
        var zero = default(Rational);
        Assert.Equal(BigInteger.One, zero.Denominator);
        Assert.Equal(Rational.Zero, Rational.Add(zero, Rational.Zero));
        Assert.Equal(0.0, zero.ToDouble());
    }

    [Fact]
    public void Equality_needs_both_numerator_and_denominator()
    {
        Assert.NotEqual(Rational.Of(1, 2), Rational.Of(1, 3));
        Assert.NotEqual(Rational.Of(1, 3), Rational.Of(2, 3));
        Assert.Equal(Rational.Of(2, 4), Rational.Of(1, 2));
        Assert.False(Rational.AreClose(Rational.Of(1, 2), Rational.Of(1, 3), 1.0));
    }

    [Fact]
    public void Comparison_cross_multiplies()
    {
        Assert.True(Rational.Of(3).CompareTo(Rational.Of(5, 2)) > 0);
        Assert.True(Rational.Of(5, 2).CompareTo(Rational.Of(3)) < 0);
        Assert.Equal(0, Rational.Of(6, 4).CompareTo(Rational.Of(3, 2)));
        Assert.True(Rational.Of(-1, 2).CompareTo(Rational.Of(-1, 3)) < 0);
    }

    [Fact]
    public void Subtraction_and_division_are_exact()
    {
        Assert.Equal(Rational.Of(1, 6), Rational.Subtract(Rational.Of(1, 2), Rational.Of(1, 3)));
        Assert.Equal(Rational.Of(3, 2), Rational.Divide(Rational.Of(1, 2), Rational.Of(1, 3)));
        Assert.Throws<DivideByZeroException>(() => Rational.Divide(Rational.One, Rational.Zero));
    }

    [Fact]
    public void Text_is_the_reduced_fraction_or_the_integer()
    {
        Assert.Equal("1/3", Rational.Of(2, 6).ToString());
        Assert.Equal("-7", Rational.Of(14, -2).ToString());
    }

    [Theory]
    [InlineData(0.75, 3, 4)]
    [InlineData(-0.75, -3, 4)]
    [InlineData(6.0, 6, 1)]
    [InlineData(1.0, 1, 1)]
    [InlineData(-1.0, -1, 1)]
    [InlineData(4503599627370496.0, 4503599627370496L, 1)] // 2⁵², the first double whose exponent is exactly 0 after the bias
    [InlineData(9007199254740993.0, 9007199254740992L, 1)] // 2⁵³ + 1 rounds to 2⁵³
    public void Doubles_are_read_exactly(double value, long numerator, long denominator) =>
        Assert.Equal(Rational.Of(numerator, denominator), Rational.FromDouble(value));

    [Fact]
    public void Subnormal_and_huge_doubles_are_read_exactly()
    {
        Assert.Equal(Rational.Of(BigInteger.One, BigInteger.Pow(2, 1074)), Rational.FromDouble(double.Epsilon));
        Assert.Equal(Rational.Of(-3, BigInteger.Pow(2, 1074)), Rational.FromDouble(-3 * double.Epsilon));
        var max = Rational.FromDouble(double.MaxValue);
        Assert.Equal(BigInteger.One, max.Denominator);
        Assert.Equal((BigInteger.Pow(2, 53) - 1) * BigInteger.Pow(2, 971), max.Numerator);
        Assert.Equal(double.MaxValue, max.ToDouble());
        Assert.Equal(1e300, Rational.FromDouble(1e300).ToDouble());
        Assert.Equal(-1e-300, Rational.FromDouble(-1e-300).ToDouble());
    }

    [Theory]
    [InlineData(0.1, "1/10")]
    [InlineData(0.3333333333, "3333333333/10000000000")]
    [InlineData(123.0, "123")]
    [InlineData(-2.5, "-5/2")]
    [InlineData(1e-20, "1/100000000000000000000")]
    [InlineData(2.5e-7, "1/4000000")]
    [InlineData(0.0, "0")]
    public void Shortest_decimals_are_the_written_fractions(double value, string expected) =>
        Assert.Equal(expected, Rational.FromShortestDecimal(value).ToString());

    [Fact]
    public void Large_shortest_decimals_keep_their_powers_of_ten()
    {
        Assert.Equal(Rational.Of(15 * BigInteger.Pow(10, 299)), Rational.FromShortestDecimal(1.5e300));
        Assert.Equal(Rational.Of(BigInteger.Pow(10, 22)), Rational.FromShortestDecimal(1e22));
        Assert.Throws<ArgumentException>(() => Rational.FromShortestDecimal(double.NaN));
        Assert.Throws<ArgumentException>(() => Rational.FromShortestDecimal(double.NegativeInfinity));
    }

    [Theory]
    [InlineData(-800.0)]
    [InlineData(-1.5)]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(800.0)]
    [InlineData(2000.0)]
    public void Logarithmic_weights_keep_their_value_beyond_the_double_range(double log)
    {
        var value = Rational.FromLog(log);
        Assert.True(Math.Abs(value.Log() - log) <= 1e-13 * Math.Max(1, Math.Abs(log)), $"{value.Log()} vs {log}");
        Assert.True(value.Numerator.Sign > 0);
    }

    [Fact]
    public void Logarithmic_weights_must_be_finite_or_minus_infinity()
    {
        Assert.Throws<ArgumentException>(() => Rational.FromLog(double.PositiveInfinity));
        Assert.StartsWith("e^NaN", Assert.Throws<ArgumentException>(() => Rational.FromLog(double.NaN)).Message);
    }

    [Fact]
    public void Conversion_to_double_saturates_only_beyond_the_range()
    {
        var huge = Rational.Of(BigInteger.Pow(2, 1100));
        Assert.Equal(double.PositiveInfinity, huge.ToDouble());
        Assert.Equal(double.NegativeInfinity, Rational.Of(-BigInteger.Pow(2, 1100)).ToDouble());
        Assert.Equal(Math.ScaleB(1, 1000), Rational.Of(BigInteger.Pow(2, 1000)).ToDouble());
        Assert.Equal(Math.ScaleB(1, -1070), Rational.Of(BigInteger.One, BigInteger.Pow(2, 1070)).ToDouble());
        Assert.Equal(0.0, Rational.Of(BigInteger.One, BigInteger.Pow(2, 1300)).ToDouble());
        Assert.Equal(1.0 / 3, Rational.Of(1, 3).ToDouble());
        Assert.Equal(-2.0 / 7, Rational.Of(-2, 7).ToDouble());
    }

    [Fact]
    public void Rationals_are_exact_and_reduced()
    {
        var third = Rational.Of(2, 6);
        Assert.Equal(Rational.Of(1, 3), third);
        Assert.Equal("1/3", third.ToString());
        Assert.Equal(Rational.One, Rational.Add(Rational.Of(1, 3), Rational.Of(2, 3)));
        Assert.Equal(Rational.Of(3, 2), Semiring.Star(third));
        Assert.Throws<Workbench.Formal.Errors.DivergenceException>(() => Semiring.Star(Rational.Of(-7, 7)));
        Assert.Throws<DivideByZeroException>(() => Rational.Of(1, 0));
        Assert.True(Rational.Of(1, 3).CompareTo(Rational.Of(1, 2)) < 0);
    }

    [Fact]
    public void Every_finite_double_has_its_exact_rational_value()
    {
        var random = new Random(20261201);
        double[] special = [0.1, -0.1, 1, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 2.2250738585072014e-308, 1e-320, 0.8];
        foreach (var x in special.Concat(Enumerable.Range(0, 2000).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-1070, 1020)))))
        {
            var exact = Rational.FromDouble(x);
            Assert.Equal(x, exact.ToDouble());
            if (x != 0) Assert.True(exact.Denominator.IsPowerOfTwo);
        }
        Assert.NotEqual(Rational.Of(1, 10), Rational.FromDouble(0.1)); // 0.1 is not a double
        Assert.Equal(Rational.Of(3602879701896397, 36028797018963968), Rational.FromDouble(0.1));
        Assert.Throws<ArgumentException>(() => Rational.FromDouble(double.NaN));
        Assert.Throws<ArgumentException>(() => Rational.FromDouble(double.PositiveInfinity));
    }

    [Fact]
    public void Huge_numerators_and_denominators_convert_without_overflow()
    {
        // (3/2)^3000 and its inverse: both parts are far beyond the double range, the value is e^(3000·ln 1.5).
        var big = Rational.Of(BigInteger.Pow(3, 3000), BigInteger.Pow(2, 3000));
        Assert.Equal(3000 * Math.Log(1.5), big.Log(), 9);
        Assert.Equal(double.PositiveInfinity, big.ToDouble());
        var ratio = Rational.Of(BigInteger.Pow(3, 700) + 1, BigInteger.Pow(3, 700));
        Assert.Equal(1.0, ratio.ToDouble());
        Assert.Equal(0.0, Rational.Divide(Rational.One, big).ToDouble());
        Assert.Equal(-3000 * Math.Log(1.5), Rational.Divide(Rational.One, big).Log(), 9);
        // e^−800 underflows a double; FromLog keeps it to 2⁻⁵² relative.
        Assert.Equal(-800, Rational.FromLog(-800).Log(), 12);
        Assert.Equal(Rational.Zero, Rational.FromLog(double.NegativeInfinity));
        Assert.Equal(double.NegativeInfinity, Rational.Zero.Log());
    }

    [Fact]
    public void Conversion_to_double_is_correctly_rounded()
    {
        // Small parts: IEEE division of two exact doubles is correctly rounded, an independent reference.
        var random = new Random(20261201);
        for (var i = 0; i < 3000; i++)
        {
            var p = random.NextInt64(1, 1L << 53);
            var q = random.NextInt64(1, 1L << 53);
            Assert.Equal((double)p / q, Rational.Of(p, q).ToDouble());
        }
        Assert.Equal(0.9, Rational.Of(9, 10).ToDouble());
        Assert.Equal(-0.1, Rational.Of(-1, 10).ToDouble());
        // Huge parts: 60 exact decimal digits of the quotient, parsed (correctly rounded) by the runtime.
        for (var i = 0; i < 300; i++)
        {
            var p = BigInteger.Pow(3, random.Next(1, 400)) + random.Next(1000);
            var q = BigInteger.Pow(7, random.Next(1, 300)) + random.Next(1000);
            Assert.Equal(Reference(p, q), Rational.Of(p, q).ToDouble());
        }

        static double Reference(BigInteger p, BigInteger q)
        {
            var digits = p.ToString().Length - q.ToString().Length;
            var scale = 60 - digits;
            var scaled = scale >= 0 ? p * BigInteger.Pow(10, scale) / q : p / (q * BigInteger.Pow(10, -scale));
            return double.Parse($"{scaled}E{-scale}", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
