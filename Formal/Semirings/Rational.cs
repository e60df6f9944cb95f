using System.Numerics;

namespace Workbench.Formal.Semirings;

/// <summary>
/// Exact rational numbers p/q (BigInteger, always reduced, q &gt; 0) as the real semiring (ℚ, +, ×, 0, 1) without
/// rounding: for theorems that need exact equalities (P4.7) and exact simulations (saturated-sigmoid RNNs).
/// a* = 1/(1 − a) exactly for |a| &lt; 1; otherwise the series diverges. Operations cost the size of the numbers.
/// </summary>
public readonly record struct Rational : IClosedSemiring<Rational>, IComparable<Rational>
{
    private readonly BigInteger _denominator;

    private Rational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero) throw new DivideByZeroException("A rational number cannot have denominator 0.");
        if (denominator.Sign < 0) (numerator, denominator) = (-numerator, -denominator);
        var divisor = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (!divisor.IsOne && !divisor.IsZero) (numerator, denominator) = (numerator / divisor, denominator / divisor);
        Numerator = numerator;
        _denominator = denominator;
    }

    /// <summary>The reduced numerator.</summary>
    public BigInteger Numerator { get; }

    /// <summary>The reduced positive denominator.</summary>
    public BigInteger Denominator => _denominator.IsZero ? BigInteger.One : _denominator;

    /// <summary>p/q.</summary>
    /// <exception cref="DivideByZeroException">q = 0.</exception>
    public static Rational Of(BigInteger numerator, BigInteger denominator) => new(numerator, denominator);

    /// <summary>The integer n.</summary>
    public static Rational Of(BigInteger integer) => new(integer, BigInteger.One);

    /// <inheritdoc />
    public static Rational Zero => Of(0);
    /// <inheritdoc />
    public static Rational One => Of(1);
    /// <inheritdoc />
    public static Rational Add(Rational left, Rational right) =>
        new(left.Numerator * right.Denominator + right.Numerator * left.Denominator, left.Denominator * right.Denominator);
    /// <inheritdoc />
    public static Rational Multiply(Rational left, Rational right) =>
        new(left.Numerator * right.Numerator, left.Denominator * right.Denominator);
    /// <summary>left − right.</summary>
    public static Rational Subtract(Rational left, Rational right) => Add(left, new Rational(-right.Numerator, right.Denominator));
    /// <summary>left / right.</summary>
    /// <exception cref="DivideByZeroException">right = 0.</exception>
    public static Rational Divide(Rational left, Rational right) =>
        new(left.Numerator * right.Denominator, left.Denominator * right.Numerator);
    /// <inheritdoc />
    public static bool AreClose(Rational left, Rational right, double tolerance) => left.Equals(right);
    /// <inheritdoc />
    public static bool TryStar(Rational value, out Rational star)
    {
        var ok = BigInteger.Abs(value.Numerator) < value.Denominator;
        star = ok ? Divide(One, Subtract(One, value)) : default;
        return ok;
    }

    /// <inheritdoc />
    public int CompareTo(Rational other) => (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    /// <summary>The nearest double.</summary>
    public double ToDouble() => (double)Numerator / (double)Denominator;

    /// <summary>Value equality of reduced fractions.</summary>
    public bool Equals(Rational other) => Numerator == other.Numerator && Denominator == other.Denominator;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Numerator, Denominator);

    /// <inheritdoc />
    public override string ToString() => Denominator.IsOne ? Numerator.ToString() : $"{Numerator}/{Denominator}";
}
