namespace Workbench.Formal.Numerics;

/// <summary>
/// Arithmetic on log-probabilities that neither overflows nor loses the small terms: log-sum-exp,
/// log(1 − eˣ), and accurate log1p/expm1 (the framework's <c>double.LogP1</c> is log(1 + x), which
/// loses every digit of x below machine epsilon). Notes §3.1 (softmax and its normaliser).
/// </summary>
public static class LogSpace
{
    /// <summary>log(eᵃ + eᵇ) without overflow; −∞ is the identity. O(1).</summary>
    public static double Add(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        var max = Math.Max(a, b);
        if (double.IsPositiveInfinity(max)) return max;
        return max + Log1P(Math.Exp(-Math.Abs(a - b)));
    }

    /// <summary>log Σᵢ exp(xᵢ), stable by shifting with the maximum; −∞ for an empty or all −∞ input. O(n).</summary>
    public static double SumExp(ReadOnlySpan<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) return double.NaN;
            // Stryker disable once Equality : ties leave the same maximum
            if (v > max) max = v;
        }
        if (double.IsInfinity(max)) return max;
        var sum = 0.0;
        foreach (var v in values) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }

    /// <summary>log(1 + x), accurate to a few ulps also for |x| far below machine epsilon. O(1).</summary>
    public static double Log1P(double x)
    {
        var u = 1.0 + x;
        if (u == 1.0) return x;
        if (double.IsPositiveInfinity(u)) return u;
        // Kahan: the rounding error of 1 + x cancels between log(u) and u − 1.
        return Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>eˣ − 1, accurate to a few ulps also for tiny |x|. O(1).</summary>
    public static double ExpM1(double x)
    {
        // Kahan: u = eˣ carries a rounding error that (u − 1)/ln u cancels, where plain eˣ − 1 loses ε/|x| relative
        // (2·10⁻¹¹ at x = −10⁻⁵).
        var u = Math.Exp(x);
        if (u == 1.0) return x;
        var um1 = u - 1.0;
        if (um1 == -1.0) return -1.0;
        if (double.IsPositiveInfinity(u)) return u;
        return um1 * x / Math.Log(u);
    }

    /// <summary>
    /// log(1 − eˣ) for x ≤ 0 (the log-probability of the complement of an event with log-probability x);
    /// −∞ at x = 0 and NaN for x &gt; 0. O(1).
    /// </summary>
    public static double Log1MExp(double x)
    {
        // Stryker disable once Logical : for x > 0 or NaN the formulas below give NaN as well; the guard states it
        if (x > 0 || double.IsNaN(x)) return double.NaN;
        if (x == 0) return double.NegativeInfinity;
        // Mächler's split: expm1 near 0, log1p far from it.
        // Stryker disable once Equality : both forms are accurate at the split point
        return x > -Math.Log(2) ? Math.Log(-ExpM1(x)) : Log1P(-Math.Exp(x));
    }
}
