using MathNet.Numerics.LinearAlgebra;

namespace Workbench.Automata.Grammars;

/// <summary>
/// Certified solutions of (I − M)ᵀξ = b for a non-negative matrix M with ρ(M) &lt; 1: the expected-count and outside
/// systems of grammars. Alongside ξ, x solves (I − M)ᵀx = 1; a positive x with residual δ &lt; 1 bounds
/// (I − M)⁻ᵀ ≤ x/(1 − δ) componentwise, so |ξ − ξ̃| ≤ ‖r_ξ‖∞·x/(1 − δ) (as in RealPathsum). One dense LU, O(n³).
/// </summary>
internal static class SubcriticalSystem
{
    /// <summary>ξ and its componentwise error bound, or null when the bound cannot be certified (ρ(M) at or too near 1).</summary>
    public static (double[] Solution, double[] Error)? SolveTransposed(Matrix<double> m, Vector<double> b)
    {
        var n = m.RowCount;
        var system = (Matrix<double>.Build.DenseIdentity(n) - m).Transpose();
        var lu = system.LU();
        var ones = Vector<double>.Build.Dense(n, 1.0);
        var xi = lu.Solve(b);
        var x = lu.Solve(ones);
        var residual = (b - system * xi).AbsoluteMaximum() + 4e-16 * n * (b.AbsoluteMaximum() + xi.AbsoluteMaximum());
        var delta = (ones - system * x).AbsoluteMaximum() + 4e-16 * n * (1 + x.AbsoluteMaximum());
        if (!(delta < 1) || x.Any(v => !(v > 0)) || xi.Any(v => !double.IsFinite(v))) return null;
        return (xi.ToArray(), x.Select(v => residual * v / (1 - delta)).ToArray());
    }
}
