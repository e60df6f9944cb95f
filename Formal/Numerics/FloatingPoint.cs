namespace Workbench.Formal.Numerics;

/// <summary>Constants of IEEE double precision used in error bounds.</summary>
public static class FloatingPoint
{
    /// <summary>
    /// Machine epsilon 2⁻⁵², the gap between 1 and the next double; a single rounding errs by at most half of it.
    /// (The framework's <c>double.Epsilon</c> is the smallest subnormal, a different number.)
    /// </summary>
    public const double MachineEpsilon = 2.220446049250313e-16;
}
