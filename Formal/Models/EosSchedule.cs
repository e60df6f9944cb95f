using System.Globalization;
using Workbench.Formal.Errors;

namespace Workbench.Formal.Models;

/// <summary>
/// An EOS schedule f(t) = p(EOS | aᵗ) of a unary language model, with whatever is known about the
/// infinite product ∏_{t≥0} (1 − f(t)) (the mass that never stops): a closed form, or bounds on the tail
/// sums Σ_{t≥T} f(t). Every schedule with tail bounds is non-increasing, which the tightness analysis
/// relies on. Notes §2.5 (P2.3–P2.5).
/// </summary>
public sealed class EosSchedule
{
    private readonly Func<int, double> _probability;
    private readonly Func<int, (double Lower, double Upper)>? _tailSum;

    private EosSchedule(string name, Func<int, double> probability, double? survivalLimit, Func<int, (double, double)>? tailSum)
    {
        Name = name;
        _probability = probability;
        SurvivalLimit = survivalLimit;
        _tailSum = tailSum;
    }

    /// <summary>The schedule's formula, e.g. "1/(t+2)^2".</summary>
    public string Name { get; }

    /// <summary>The closed form of ∏_{t≥0} (1 − f(t)) when one is known; null otherwise.</summary>
    public double? SurvivalLimit { get; }

    /// <summary>Whether rigorous bounds on the tail sums Σ_{t≥T} f(t) are known.</summary>
    public bool HasTailSumBounds => _tailSum is not null;

    /// <summary>f(t) = p(EOS | aᵗ).</summary>
    /// <exception cref="InvalidModelException">f(t) is NaN or outside [0, 1].</exception>
    public double Probability(int t)
    {
        var f = _probability(t);
        if (!(f is >= 0 and <= 1))
            throw new InvalidModelException(string.Create(CultureInfo.InvariantCulture,
                $"The EOS schedule {Name} gives p(EOS | a^{t}) = {f}, which is not a probability in [0, 1]."));
        return f;
    }

    /// <summary>Rigorous bounds (lower, upper) on Σ_{t≥T} f(t); +∞ for a divergent sum.</summary>
    /// <exception cref="InvalidOperationException">The schedule has no known tail bounds.</exception>
    public (double Lower, double Upper) TailSum(int fromStep) =>
        _tailSum?.Invoke(fromStep) ?? throw new InvalidOperationException($"The schedule {Name} has no known tail bounds.");

    /// <summary>f(t) = 1/(t+2)²: ∏_{n=2}^{N} (1 − 1/n²) = (N+1)/(2N), so half the mass leaks (P2.3).</summary>
    public static EosSchedule InverseSquare() =>
        new("1/(t+2)^2", t => 1.0 / ((t + 2.0) * (t + 2.0)), 0.5,
            T => (1.0 / (T + 2.0), 1.0 / (T + 1.0)));

    /// <summary>f(t) = 1/(t+2): ∏_{n=2}^{N} (1 − 1/n) = 1/N → 0, a tight model with p(aⁿ) = 1/((n+1)(n+2)) (P2.3).</summary>
    public static EosSchedule Harmonic() =>
        new("1/(t+2)", t => 1.0 / (t + 2.0), 0.0, _ => (double.PositiveInfinity, double.PositiveInfinity));

    /// <summary>f(t) = c: geometric lengths, tight exactly when c &gt; 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">c is not in [0, 1].</exception>
    public static EosSchedule Constant(double c)
    {
        RequireProbability(c, nameof(c));
        var tail = c > 0 ? double.PositiveInfinity : 0.0;
        return new(string.Create(CultureInfo.InvariantCulture, $"{c:G6}"), _ => c, c > 0 ? 0.0 : 1.0, _ => (tail, tail));
    }

    /// <summary>
    /// f(t) = c/(t+1)^α with 0 &lt; c ≤ 1, α &gt; 0: Σ f diverges for α ≤ 1 (tight, P2.5) and converges
    /// for α &gt; 1 (not tight). Tail sums are bounded by ∫ x^(−α) dx.
    /// </summary>
    public static EosSchedule Power(double c, double alpha)
    {
        if (!(c > 0 && c <= 1)) throw new ArgumentOutOfRangeException(nameof(c), c, "c must lie in (0, 1].");
        if (!(alpha > 0) || double.IsInfinity(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must be a positive finite number.");
        return new(string.Create(CultureInfo.InvariantCulture, $"{c:G6}/(t+1)^{alpha:G6}"),
            t => c * Math.Pow(t + 1.0, -alpha),
            null,
            T =>
            {
                // Stryker disable once Equality : at α = 1 the integral c·(T+1)⁰/0 is +∞ as well
                if (alpha <= 1) return (double.PositiveInfinity, double.PositiveInfinity);
                // Σ_{n≥T+1} n^(−α) lies between ∫_{T+1}^∞ x^(−α) dx and that integral plus its first term.
                var integral = c * Math.Pow(T + 1.0, 1 - alpha) / (alpha - 1);
                return (integral, integral + c * Math.Pow(T + 1.0, -alpha));
            });
    }

    /// <summary>f(t) = c·rᵗ with 0 &lt; c ≤ 1, 0 ≤ r &lt; 1: Σ_{t≥T} f(t) = c·r^T/(1 − r) &lt; ∞, so not tight unless some f(t) = 1.</summary>
    public static EosSchedule Geometric(double c, double r)
    {
        if (!(c > 0 && c <= 1)) throw new ArgumentOutOfRangeException(nameof(c), c, "c must lie in (0, 1].");
        if (!(r is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(r), r, "r must lie in [0, 1).");
        return new(string.Create(CultureInfo.InvariantCulture, $"{c:G6}·{r:G6}^t"),
            t => c * Math.Pow(r, t),
            null,
            T =>
            {
                var tail = c * Math.Pow(r, T) / (1 - r);
                return (tail, tail);
            });
    }

    /// <summary>An arbitrary schedule; without tail information its tightness can only be bounded from below.</summary>
    public static EosSchedule Custom(string name, Func<int, double> probability) => new(name, probability, null, null);

    /// <inheritdoc />
    public override string ToString() => Name;

    private static void RequireProbability(double value, string name)
    {
        if (!(value is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(name, value, "The value must be a probability in [0, 1].");
    }
}
