using Workbench.Formal.Estimation;

namespace Workbench.Formal.Tests.Estimation;

public sealed class RatioEstimateTests
{
    [Fact]
    public void An_exact_proportion_has_no_error()
    {
        double[] lengths = [1, 3, 4, 9, 2];
        var estimate = Estimate.OfRatio(lengths.Select(b => 2.5 * b).ToArray(), lengths, seed: 1);
        Assert.Equal(2.5, estimate.Value, 14);
        Assert.Equal(0, estimate.StandardError, 14);
    }

    [Fact]
    public void The_delta_method_interval_covers_the_true_ratio_at_its_level()
    {
        // b = |y| + 1 with |y| geometric (mean 4), a = 0.3·b + noise with a variance that grows with b: E[a]/E[b] = 0.3.
        // Over 1000 replications of 200 pairs the 95% interval must cover 0.3 in 93–97% of them (±3 binomial SE).
        var random = new Random(20261201);
        var covered = 0;
        for (var replication = 0; replication < 1000; replication++)
        {
            var b = new double[200];
            var a = new double[200];
            for (var i = 0; i < b.Length; i++)
            {
                var length = 0;
                while (random.NextDouble() < 0.8) length++;
                b[i] = length + 1;
                a[i] = 0.3 * b[i] + (random.NextDouble() - 0.5) * Math.Sqrt(b[i]);
            }
            if (Estimate.OfRatio(a, b, replication).Covers(0.3)) covered++;
        }
        Assert.InRange(covered, 930, 970);
    }

    [Fact]
    public void Unpaired_or_too_few_samples_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Estimate.OfRatio([1.0, 2.0], [1.0], 0));
        Assert.Throws<ArgumentException>(() => Estimate.OfRatio([1.0], [1.0], 0));
        Assert.Throws<ArgumentException>(() => Estimate.OfRatio([1.0, 2.0], [0.0, 0.0], 0));
    }
}

public sealed class EstimateTests
{
    [Fact]
    public void Two_pairs_suffice_for_a_ratio_and_its_standard_error_is_the_delta_method_one()
    {
        // a = (1, 3), b = (1, 1): R = 2, residuals (−1, 1), SE = √(2 / (2·1)) / 1 = 1.
        var estimate = Estimate.OfRatio([1.0, 3.0], [1.0, 1.0], seed: 5);
        Assert.Equal(2.0, estimate.Value);
        Assert.Equal(1.0, estimate.StandardError, 15);
        Assert.Equal(2, estimate.SampleSize);
        Assert.Throws<ArgumentException>(() => Estimate.OfRatio([1.0], [1.0], seed: 5));
    }

    [Fact]
    public void Intervals_are_closed_and_print_their_truncations()
    {
        var estimate = new Estimate(1.5, 0.25, 1.0, 2.0, 0.95, 100, 7, 0);
        Assert.True(estimate.Covers(1.0));
        Assert.True(estimate.Covers(2.0));
        Assert.False(estimate.Covers(2.0000001));
        Assert.Equal("1.5 ± 0.25 (95% CI [1, 2], n = 100, seed = 7)", estimate.ToString());
        Assert.Equal("1.5 ± 0.25 (95% CI [1, 2], n = 100, seed = 7, 3 truncated)", (estimate with { TruncatedSamples = 3 }).ToString());
    }
}
