using System.Globalization;

namespace Workbench.Proofs;

/// <summary>An instance on which a theorem's statement fails, with the quantities that disagree.</summary>
public sealed class TheoremViolation(string message) : Exception(message);

/// <summary>Assertions for theorem checks; each failure says what was compared and by how much it missed.</summary>
public static class Require
{
    /// <summary>Fails unless <paramref name="condition"/> holds.</summary>
    public static void That(bool condition, string what)
    {
        if (!condition) throw new TheoremViolation(what);
    }

    /// <summary>Fails unless |actual − expected| ≤ tolerance·max(1, |expected|); equal infinities agree.</summary>
    public static void Close(double expected, double actual, double tolerance, string what)
    {
        if (expected.Equals(actual)) return;
        var scale = Math.Max(1.0, Math.Abs(expected));
        if (double.IsFinite(expected) && double.IsFinite(actual) && Math.Abs(actual - expected) <= tolerance * scale) return;
        throw new TheoremViolation(string.Create(CultureInfo.InvariantCulture,
            $"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(actual - expected):G3}, tolerance {tolerance:G3})"));
    }

    /// <summary>Fails unless left ≤ right + slack.</summary>
    public static void AtMost(double left, double right, double slack, string what)
    {
        if (!(left <= right + slack))
            throw new TheoremViolation(string.Create(CultureInfo.InvariantCulture, $"{what}: {left:R} > {right:R} (slack {slack:G3})"));
    }
}
