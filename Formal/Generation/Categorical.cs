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

    /// <summary>The index of the largest entry; ties go to the lowest index. O(n).</summary>
    public static int ArgMax(ReadOnlySpan<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}
