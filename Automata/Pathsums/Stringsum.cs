using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Pathsums;

/// <summary>
/// The weight A(y) of a string: the ⊕-sum over all paths labelled y of λ ⊗ (arc weights) ⊗ ρ, by one
/// forward pass α ← α ⊗ T^(a) per symbol (P4.1: A(y) = λᵀ T^(y₁)…T^(yₙ) ρ). With ε-arcs the forward
/// vector is closed under ε after every step, α ← α ⊗ (T^(ε))*. O(|y|·|δ|) without ε; with ε an
/// additional O(|Q|³) once for the ε-closure and O(|y|·|Q|²).
/// </summary>
public static class Stringsum
{
    /// <summary>A(y).</summary>
    /// <exception cref="Formal.Errors.UnknownSymbolException">y has an id outside Σ.</exception>
    /// <exception cref="DivergenceException">An ε-cycle on a useful state diverges.</exception>
    public static T Weight<T>(Wfsa<T> fsa, ReadOnlySpan<int> symbols) where T : struct, IClosedSemiring<T>
    {
        fsa.Alphabet.Validate(symbols);
        // Useless states carry no string weight; trimming them first keeps a diverging ε-loop on a dead state out of the closure.
        if (fsa.HasEpsilonArcs) fsa = Graphs.Reachability.Trim(fsa).Trimmed;
        // Stryker disable once Conditional : the ε-closure of an ε-free machine is the identity; skipping it only saves time
        var closure = fsa.HasEpsilonArcs ? EpsilonClosure(fsa) : null;
        var alpha = fsa.InitialWeights.ToArray();
        if (closure is not null) alpha = Close(alpha, closure);
        foreach (var symbol in symbols)
        {
            var next = new T[fsa.StateCount];
            Array.Fill(next, T.Zero);
            for (var q = 0; q < fsa.StateCount; q++)
            {
                if (alpha[q].Equals(T.Zero)) continue;
                for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
                    if (fsa.ArcLabels[e] == symbol)
                        next[fsa.ArcTargets[e]] = T.Add(next[fsa.ArcTargets[e]], T.Multiply(alpha[q], fsa.ArcWeights[e]));
            }
            alpha = closure is null ? next : Close(next, closure);
        }
        var weight = T.Zero;
        for (var q = 0; q < fsa.StateCount; q++) weight = T.Add(weight, T.Multiply(alpha[q], fsa.FinalWeights[q]));
        return weight;
    }

    private static T[,] EpsilonClosure<T>(Wfsa<T> fsa) where T : struct, IClosedSemiring<T>
    {
        var n = fsa.StateCount;
        if (n > Pathsum.DenseClosureLimit)
            throw new BudgetExceededException($"The ε-closure of a {n}-state machine needs a dense {n}×{n} matrix; the limit is {Pathsum.DenseClosureLimit} states.");
        var matrix = new T[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++) matrix[i, j] = T.Zero;
        for (var q = 0; q < n; q++)
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q) && fsa.ArcLabels[e] == Wfsa<T>.Epsilon; e++)
                matrix[q, fsa.ArcTargets[e]] = T.Add(matrix[q, fsa.ArcTargets[e]], fsa.ArcWeights[e]);
        return Closure.Lehmann(matrix);
    }

    private static T[] Close<T>(T[] alpha, T[,] closure) where T : struct, IClosedSemiring<T>
    {
        var n = alpha.Length;
        var closed = new T[n];
        for (var j = 0; j < n; j++)
        {
            var sum = T.Zero;
            for (var i = 0; i < n; i++)
                if (!alpha[i].Equals(T.Zero)) sum = T.Add(sum, T.Multiply(alpha[i], closure[i, j]));
            closed[j] = sum;
        }
        return closed;
    }
}
