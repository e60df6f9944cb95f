using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Numerics;

namespace Workbench.Formal.Estimation;

/// <summary>
/// Monte Carlo estimators over exact ancestral samples: expected length, entropy, cross-entropy and KL
/// between two models, and the probability of not stopping by a length T (the mass that a non-tight
/// model leaks shows up here). Means get a normal-approximation interval, the proportion a Wilson
/// interval. Each costs n draws of O(length) model steps and O(1) memory in n; draw i is the i-th draw of
/// <see cref="AncestralSampler.SampleMany(ILanguageModel, int, int, int)"/> with the same seed. Notes §2.5, §3.2.
/// </summary>
public static class MonteCarlo
{
    /// <summary>E|y| under the model.</summary>
    public static Estimate ExpectedLength(ILanguageModel model, int samples, int seed, int maxLength, double confidence = 0.95) =>
        Mean(model, samples, seed, maxLength, confidence, s => s.Symbols.Length);

    /// <summary>H(p) = E_p[−log p(y)].</summary>
    public static Estimate Entropy(ILanguageModel model, int samples, int seed, int maxLength, double confidence = 0.95) =>
        Mean(model, samples, seed, maxLength, confidence, s => -s.LogProbability);

    /// <summary>H(p, q) = E_p[−log q(y)] with y drawn from <paramref name="p"/>.</summary>
    public static Estimate CrossEntropy(ILanguageModel p, ILanguageModel q, int samples, int seed, int maxLength, double confidence = 0.95)
    {
        RequireSameAlphabetSize(p, q);
        return Mean(p, samples, seed, maxLength, confidence, s => -q.LogProbability(s.Symbols));
    }

    /// <summary>KL(p ‖ q) = E_p[log p(y) − log q(y)] with y drawn from <paramref name="p"/>.</summary>
    public static Estimate KullbackLeibler(ILanguageModel p, ILanguageModel q, int samples, int seed, int maxLength, double confidence = 0.95)
    {
        RequireSameAlphabetSize(p, q);
        return Mean(p, samples, seed, maxLength, confidence, s => s.LogProbability - q.LogProbability(s.Symbols));
    }

    /// <summary>
    /// P(|y| ≥ T): the probability that no EOS is drawn in the first T steps. For a non-tight model it
    /// tends to the leaked mass as T grows (P8.2). Wilson score interval.
    /// </summary>
    public static Estimate ProbabilityOfNotStopping(ILanguageModel model, int length, int samples, int seed, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        RequireSamples(samples, confidence);
        // |y| ≥ T exactly when a draw capped at T − 1 symbols is truncated; every string has |y| ≥ 0.
        var random = new Random(seed);
        var hits = length == 0 ? samples : 0;
        for (var i = 0; i < samples && length > 0; i++)
            if (AncestralSampler.Sample(model, random, length - 1).Truncated) hits++;
        var z = NormalDistribution.TwoSidedCriticalValue(confidence);
        var n = (double)samples;
        var share = hits / n;
        var centre = (share + z * z / (2 * n)) / (1 + z * z / n);
        var halfWidth = z / (1 + z * z / n) * Math.Sqrt(share * (1 - share) / n + z * z / (4 * n * n));
        return new Estimate(share, Math.Sqrt(share * (1 - share) / n), Math.Max(0, centre - halfWidth), Math.Min(1, centre + halfWidth),
            confidence, samples, seed, 0);
    }

    private static Estimate Mean(ILanguageModel model, int samples, int seed, int maxLength, double confidence, Func<GeneratedString, double> quantity)
    {
        RequireSamples(samples, confidence);
        // One draw at a time (memory O(1) in n); Welford's update keeps the variance accurate for large means.
        var random = new Random(seed);
        var mean = 0.0;
        var squares = 0.0;
        var truncated = 0;
        for (var i = 0; i < samples; i++)
        {
            var draw = AncestralSampler.Sample(model, random, maxLength);
            if (draw.Truncated) truncated++;
            var x = quantity(draw);
            var delta = x - mean;
            mean += delta / (i + 1);
            squares += delta * (x - mean);
        }
        var standardError = samples > 1 ? Math.Sqrt(squares / (samples - 1) / samples) : double.PositiveInfinity;
        var z = NormalDistribution.TwoSidedCriticalValue(confidence);
        return new Estimate(mean, standardError, mean - z * standardError, mean + z * standardError, confidence, samples, seed, truncated);
    }

    private static void RequireSamples(int samples, double confidence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        if (!(confidence is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence level must lie strictly between 0 and 1.");
    }

    private static void RequireSameAlphabetSize(ILanguageModel p, ILanguageModel q)
    {
        if (p.Alphabet.Size != q.Alphabet.Size)
            throw new ArgumentException($"The models have alphabets of different sizes ({p.Alphabet.Size} and {q.Alphabet.Size}).");
    }
}
