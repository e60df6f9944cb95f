namespace Workbench.Experiments.Languages;

/// <summary>
/// The bit length of a product: for u uniform among the numbers of bit length α ≥ 1 (in [2^(α−1), 2^α)) and v among those of
/// bit length β ≥ 1, uv has α + β − 1 or α + β bits, and P(|uv| = α + β) is the share of pairs on or above the hyperbola
/// uv = 2^(α+β−1). That share is a lattice-point count with no closed form: it is counted exactly when the shorter operand has
/// at most <see cref="ExactBits"/> bits (2^(ExactBits−1) terms), and otherwise bounded through the harmonic sum it tends to,
/// 2 − 2 ln 2 ≈ 0.614 as both lengths grow.
/// </summary>
public static class ProductBitLength
{
    /// <summary>The longest shorter operand (in bits) whose share is counted exactly.</summary>
    public const int ExactBits = 16;

    // Exact counts need 2^(s+l−1) in 128 bits; beyond that the longer operand is long enough for the limit l → ∞ to be exact to 2^(1−l).
    private const int CountedLongerBits = 127 - ExactBits;
    private static readonly double[,] Counted = CountShares();
    private static readonly double[] LongLimit = [.. Enumerable.Range(0, ExactBits + 1).Select(s => s == 0 ? 0 : 2 - 2 * HarmonicBlock(s))];

    /// <summary>
    /// P(|uv| = α + β) for bit lengths α, β ≥ 1, as the middle of an interval that contains it and the interval's half width
    /// (0 when counted exactly; at most 2^−ExactBits otherwise). O(1) after a one-time count of about 2·10⁶ terms.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A bit length below 1.</exception>
    public static (double Value, double HalfWidth) LongerShare(int alpha, int beta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(alpha, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(beta, 1);
        int shorter = Math.Min(alpha, beta), longer = Math.Max(alpha, beta);
        if (shorter <= ExactBits && longer <= CountedLongerBits)
            return (Counted[shorter, longer], 0);
        // With 2^(s+l−1)/u = 2^(l−1)·2^s/u + (its ceiling's excess, in [0, 1)), the share is 2 − 2·Σ_{u=U}^{2U−1} 1/u − ε, U = 2^(s−1),
        // where ε ∈ [0, 2^(1−l)) is the mean excess over 2^(l−1).
        double excess = Math.ScaleB(1.0, 1 - longer);
        if (shorter <= ExactBits)
            return (LongLimit[shorter] - excess / 2, excess / 2);
        // Σ_{u=U}^{2U−1} 1/u lies in [ln 2, ln 2 + 1/(2U)]: a left Riemann sum of the decreasing 1/x over [U, 2U].
        double high = 2 - 2 * Math.Log(2), low = high - Math.ScaleB(1.0, 1 - shorter) - excess;
        return ((high + low) / 2, (high - low) / 2);
    }

    // Σ_{u=U}^{2U−1} 1/u for U = 2^(s−1), compensated (to rounding).
    private static double HarmonicBlock(int s)
    {
        long first = 1L << (s - 1);
        var sum = new Formal.Numerics.CompensatedSum();
        for (long u = 2 * first - 1; u >= first; u--)
            sum.Add(1.0 / u);
        return sum.Value;
    }

    // The share for s ≤ ExactBits ≤ l ≤ CountedLongerBits (and s ≤ l below): #{(u, v) : uv ≥ 2^(s+l−1)} / 2^(s+l−2), where each
    // u leaves the v ≥ ⌈2^(s+l−1)/u⌉ of [2^(l−1), 2^l).
    private static double[,] CountShares()
    {
        var shares = new double[ExactBits + 1, CountedLongerBits + 1];
        for (int s = 1; s <= ExactBits; s++)
            for (int l = s; l <= CountedLongerBits; l++)
            {
                UInt128 threshold = UInt128.One << (s + l - 1), top = UInt128.One << l, count = UInt128.Zero;
                for (ulong u = 1UL << (s - 1); u < 1UL << s; u++)
                    count += top - (threshold + u - 1) / u;
                shares[s, l] = (double)count / Math.ScaleB(1.0, s + l - 2);
            }
        return shares;
    }
}
