using System.Numerics;

namespace Workbench.Formal.Semirings;

/// <summary>
/// The counting semiring on the extended naturals ℕ ∪ {∞} with exact big-integer arithmetic: the
/// pathsum counts paths (∞ when a cycle makes them infinitely many). 0 annihilates even ∞.
/// a* = 1 for a = 0 and ∞ otherwise — an element of the carrier, so this star never diverges.
/// </summary>
public readonly record struct Counting : IClosedSemiring<Counting>
{
    private Counting(BigInteger count, bool isInfinite)
    {
        // Every caller passes 0 with ∞.
        Count = count;
        IsInfinite = isInfinite;
    }

    /// <summary>A finite count.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative.</exception>
    public static Counting Of(BigInteger count) =>
        count.Sign >= 0 ? new Counting(count, false) : throw new ArgumentOutOfRangeException(nameof(count), count, "Counts are non-negative.");

    /// <summary>The infinite count ∞.</summary>
    public static Counting Infinity => new(BigInteger.Zero, true);

    /// <summary>The count when finite (0 for ∞; check <see cref="IsInfinite"/>).</summary>
    public BigInteger Count { get; }

    /// <summary>Whether this is ∞.</summary>
    public bool IsInfinite { get; }

    private bool IsZero => !IsInfinite && Count.IsZero;

    /// <inheritdoc />
    public static Counting Zero => new(BigInteger.Zero, false);
    /// <inheritdoc />
    public static Counting One => new(BigInteger.One, false);
    /// <inheritdoc />
    public static Counting Add(Counting left, Counting right) =>
        left.IsInfinite || right.IsInfinite ? Infinity : new(left.Count + right.Count, false);
    /// <inheritdoc />
    public static Counting Multiply(Counting left, Counting right) =>
        left.IsZero || right.IsZero ? Zero
        : left.IsInfinite || right.IsInfinite ? Infinity
        : new(left.Count * right.Count, false);
    /// <inheritdoc />
    public static bool AreClose(Counting left, Counting right, double tolerance) => left.Equals(right);
    /// <inheritdoc />
    public static bool TryStar(Counting value, out Counting star)
    {
        star = value.IsZero ? One : Infinity;
        return true;
    }
    /// <inheritdoc />
    public override string ToString() => IsInfinite ? "∞" : Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
