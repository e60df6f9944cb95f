using Workbench.Formal.Numerics;

namespace Workbench.Formal.Tests.Numerics;

public sealed class NumericsTests
{
    [Fact]
    public void Log1P_keeps_the_digits_of_tiny_arguments()
    {
        Assert.Equal(1e-20, LogSpace.Log1P(1e-20));
        Assert.Equal(Math.Log(2), LogSpace.Log1P(1), 15);
        Assert.True(Math.Abs(LogSpace.Log1P(1e-10) - (1e-10 - 5e-21)) <= 1e-15 * 1e-10);
    }

    [Fact]
    public void ExpM1_is_accurate_where_exp_minus_one_cancels()
    {
        // eˣ − 1 by its Taylor series to x¹⁰ (to 10⁻¹⁸ relative for |x| ≤ 0.05, plus its own rounding): a few ulps; plain Math.Exp(x) − 1 loses ε/|x|.
        foreach (var x in new[] { -0.05, -1e-3, -1e-5, -3e-6, 1e-5, 2e-4, 0.05 })
        {
            double term = x, series = 0;
            for (var k = 2; k <= 11; k++) (series, term) = (series + term, term * x / k);
            Assert.True(Math.Abs(LogSpace.ExpM1(x) / series - 1) <= 1e-15, $"expm1({x}) = {LogSpace.ExpM1(x):R}, series {series:R}");
        }
        Assert.Equal(-1.0, LogSpace.ExpM1(-800));
        Assert.Equal(double.PositiveInfinity, LogSpace.ExpM1(800));
    }

    [Fact]
    public void Log1MExp_is_accurate_at_both_ends()
    {
        // Near 0, ln(1 − eˣ) = ln(−x) + ln(1 + x/2 + x²/6 + …): the series to x³ is exact to 10⁻¹⁸ relative for |x| < 10⁻⁵.
        foreach (var x in new[] { -1e-5, -3.7e-6, -1e-7, -2e-9, -1e-11 })
            Assert.Equal(Math.Log(-x) + Math.Log(1 + x / 2 + x * x / 6 + x * x * x / 24), LogSpace.Log1MExp(x), 14);
        Assert.Equal(Math.Log(1e-12), LogSpace.Log1MExp(-1e-12), 9);
        Assert.True(Math.Abs(LogSpace.Log1MExp(-50) + Math.Exp(-50)) <= 1e-15 * Math.Exp(-50));
        Assert.Equal(double.NegativeInfinity, LogSpace.Log1MExp(0));
        Assert.True(double.IsNaN(LogSpace.Log1MExp(0.1)));
    }

    [Fact]
    public void SumExp_neither_overflows_nor_underflows()
    {
        Assert.Equal(1000 + Math.Log(2), LogSpace.SumExp([1000, 1000]), 12);
        Assert.Equal(-1000 + Math.Log(3), LogSpace.SumExp([-1000, -1000, -1000]), 12);
        Assert.Equal(double.NegativeInfinity, LogSpace.SumExp([double.NegativeInfinity]));
        Assert.Equal(double.NegativeInfinity, LogSpace.SumExp([]));
    }

    [Theory]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.995, 2.5758293035489004)]
    [InlineData(0.0005, -3.2905267314919255)]
    [InlineData(0.5, 0.0)]
    public void Normal_quantiles_match_reference_values(double p, double z) =>
        Assert.True(Math.Abs(NormalDistribution.Quantile(p) - z) <= 1.2e-9 * Math.Max(1, Math.Abs(z)), $"Φ⁻¹({p}) = {NormalDistribution.Quantile(p)}");

    [Fact]
    public void Softmax_temperature_must_be_positive_and_logits_finite()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Softmax.Probabilities([1, 2], 0));
        Assert.Throws<ArgumentException>(() => Softmax.Probabilities([1, double.NaN]));
        Assert.Throws<ArgumentException>(() => Softmax.Probabilities([double.NegativeInfinity, double.NegativeInfinity]));
        Assert.Equal([0.0, 1.0], Softmax.Probabilities([double.NegativeInfinity, 3]));
    }

    [Fact]
    public void Sparsemax_matches_a_hand_computed_projection()
    {
        // x = (1, 0.8, −1): support {0, 1}, θ = (1 + 0.8 − 1)/2 = 0.4, z = (0.6, 0.4, 0).
        var (z, theta) = Sparsemax.Project([1, 0.8, -1]);
        Assert.Equal(0.4, theta, 15);
        Assert.Equal([0.6, 0.4, 0.0], z.Select(v => Math.Round(v, 15)).ToArray());
    }

    [Fact]
    public void Kl_is_infinite_when_q_misses_the_support_of_p()
    {
        Assert.Equal(double.PositiveInfinity, DiscreteDistributions.KullbackLeibler([0.5, 0.5], [1, 0]));
        Assert.Equal(Math.Log(2), DiscreteDistributions.KullbackLeibler([1, 0], [0.5, 0.5]), 15);
    }
}
