using Workbench.Experiments.Scaling;
using Workbench.Formal.Errors;
using Xunit.Abstractions;

namespace Workbench.Experiments.Tests;

/// <summary>The scaling-law fit recovers a known law from noisy synthetic losses, and its compute-optimal allocation is the minimiser.</summary>
public sealed class ScalingLawTests(ITestOutputHelper output)
{
    // At the largest cells both reducible terms are below E (0.19 and 0.27 against 0.6), so E is identified by the grid;
    // with B/D^β several times E, E trades off against B and only its interval, not its point estimate, pins it down.
    private static readonly ScalingLaw Truth = new(E: 0.6, A: 30, Alpha: 0.4, B: 50, Beta: 0.35);

    /// <summary>A 6 × 6 grid of N and D, each loss multiplied by exp(σZ), Z standard normal (Box–Muller), from a logged seed.</summary>
    private static ScalingPoint[] Synthetic(int seed, double sigma)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return [.. from n in new[] { 1e3, 3e3, 1e4, 3e4, 1e5, 3e5 }
                   from d in new[] { 1e4, 3e4, 1e5, 3e5, 1e6, 3e6 }
                   select new ScalingPoint(n, d, Truth.Loss(n, d) * Math.Exp(sigma * Normal()))];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_fit_to_noisy_losses_recovers_the_exponents_and_E_and_its_bootstrap_covers_them(int seed)
    {
        var points = Synthetic(seed, 0.005);
        var fit = ScalingLawFitter.Fit(points, resamples: 100, seed: seed);
        output.WriteLine($"seed {seed}: {fit.Law}; intervals {string.Join(", ", fit.Intervals.Select(p => $"{p.Key} [{p.Value.Lower:G4}, {p.Value.Upper:G4}]"))}");
        Assert.Equal(Truth.Alpha, fit.Law.Alpha, 0.05);
        Assert.Equal(Truth.Beta, fit.Law.Beta, 0.05);
        Assert.Equal(Truth.E, fit.Law.E, 0.05);
        Assert.InRange(Truth.E, fit.Intervals["E"].Lower - 0.01, fit.Intervals["E"].Upper + 0.01);
        Assert.InRange(Truth.Alpha, fit.Intervals["alpha"].Lower - 0.01, fit.Intervals["alpha"].Upper + 0.01);
        Assert.InRange(Truth.Beta, fit.Intervals["beta"].Lower - 0.01, fit.Intervals["beta"].Upper + 0.01);
        // With E fixed at its true value the exponents come closer still.
        var fixedE = ScalingLawFitter.Fit(points, fixedE: Truth.E);
        Assert.True(fixedE.EFixed);
        Assert.Equal(Truth.E, fixedE.Law.E);
        Assert.Equal(Truth.Alpha, fixedE.Law.Alpha, 0.03);
        Assert.Equal(Truth.Beta, fixedE.Law.Beta, 0.03);
    }

    [Fact]
    public void Without_noise_the_fit_is_exact()
    {
        var fit = ScalingLawFitter.Fit(Synthetic(1, 0));
        Assert.Equal(Truth.Alpha, fit.Law.Alpha, 1e-3);
        Assert.Equal(Truth.Beta, fit.Law.Beta, 1e-3);
        Assert.Equal(Truth.E, fit.Law.E, 1e-3);
        Assert.Equal(Truth.A, fit.Law.A, 0.05 * Truth.A);
        Assert.Equal(Truth.B, fit.Law.B, 0.05 * Truth.B);
    }

    [Fact]
    public void The_compute_optimal_allocation_minimises_the_loss_at_fixed_compute()
    {
        foreach (double flops in new[] { 1e12, 1e15, 1e18 })
        {
            var (n, d) = Truth.ComputeOptimal(flops);
            Assert.Equal(flops, 6 * n * d, flops * 1e-9);
            // Brute force over N on a fine log grid, D = C/(6N).
            double bestN = Enumerable.Range(0, 4001).Select(i => Math.Pow(10, 1 + i * 0.003)).MinBy(m => Truth.Loss(m, flops / (6 * m)));
            Assert.Equal(Math.Log10(bestN), Math.Log10(n), 0.004);
        }
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 1, 0)]
    [InlineData(1, double.PositiveInfinity, 1)]
    public void Every_value_of_every_point_must_be_positive_and_finite(double parameters, double tokens, double loss)
    {
        var points = Synthetic(1, 0);
        points[7] = new ScalingPoint(points[7].Parameters * parameters, points[7].Tokens * tokens, points[7].Loss * loss);
        Assert.Contains("point 7", Assert.Throws<WorkbenchException>(() => ScalingLawFitter.Fit(points)).Message);
    }

    [Fact]
    public void A_fixed_E_needs_one_point_fewer_and_must_lie_strictly_between_0_and_every_loss()
    {
        var points = Synthetic(1, 0);
        // Four constants need five points; five constants need six.
        Assert.Equal(Truth.E, ScalingLawFitter.Fit(points.Take(5).ToArray(), fixedE: Truth.E).Law.E);
        Assert.Contains("at least 6 points", Assert.Throws<WorkbenchException>(() => ScalingLawFitter.Fit(points.Take(5).ToArray())).Message);
        Assert.Contains("at least 5 points", Assert.Throws<WorkbenchException>(() => ScalingLawFitter.Fit(points.Take(4).ToArray(), fixedE: Truth.E)).Message);
        Assert.Throws<WorkbenchException>(() => ScalingLawFitter.Fit(points, fixedE: 0));
        Assert.Throws<WorkbenchException>(() => ScalingLawFitter.Fit(points, fixedE: points.Min(p => p.Loss)));
        // The bootstrap's intervals hold the full fit's constants between their bounds on exact data.
        var fit = ScalingLawFitter.Fit(points, resamples: 40);
        Assert.All(new[] { ("alpha", fit.Law.Alpha), ("beta", fit.Law.Beta), ("E", fit.Law.E) }, p =>
            Assert.InRange(p.Item2, fit.Intervals[p.Item1].Lower - 1e-6, fit.Intervals[p.Item1].Upper + 1e-6));
        Assert.Equal(40, fit.Resamples);
    }

    [Fact]
    public void Bad_points_are_refused_by_place()
    {
        var points = Synthetic(1, 0);
        Assert.Contains("at least 6 points", Assert.Throws<WorkbenchException>(() => ScalingLawFitter.Fit(points.Take(5).ToArray())).Message);
        var bad = points.ToArray();
        bad[3] = bad[3] with { Loss = double.NaN };
        Assert.Contains("point 3", Assert.Throws<WorkbenchException>(() => ScalingLawFitter.Fit(bad)).Message);
        Assert.Contains("below every loss", Assert.Throws<WorkbenchException>(() => ScalingLawFitter.Fit(points, fixedE: 10)).Message);
    }
}
