namespace Workbench.Formal.Semirings;

/// <summary>
/// The first-order expectation semiring of Eisner (2002) on pairs (p, r):
/// (p₁, r₁) ⊕ (p₂, r₂) = (p₁ + p₂, r₁ + r₂) and (p₁, r₁) ⊗ (p₂, r₂) = (p₁p₂, p₁r₂ + p₂r₁).
/// With r = p·(additive quantity) a pathsum yields (Z, Σ p·quantity): expected length with
/// quantity = length, entropy with quantity = −log p. a* = (1/(1 − p), r/(1 − p)²) for |p| &lt; 1.
/// </summary>
public readonly record struct Expectation(double P, double R) : IClosedSemiring<Expectation>
{
    /// <inheritdoc />
    public static Expectation Zero => new(0.0, 0.0);
    /// <inheritdoc />
    public static Expectation One => new(1.0, 0.0);
    /// <inheritdoc />
    public static Expectation Add(Expectation left, Expectation right) => new(left.P + right.P, left.R + right.R);
    /// <inheritdoc />
    public static Expectation Multiply(Expectation left, Expectation right) =>
        new(left.P * right.P, left.P * right.R + right.P * left.R);
    /// <inheritdoc />
    public static bool AreClose(Expectation left, Expectation right, double tolerance) =>
        Semiring.AreClose(left.P, right.P, tolerance) && Semiring.AreClose(left.R, right.R, tolerance);
    /// <inheritdoc />
    public static bool TryStar(Expectation value, out Expectation star)
    {
        var ok = Math.Abs(value.P) < 1;
        var inverse = 1.0 / (1.0 - value.P);
        // Stryker disable once Conditional : the out value is unused when TryStar returns false
        star = ok ? new Expectation(inverse, value.R * inverse * inverse) : default;
        return ok;
    }
    /// <summary>The element (p, p·x) that carries weight p and the additive quantity x.</summary>
    public static Expectation Of(double p, double x) => new(p, p * x);
    /// <inheritdoc />
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"⟨{P:R}, {R:R}⟩");
}
