using Workbench.Formal.Numerics;

namespace Workbench.Formal.Tests.Numerics;

public sealed class DiscreteDistributionTests
{
    [Fact]
    public void Entropy_cross_entropy_and_kl_match_hand_computed_values_with_the_zero_conventions()
    {
        double[] p = [0.5, 0.25, 0.25, 0];
        double[] q = [0.25, 0.25, 0.25, 0.25];
        // H(p) = 1.5 ln 2; H(p, q) = ln 4; KL = H(p, q) − H(p) = 0.5 ln 2 (0·log 0 = 0 on the last outcome).
        Assert.Equal(1.5 * Math.Log(2), DiscreteDistributions.Entropy(p), 15);
        Assert.Equal(Math.Log(4), DiscreteDistributions.CrossEntropy(p, q), 15);
        Assert.Equal(0.5 * Math.Log(2), DiscreteDistributions.KullbackLeibler(p, q), 15);
        Assert.Equal(0, DiscreteDistributions.KullbackLeibler(p, p));
        // q missing part of p's support: both infinite; p missing part of q's support: finite.
        double[] r = [0.5, 0.5, 0, 0];
        Assert.Equal(double.PositiveInfinity, DiscreteDistributions.CrossEntropy(p, r));
        Assert.Equal(double.PositiveInfinity, DiscreteDistributions.KullbackLeibler(p, r));
        Assert.Equal(Math.Log(2), DiscreteDistributions.KullbackLeibler(r, q), 15);
        Assert.Throws<ArgumentException>(() => DiscreteDistributions.KullbackLeibler(p, [1.0]));
        Assert.Throws<ArgumentException>(() => DiscreteDistributions.CrossEntropy(p, [1.0]));
    }

    [Fact]
    public void Smoothed_cross_entropy_mixes_the_target_with_the_uniform_distribution()
    {
        double[] logQ = [Math.Log(0.7), Math.Log(0.2), Math.Log(0.1)];
        // (1 − α)·(−log q_t) + α·mean(−log q).
        var alpha = 0.3;
        var expected = (1 - alpha) * -logQ[1] + alpha * -logQ.Average();
        Assert.Equal(expected, DiscreteDistributions.SmoothedCrossEntropy(logQ, 1, alpha), 14);
        Assert.Equal(-logQ[0], DiscreteDistributions.SmoothedCrossEntropy(logQ, 0, 0), 15);
        Assert.Equal(-logQ.Average(), DiscreteDistributions.SmoothedCrossEntropy(logQ, 2, 1), 14);
        // A zero-probability outcome with zero weight contributes nothing (not 0·∞).
        Assert.Equal(0, DiscreteDistributions.SmoothedCrossEntropy([0, double.NegativeInfinity], 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DiscreteDistributions.SmoothedCrossEntropy(logQ, 3, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DiscreteDistributions.SmoothedCrossEntropy(logQ, -1, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DiscreteDistributions.SmoothedCrossEntropy(logQ, 0, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => DiscreteDistributions.SmoothedCrossEntropy(logQ, 0, double.NaN));
    }
}
