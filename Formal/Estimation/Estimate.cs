using System.Globalization;

namespace Workbench.Formal.Estimation;

/// <summary>
/// A Monte Carlo estimate: the value, its standard error, a confidence interval at the given level, the
/// number of samples and the seed that reproduces them. Samples cut by the length cap are counted:
/// when any were, the estimate describes the capped distribution, not the model's.
/// </summary>
public sealed record Estimate(
    double Value,
    double StandardError,
    double Lower,
    double Upper,
    double ConfidenceLevel,
    int SampleSize,
    int Seed,
    int TruncatedSamples)
{
    /// <summary>
    /// The ratio estimate R = Σ aᵢ / Σ bᵢ of E[a]/E[b] from paired samples (e.g. a KL per string over the number of
    /// predictions |y| + 1, giving a KL per symbol), with the delta-method standard error
    /// √(Σ (aᵢ − R·bᵢ)² / (n(n − 1))) / mean(b), which counts the variance of the denominator as well as the
    /// numerator's. Normal interval at <paramref name="confidence"/>. O(n).
    /// </summary>
    /// <exception cref="ArgumentException">The samples are not paired, fewer than two, or the denominators do not have a positive mean.</exception>
    public static Estimate OfRatio(IReadOnlyList<double> numerators, IReadOnlyList<double> denominators, int seed, double confidence = 0.95)
    {
        if (numerators.Count != denominators.Count) throw new ArgumentException("A ratio estimate needs paired samples.", nameof(denominators));
        var n = numerators.Count;
        if (n < 2) throw new ArgumentException("A ratio estimate needs at least two samples.", nameof(numerators));
        var meanDenominator = denominators.Average();
        if (!(meanDenominator > 0)) throw new ArgumentException("The denominators of a ratio estimate must have a positive mean.", nameof(denominators));
        var ratio = numerators.Sum() / denominators.Sum();
        var squares = 0.0;
        for (var i = 0; i < n; i++) squares += Math.Pow(numerators[i] - ratio * denominators[i], 2);
        var error = Math.Sqrt(squares / (n * (n - 1.0))) / meanDenominator;
        var z = Numerics.NormalDistribution.TwoSidedCriticalValue(confidence);
        return new Estimate(ratio, error, ratio - z * error, ratio + z * error, confidence, n, seed, 0);
    }

    /// <summary>Whether the interval contains <paramref name="value"/>.</summary>
    public bool Covers(double value) => value >= Lower && value <= Upper;

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Value:G6} ± {StandardError:G3} ({ConfidenceLevel * 100:G4}% CI [{Lower:G6}, {Upper:G6}], n = {SampleSize}, seed = {Seed}{(TruncatedSamples > 0 ? $", {TruncatedSamples} truncated" : "")})");
}
