namespace Workbench.Formal.Semirings;

/// <summary>
/// The tropical semiring (ℝ ∪ {+∞}, min, +, +∞, 0): shortest paths, e.g. in −log weights the most
/// probable path. a* = 0 for a ≥ 0; a negative a (a negative cycle) makes the star diverge to −∞.
/// </summary>
public readonly record struct Tropical(double Value) : IClosedSemiring<Tropical>
{
    /// <inheritdoc />
    public static Tropical Zero => new(double.PositiveInfinity);
    /// <inheritdoc />
    public static Tropical One => new(0.0);
    /// <inheritdoc />
    public static Tropical Add(Tropical left, Tropical right) => new(Math.Min(left.Value, right.Value));
    /// <inheritdoc />
    public static Tropical Multiply(Tropical left, Tropical right) =>
        double.IsPositiveInfinity(left.Value) || double.IsPositiveInfinity(right.Value) ? Zero : new(left.Value + right.Value);
    /// <inheritdoc />
    public static bool AreClose(Tropical left, Tropical right, double tolerance) => Semiring.AreClose(left.Value, right.Value, tolerance);
    /// <inheritdoc />
    public static bool TryStar(Tropical value, out Tropical star)
    {
        var ok = value.Value >= 0;
        // Stryker disable once Conditional : the out value is unused when TryStar returns false
        star = ok ? One : default;
        return ok;
    }
    /// <inheritdoc />
    public override string ToString() => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
