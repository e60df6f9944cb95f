using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Numerics;

namespace Workbench.Formal.Estimation;

/// <summary>
/// Monte Carlo estimators over exact ancestral samples: expected length, entropy, cross-entropy and KL
/// between two models, and the probability of not stopping by a length T (the mass that a non-tight
/// model leaks shows up here). Means get a normal-approximation interval, the proportion a Wilson
/// interval. Each costs n draws of O(length) model steps, made by the model's <see cref="ILanguageModel.SampleMany"/>
/// <see cref="DrawsPerRound"/> at a time (memory O(length) per draw of a round); draw i is the i-th draw of
/// <see cref="AncestralSampler.SampleMany(ILanguageModel, int, int, int)"/> with the same seed. Notes §2.5, §3.2.
/// </summary>
public static class MonteCarlo
{
    /// <summary>How many draws an estimator asks the model for at once.</summary>
    public const int DrawsPerRound = 1024;

    /// <summary>E|y| under the model.</summary>
    public static Estimate ExpectedLength(ILanguageModel model, int samples, int seed, int maxLength, double confidence = 0.95) =>
        Mean(model, samples, seed, maxLength, confidence, s => s.Symbols.Length);

    /// <summary>H(p) = E_p[−log p(y)].</summary>
    public static Estimate Entropy(ILanguageModel model, int samples, int seed, int maxLength, double confidence = 0.95) =>
        Mean(model, samples, seed, maxLength, confidence, s => -s.LogProbability);

    /// <summary>
    /// H(p, q) = E_p[−log q(y)] with y drawn from <paramref name="p"/>'s view and scored by <paramref name="q"/>'s view
    /// (−log q(y) + log Z_view(q)), so that both sides are the distributions that are sampled and chained.
    /// </summary>
    public static Estimate CrossEntropy(ILanguageModel p, ILanguageModel q, int samples, int seed, int maxLength, double confidence = 0.95)
    {
        RequireSameAlphabetSize(p, q);
        return Mean(p, samples, seed, maxLength, confidence, s => -(q.LogProbability(s.Symbols) - q.LogViewNormaliser));
    }

    /// <summary>KL(p ‖ q) = E_p[log p(y) − log q(y)] with y drawn from <paramref name="p"/>, both scored by their views: the plain estimator.</summary>
    public static Estimate KullbackLeibler(ILanguageModel p, ILanguageModel q, int samples, int seed, int maxLength, double confidence = 0.95)
    {
        RequireSameAlphabetSize(p, q);
        return Mean(p, samples, seed, maxLength, confidence, s => s.LogProbability - (q.LogProbability(s.Symbols) - q.LogViewNormaliser));
    }

    /// <summary>
    /// KL(p ‖ q) by the Rao–Blackwellised estimator of Amini, Vieira &amp; Cotterell (2025): the mean over draws y ~ p of
    /// <see cref="StepwiseKullbackLeibler(ILanguageModel, ILanguageModel, int[])"/>, Σ_{t=0}^{|y|} KL(p(· | y&lt;t) ‖ q(· | y&lt;t)) over Σ̄. Each term is the plain
    /// log-ratio of step t averaged over the next symbol given the prefix, so the estimate is unbiased for a tight p, never
    /// negative, and its variance is at most the plain estimator's (<see cref="KullbackLeibler"/>, same seed, same draws).
    /// Both views are walked; O(|y|·|Σ̄|) per draw beyond the models' steps.
    /// </summary>
    public static Estimate RaoBlackwellisedKullbackLeibler(ILanguageModel p, ILanguageModel q, int samples, int seed, int maxLength, double confidence = 0.95)
    {
        RequireSameAlphabetSize(p, q);
        return Mean(p, samples, seed, maxLength, confidence, s => StepwiseKullbackLeibler(p, q, s.Symbols));
    }

    /// <summary>
    /// Σ_{t=0}^{|y|} KL(p(· | y&lt;t) ‖ q(· | y&lt;t)), each KL over Σ̄ = Σ ∪ {EOS} (+∞ where p gives a symbol probability q
    /// gives 0): the Rao–Blackwellised KL contribution of the string y, for y drawn from p. O(|y|) steps of both views.
    /// </summary>
    /// <exception cref="ArgumentException">The models have alphabets of different sizes.</exception>
    public static double StepwiseKullbackLeibler(ILanguageModel p, ILanguageModel q, int[] y) => StepwiseKullbackLeibler(p, q, [y])[0];

    /// <summary>
    /// <see cref="StepwiseKullbackLeibler(ILanguageModel, ILanguageModel, int[])"/> for many strings, with both models'
    /// distributions along them computed at once (<see cref="ILanguageModel.NextLogProbabilitiesAlong"/>, batched by a network).
    /// </summary>
    /// <exception cref="ArgumentException">The models have alphabets of different sizes.</exception>
    public static double[] StepwiseKullbackLeibler(ILanguageModel p, ILanguageModel q, IReadOnlyList<int[]> strings)
    {
        RequireSameAlphabetSize(p, q);
        var left = p.NextLogProbabilitiesAlong(strings);
        var right = q.NextLogProbabilitiesAlong(strings);
        var result = new double[strings.Count];
        for (var i = 0; i < result.Length; i++) result[i] = StepwiseKullbackLeibler(left[i], right[i]);
        return result;
    }

    /// <summary>
    /// Σₜ KL(p_t ‖ q_t) over the rows of two arrays of next-symbol log-distributions along one string (as
    /// <see cref="ILanguageModel.NextLogProbabilitiesAlong"/> gives them). O(rows·|Σ̄|).
    /// </summary>
    /// <exception cref="ArgumentException">The arrays differ in shape.</exception>
    public static double StepwiseKullbackLeibler(double[,] p, double[,] q)
    {
        if (p.GetLength(0) != q.GetLength(0) || p.GetLength(1) != q.GetLength(1))
            throw new ArgumentException("The two arrays of next-symbol distributions differ in shape.", nameof(q));
        var total = 0.0;
        for (var t = 0; t < p.GetLength(0); t++)
            for (var a = 0; a < p.GetLength(1); a++)
                if (!double.IsNegativeInfinity(p[t, a])) total += Math.Exp(p[t, a]) * (p[t, a] - q[t, a]);
        return total;
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
        var hits = length == 0 ? samples : Draws(model, samples, seed, length - 1).Count(draw => draw.Truncated);
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
        // Welford's update keeps the variance accurate for large means.
        var mean = 0.0;
        var squares = 0.0;
        var truncated = 0;
        var i = 0;
        foreach (var draw in Draws(model, samples, seed, maxLength))
        {
            if (draw.Truncated) truncated++;
            var x = quantity(draw);
            var delta = x - mean;
            mean += delta / ++i;
            squares += delta * (x - mean);
        }
        var standardError = samples > 1 ? Math.Sqrt(squares / (samples - 1) / samples) : double.PositiveInfinity;
        var z = NormalDistribution.TwoSidedCriticalValue(confidence);
        return new Estimate(mean, standardError, mean - z * standardError, mean + z * standardError, confidence, samples, seed, truncated);
    }

    // Draws 0 … samples − 1 of the seed's run, asked of the model a round at a time.
    private static IEnumerable<GeneratedString> Draws(ILanguageModel model, int samples, int seed, int maxLength)
    {
        for (var first = 0; first < samples; first += DrawsPerRound)
            foreach (var draw in model.SampleMany(first, Math.Min(DrawsPerRound, samples - first), seed, maxLength))
                yield return draw;
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
