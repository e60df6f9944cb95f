namespace Workbench.Formal.Semirings;

/// <summary>The Boolean semiring ({false, true}, ∨, ∧, false, true): reachability and unweighted languages. a* = true.</summary>
public readonly record struct Boolean(bool Value) : IClosedSemiring<Boolean>
{
    /// <inheritdoc />
    public static Boolean Zero => new(false);
    /// <inheritdoc />
    public static Boolean One => new(true);
    /// <inheritdoc />
    public static Boolean Add(Boolean left, Boolean right) => new(left.Value || right.Value);
    /// <inheritdoc />
    public static Boolean Multiply(Boolean left, Boolean right) => new(left.Value && right.Value);
    /// <inheritdoc />
    public static bool AreClose(Boolean left, Boolean right, double tolerance) => left.Value == right.Value;
    /// <inheritdoc />
    public static bool TryStar(Boolean value, out Boolean star)
    {
        star = One;
        return true;
    }
    /// <inheritdoc />
    public override string ToString() => Value ? "true" : "false";
}
