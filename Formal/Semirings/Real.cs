namespace Workbench.Formal.Semirings;

/// <summary>
/// The real semiring (ℝ, +, ×, 0, 1) in double precision: probabilities and weights of WFSAs.
/// a* = 1/(1 − a) exactly when the geometric series converges, |a| &lt; 1; otherwise the star diverges.
/// </summary>
public readonly record struct Real(double Value) : IClosedSemiring<Real>, IRealWeight<Real>
{
    /// <inheritdoc />
    public static Real Zero => new(0.0);
    /// <inheritdoc />
    public static Real One => new(1.0);
    /// <inheritdoc />
    public static Real Add(Real left, Real right) => new(left.Value + right.Value);
    /// <inheritdoc />
    public static Real Multiply(Real left, Real right) => new(left.Value * right.Value);
    /// <inheritdoc />
    public static bool AreClose(Real left, Real right, double tolerance) => Semiring.AreClose(left.Value, right.Value, tolerance);
    /// <inheritdoc />
    public static bool TryStar(Real value, out Real star)
    {
        var ok = Math.Abs(value.Value) < 1;
        // Stryker disable once Conditional : the out value is unused when TryStar returns false
        star = ok ? new Real(1.0 / (1.0 - value.Value)) : default;
        return ok;
    }
    /// <inheritdoc />
    public static double ToReal(Real weight) => weight.Value;
    /// <inheritdoc />
    public static Real FromReal(double value) => new(value);
    /// <inheritdoc />
    public static double ToLogReal(Real weight) => Math.Log(weight.Value);
    /// <inheritdoc />
    public static Real FromLogReal(double logValue) => new(Math.Exp(logValue));
    /// <inheritdoc />
    public override string ToString() => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
