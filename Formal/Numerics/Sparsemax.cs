namespace Workbench.Formal.Numerics;

/// <summary>
/// Sparsemax: the Euclidean projection of x onto the probability simplex,
/// argmin_{z ∈ Δ} ‖z − x‖², which has the threshold form zᵢ = max(xᵢ − θ, 0) and can put exact zeros
/// on low scores (so a sparsemax LM can give strings probability zero). Notes §3.1 (D3.2, P3.5).
/// </summary>
public static class Sparsemax
{
    /// <summary>Returns sparsemax(x) and the threshold θ. O(n log n) (one sort).</summary>
    /// <exception cref="ArgumentException">x is empty or contains a non-finite value.</exception>
    public static (double[] Probabilities, double Threshold) Project(ReadOnlySpan<double> x)
    {
        if (x.IsEmpty) throw new ArgumentException("Sparsemax needs at least one score.", nameof(x));
        for (var i = 0; i < x.Length; i++)
            if (!double.IsFinite(x[i]))
                throw new ArgumentException($"Score {i} is {x[i]}; sparsemax needs finite scores.", nameof(x));
        var sorted = x.ToArray();
        Array.Sort(sorted);
        Array.Reverse(sorted);
        // The support is the largest k with 1 + k·x₍ₖ₎ > Σ_{j≤k} x₍ⱼ₎ (sorted decreasingly).
        var cumulative = 0.0;
        var supportSum = 0.0;
        var support = 0;
        for (var k = 1; k <= sorted.Length; k++)
        {
            cumulative += sorted[k - 1];
            // Stryker disable once Equality : at equality x₍ₖ₎ equals the threshold and gets 0 either way
            if (1 + k * sorted[k - 1] > cumulative)
            {
                support = k;
                supportSum = cumulative;
            }
        }
        var threshold = (supportSum - 1) / support;
        var result = new double[x.Length];
        for (var i = 0; i < x.Length; i++) result[i] = Math.Max(x[i] - threshold, 0);
        return (result, threshold);
    }
}
