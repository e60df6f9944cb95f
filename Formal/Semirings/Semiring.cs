using Workbench.Formal.Errors;

namespace Workbench.Formal.Semirings;

/// <summary>Operations written once for every semiring.</summary>
public static class Semiring
{
    /// <summary>The Kleene star a*, or a <see cref="DivergenceException"/> naming the value when it diverges. O(1).</summary>
    public static T Star<T>(T value) where T : struct, IClosedSemiring<T> =>
        T.TryStar(value, out var star)
            ? star
            : throw new DivergenceException($"The Kleene star of {value} diverges in the {typeof(T).Name} semiring.");

    /// <summary>Relative closeness of doubles with an absolute floor; equal infinities are close. O(1).</summary>
    internal static bool AreClose(double left, double right, double tolerance)
    {
        if (left.Equals(right)) return true;
        if (!double.IsFinite(left) || !double.IsFinite(right)) return false;
        return Math.Abs(left - right) <= tolerance * Math.Max(1.0, Math.Max(Math.Abs(left), Math.Abs(right)));
    }
}
