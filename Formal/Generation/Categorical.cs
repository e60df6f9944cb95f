namespace Workbench.Formal.Generation;

/// <summary>Exact draws from a finite distribution given by log-probabilities.</summary>
public static class Categorical
{
    /// <summary>
    /// Draws index i with probability exp(logProbabilities[i]) by inversion: one uniform number, one
    /// pass. If rounding leaves the cumulative sum just below the uniform draw, the last index with
    /// positive probability is returned. O(n).
    /// </summary>
    /// <exception cref="ArgumentException">No entry has positive probability.</exception>
    public static int Sample(ReadOnlySpan<double> logProbabilities, Random random)
    {
        var u = random.NextDouble();
        var cumulative = 0.0;
        var lastPositive = -1;
        for (var i = 0; i < logProbabilities.Length; i++)
        {
            if (double.IsNegativeInfinity(logProbabilities[i])) continue;
            lastPositive = i;
            cumulative += Math.Exp(logProbabilities[i]);
            if (u < cumulative) return i;
        }
        return lastPositive >= 0
            ? lastPositive
            : throw new ArgumentException("The distribution has no outcome with positive probability.", nameof(logProbabilities));
    }

    /// <summary>
    /// Draws index i with probability weights[i] / Σ weights (non-negative, not necessarily normalised) by inversion.
    /// If rounding leaves the cumulative sum just below the draw, the last positive index is returned. O(n).
    /// </summary>
    /// <exception cref="ArgumentException">No weight is positive, or one is negative or not finite.</exception>
    public static int SampleWeighted(ReadOnlySpan<double> weights, Random random)
    {
        var total = 0.0;
        foreach (var w in weights)
        {
            if (!(w >= 0) || double.IsPositiveInfinity(w)) throw new ArgumentException("A weight is negative or not finite.", nameof(weights));
            total += w;
        }
        if (!(total > 0)) throw new ArgumentException("No outcome has positive weight.", nameof(weights));
        var u = random.NextDouble() * total;
        var cumulative = 0.0;
        var lastPositive = -1;
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] == 0) continue;
            lastPositive = i;
            cumulative += weights[i];
            if (u < cumulative) return i;
        }
        return lastPositive;
    }

    /// <summary>
    /// Draws index i with probability exp(logWeights[i]) / Σ exp(logWeights) for unnormalised log-weights, shifted by
    /// their maximum so that weights far below 1 neither underflow nor decide the draw. O(n).
    /// </summary>
    /// <exception cref="ArgumentException">Every log-weight is −∞ (or there are none).</exception>
    public static int SampleLogWeighted(ReadOnlySpan<double> logWeights, Random random)
    {
        var top = double.NegativeInfinity;
        foreach (var l in logWeights) top = Math.Max(top, l);
        if (double.IsNegativeInfinity(top)) throw new ArgumentException("No outcome has positive weight.", nameof(logWeights));
        var weights = new double[logWeights.Length];
        for (var i = 0; i < weights.Length; i++) weights[i] = Math.Exp(logWeights[i] - top);
        return SampleWeighted(weights, random);
    }

    /// <summary>The index of the largest entry; ties go to the lowest index. O(n).</summary>
    public static int ArgMax(ReadOnlySpan<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}
