using Workbench.Formal.Semirings;

namespace Workbench.Automata.Pathsums;

/// <summary>
/// Lehmann's algorithm: the Kleene closure M* = ⊕_{n≥0} Mⁿ of a square matrix over a closed semiring,
/// O(n³) time and O(n²) memory (Lehmann 1977; the semiring form of Floyd–Warshall).
/// </summary>
public static class Closure
{
    /// <summary>M* for a dense n×n matrix (row-major).</summary>
    /// <exception cref="Formal.Errors.DivergenceException">A star diverges: the sum over cycles through some state does not converge.</exception>
    public static T[,] Lehmann<T>(T[,] matrix) where T : struct, IClosedSemiring<T>
    {
        var n = matrix.GetLength(0);
        var current = (T[,])matrix.Clone();
        var next = new T[n, n];
        for (var k = 0; k < n; k++)
        {
            var loop = Semiring.Star(current[k, k]);
            for (var i = 0; i < n; i++)
            {
                var through = T.Multiply(current[i, k], loop);
                for (var j = 0; j < n; j++)
                    next[i, j] = T.Add(current[i, j], T.Multiply(through, current[k, j]));
            }
            (current, next) = (next, current);
        }
        for (var i = 0; i < n; i++) current[i, i] = T.Add(T.One, current[i, i]);
        return current;
    }
}
