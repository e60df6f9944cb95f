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
    /// <summary>Whether the interval contains <paramref name="value"/>.</summary>
    public bool Covers(double value) => value >= Lower && value <= Upper;

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Value:G6} ± {StandardError:G3} ({ConfidenceLevel * 100:G4}% CI [{Lower:G6}, {Upper:G6}], n = {SampleSize}, seed = {Seed}{(TruncatedSamples > 0 ? $", {TruncatedSamples} truncated" : "")})");
}
