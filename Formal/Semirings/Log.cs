using Workbench.Formal.Numerics;

namespace Workbench.Formal.Semirings;

/// <summary>
/// The log semiring (ℝ ∪ {−∞}, log-sum-exp, +, −∞, 0): the real semiring on non-negative numbers
/// carried as their logarithms, so products of many probabilities neither underflow nor lose digits.
/// a* = −log(1 − eᵃ) for a &lt; 0 (a real weight below 1); the star of a ≥ 0 diverges.
/// </summary>
public readonly record struct Log(double Value) : IClosedSemiring<Log>, IRealWeight<Log>
{
    /// <inheritdoc />
    public static Log Zero => new(double.NegativeInfinity);
    /// <inheritdoc />
    public static Log One => new(0.0);
    /// <inheritdoc />
    public static Log Add(Log left, Log right) => new(LogSpace.Add(left.Value, right.Value));
    /// <inheritdoc />
    public static Log Multiply(Log left, Log right) =>
        double.IsNegativeInfinity(left.Value) || double.IsNegativeInfinity(right.Value) ? Zero : new(left.Value + right.Value);
    /// <inheritdoc />
    public static bool AreClose(Log left, Log right, double tolerance) => Semiring.AreClose(left.Value, right.Value, tolerance);
    /// <inheritdoc />
    public static bool TryStar(Log value, out Log star)
    {
        var ok = value.Value < 0;
        // Stryker disable once Conditional : the out value is unused when TryStar returns false
        star = ok ? new Log(-LogSpace.Log1MExp(value.Value)) : default;
        return ok;
    }
    /// <inheritdoc />
    public static double ToReal(Log weight) => Math.Exp(weight.Value);
    /// <inheritdoc />
    public static Log FromReal(double value) => new(Math.Log(value));
    /// <inheritdoc />
    public static double ToLogReal(Log weight) => weight.Value;
    /// <inheritdoc />
    public static Log FromLogReal(double logValue) => new(logValue);
    /// <inheritdoc />
    public override string ToString() => "log " + Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
