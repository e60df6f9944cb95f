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
        // Stryker disable once Equality : the sign is never 0 here
        if (denominator.Sign < 0) (numerator, denominator) = (-numerator, -denominator);
        var divisor = BigInteger.GreatestCommonDivisor(numerator, denominator);
        // The divisor is never 0: the denominator is not.
        if (!divisor.IsOne) (numerator, denominator) = (numerator / divisor, denominator / divisor);
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

    /// <summary>The exact value of a finite double (every double is a dyadic rational). O(1) plus the exponent's size.</summary>
    /// <exception cref="ArgumentException">The value is NaN or infinite.</exception>
    public static Rational FromDouble(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"{value} is not a finite number, so it has no exact rational value.", nameof(value));
        if (value == 0) return Zero;
        var bits = BitConverter.DoubleToInt64Bits(value);
        // Stryker disable once Bitwise : the mask drops the sign bits, so >> and >>> agree
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        // Subnormals have exponent field 0 and no implicit leading bit.
        if (exponent == 0) exponent = 1; else mantissa += 1L << 52;
        exponent -= 1075;
        BigInteger numerator = double.IsNegative(value) ? -mantissa : mantissa;
        // Stryker disable once Equality : both branches give numerator/1 at exponent 0
        return exponent >= 0 ? new(numerator << exponent, BigInteger.One) : new(numerator, BigInteger.One << -exponent);
    }

    /// <summary>
    /// The decimal a double was most likely written as: the shortest decimal that reads back as the same double
    /// (0.1 → 1/10, 0.3333333333 → 3333333333/10¹⁰), so that weights typed in decimal keep their exact sums. O(digits).
    /// </summary>
    /// <exception cref="ArgumentException">The value is NaN or infinite.</exception>
    public static Rational FromShortestDecimal(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"{value} is not a finite number, so it has no exact rational value.", nameof(value));
        // "R" gives the shortest round-trip digits; re-read them as mantissa and exponent.
        var text = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var exponentAt = text.IndexOfAny(['E', 'e']);
        // Stryker disable Equality : "R" text starts with a digit or '-', so neither E nor '.' is at index 0, and both branches agree at exponent 0
        var exponent = exponentAt < 0 ? 0 : int.Parse(text[(exponentAt + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var mantissa = exponentAt < 0 ? text : text[..exponentAt];
        var point = mantissa.IndexOf('.');
        if (point >= 0)
        {
            exponent -= mantissa.Length - point - 1;
            mantissa = mantissa.Remove(point, 1);
        }
        var digits = BigInteger.Parse(mantissa, System.Globalization.CultureInfo.InvariantCulture);
        return exponent >= 0 ? new(digits * BigInteger.Pow(10, exponent), BigInteger.One) : new(digits, BigInteger.Pow(10, -exponent));
        // Stryker restore Equality
    }

    /// <summary>
    /// A rational within a relative 2⁻⁵² of e^<paramref name="logValue"/>, for weights kept as logarithms; unlike
    /// <c>FromDouble(Math.Exp(x))</c> it neither underflows nor overflows (e^−800 is kept). O(|x|) bits.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="logValue"/> is NaN or +∞ (−∞ is 0).</exception>
    public static Rational FromLog(double logValue)
    {
        if (double.IsNegativeInfinity(logValue)) return Zero;
        if (!double.IsFinite(logValue)) throw new ArgumentException($"e^{logValue} is not a finite number.", nameof(logValue));
        var shift = (int)Math.Floor(logValue / Math.Log(2));
        var scaled = FromDouble(Math.Exp(logValue - shift * Math.Log(2)));
        // Stryker disable once Equality : both branches agree at shift 0
        return shift >= 0 ? new(scaled.Numerator << shift, scaled.Denominator) : new(scaled.Numerator, scaled.Denominator << -shift);
    }

    /// <summary>
    /// The nearest double, rounded to nearest with ties to even (so 9/10 is 0.9), also when numerator and denominator lie
    /// beyond the double range; 0 or ±∞ only when the value itself does. Subnormal results may be off by one unit in the
    /// last place. O(size of the numbers).
    /// </summary>
    public double ToDouble()
    {
        if (Numerator.IsZero) return 0;
        // |p/q| = quotient·2^shift + a remainder below one unit, with a quotient of 54 or 55 bits: two more than the
        // 53 of a double, so that the bits below the last place and the remainder decide the rounding.
        var magnitude = BigInteger.Abs(Numerator);
        var shift = (long)magnitude.GetBitLength() - (long)Denominator.GetBitLength() - 54;
        // Stryker disable Equality : past ±1100 the result saturates anyway; the guards keep the int casts in range
        if (shift > 1100) return Numerator.Sign * double.PositiveInfinity;
        if (shift < -1200) return Numerator.Sign * 0.0;
        // Stryker restore Equality
        var (quotient, remainder) = shift <= 0
            ? BigInteger.DivRem(magnitude << (int)-shift, Denominator)
            : BigInteger.DivRem(magnitude, Denominator << (int)shift);
        var extra = (int)quotient.GetBitLength() - 53;
        var mantissa = quotient >> extra;
        var below = quotient - (mantissa << extra);
        var half = BigInteger.One << (extra - 1);
        if (below > half || (below == half && (!remainder.IsZero || !mantissa.IsEven))) mantissa += 1;
        return Numerator.Sign * Math.ScaleB((double)mantissa, (int)(shift + extra));
    }

    /// <summary>ln |p/q| without overflow, for arbitrarily large numerators and denominators; −∞ for 0.</summary>
    public double Log()
    {
        if (Numerator.IsZero) return double.NegativeInfinity;
        var (quotient, exponent) = Scaled();
        return Math.Log(Math.Abs((double)quotient)) + exponent * Math.Log(2);
    }

    // p/q = quotient·2^exponent up to a relative 2⁻⁶², with |quotient| an integer of about 64 bits.
    private (BigInteger Quotient, long Exponent) Scaled()
    {
        var exponent = (long)BigInteger.Abs(Numerator).GetBitLength() - (long)Denominator.GetBitLength() - 64;
        // Stryker disable once Equality,Conditional : a negative shift is a right shift, so both branches give the quotient to 2⁻⁶²
        var quotient = exponent <= 0 ? (Numerator << (int)-exponent) / Denominator : Numerator / (Denominator << (int)exponent);
        return (quotient, exponent);
    }

    /// <summary>Value equality of reduced fractions.</summary>
    public bool Equals(Rational other) => Numerator == other.Numerator && Denominator == other.Denominator;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Numerator, Denominator);

    /// <inheritdoc />
    public override string ToString() => Denominator.IsOne ? Numerator.ToString() : $"{Numerator}/{Denominator}";
}
