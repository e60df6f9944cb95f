namespace Workbench.Formal.Numerics;

/// <summary>
/// Information-theoretic quantities of finite distributions given as probability vectors, in nats,
/// with the conventions 0·log 0 = 0 and p·log(p/0) = +∞ for p &gt; 0. Notes §3.2 (D3.4, P3.7).
/// </summary>
public static class DiscreteDistributions
{
    /// <summary>Shannon entropy H(p) = −Σ pᵢ log pᵢ. O(n).</summary>
    public static double Entropy(ReadOnlySpan<double> p)
    {
        var h = 0.0;
        foreach (var pi in p)
            if (pi > 0) h -= pi * Math.Log(pi);
        return h;
    }

    /// <summary>Cross-entropy H(p, q) = −Σ pᵢ log qᵢ; +∞ when q misses part of p's support. O(n).</summary>
    public static double CrossEntropy(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        RequireSameLength(p, q);
        var h = 0.0;
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] <= 0) continue;
            // Stryker disable once Equality : p·log(p/0) is +∞ either way
            if (q[i] <= 0) return double.PositiveInfinity;
            h -= p[i] * Math.Log(q[i]);
        }
        return h;
    }

    /// <summary>Kullback–Leibler divergence KL(p ‖ q) = Σ pᵢ log(pᵢ/qᵢ); +∞ when q misses part of p's support. O(n).</summary>
    public static double KullbackLeibler(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        RequireSameLength(p, q);
        var kl = 0.0;
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] <= 0) continue;
            // Stryker disable once Equality : p·log(p/0) is +∞ either way
            if (q[i] <= 0) return double.PositiveInfinity;
            kl += p[i] * Math.Log(p[i] / q[i]);
        }
        return kl;
    }

    /// <summary>
    /// Cross-entropy of the model distribution q against a label-smoothed target: the one-hot vector of
    /// <paramref name="target"/> mixed with the uniform distribution, (1 − α)·e_target + α/n. O(n).
    /// Notes §3.2 (label smoothing, P3.13).
    /// </summary>
    public static double SmoothedCrossEntropy(ReadOnlySpan<double> logQ, int target, double alpha)
    {
        if (!(alpha >= 0 && alpha <= 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The smoothing weight must lie in [0, 1].");
        if (target < 0 || target >= logQ.Length)
            throw new ArgumentOutOfRangeException(nameof(target), target, "The target is not an index of the distribution.");
        var loss = 0.0;
        for (var i = 0; i < logQ.Length; i++)
        {
            var weight = alpha / logQ.Length + (i == target ? 1 - alpha : 0);
            if (weight > 0) loss -= weight * logQ[i];
        }
        return loss;
    }

    private static void RequireSameLength(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        if (p.Length != q.Length)
            throw new ArgumentException($"The distributions have different lengths ({p.Length} and {q.Length}).");
    }
}
