namespace Workbench.Formal.Semirings;

/// <summary>
/// The max-times (Viterbi) semiring ([0, ∞), max, ×, 0, 1): the weight of the best path.
/// a* = 1 for 0 ≤ a ≤ 1; for a &gt; 1 the star diverges (a cycle of weight above one can be pumped).
/// </summary>
public readonly record struct MaxTimes(double Value) : IClosedSemiring<MaxTimes>
{
    /// <inheritdoc />
    public static MaxTimes Zero => new(0.0);
    /// <inheritdoc />
    public static MaxTimes One => new(1.0);
    /// <inheritdoc />
    public static MaxTimes Add(MaxTimes left, MaxTimes right) => new(Math.Max(left.Value, right.Value));
    /// <inheritdoc />
    public static MaxTimes Multiply(MaxTimes left, MaxTimes right) => new(left.Value * right.Value);
    /// <inheritdoc />
    public static bool AreClose(MaxTimes left, MaxTimes right, double tolerance) => Semiring.AreClose(left.Value, right.Value, tolerance);
    /// <inheritdoc />
    public static bool TryStar(MaxTimes value, out MaxTimes star)
    {
        var ok = value.Value is >= 0 and <= 1;
        // Stryker disable once Conditional : the out value is unused when TryStar returns false
        star = ok ? One : default;
        return ok;
    }
    /// <inheritdoc />
    public override string ToString() => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
