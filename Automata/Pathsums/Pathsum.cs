using Workbench.Automata.Core;
using Workbench.Automata.Graphs;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Pathsums;

/// <summary>How a pathsum over a closed semiring is computed.</summary>
public enum PathsumStrategy
{
    /// <summary>Component by component (<see cref="SccDecomposed"/>), which is plain topological order on acyclic machines.</summary>
    Automatic,

    /// <summary>One pass in reverse topological order; refuses cyclic machines. O(|Q| + |δ|).</summary>
    Acyclic,

    /// <summary>Lehmann's closure of the whole transition matrix. O(|Q|³) time, O(|Q|²) memory.</summary>
    Lehmann,

    /// <summary>Lehmann's closure inside each strongly connected component, propagated over the component DAG. O(Σ|C|³ + |δ|).</summary>
    SccDecomposed,
}

/// <summary>
/// Pathsums of a WFSA over a closed semiring: backward values β(q) = ρ(q) ⊕ ⊕_{q –a/w→ q′} w ⊗ β(q′) (the
/// weight of all paths from q to a final state) and the allsum Z = ⊕_q λ(q) ⊗ β(q). ε-arcs count like
/// any other arc. Notes §4.1 (P4.2: Z = λᵀ T* ρ).
/// </summary>
public static class Pathsum
{
    /// <summary>The largest component (or machine, for <see cref="PathsumStrategy.Lehmann"/>) a dense closure is attempted on.</summary>
    public const int DenseClosureLimit = 4096;

    /// <summary>β for every state.</summary>
    /// <exception cref="DivergenceException">Some cycle sum diverges.</exception>
    /// <exception cref="WorkbenchException">The strategy does not apply (a cycle for Acyclic, a component too large for a dense closure).</exception>
    public static T[] Backward<T>(Wfsa<T> fsa, PathsumStrategy strategy = PathsumStrategy.Automatic) where T : struct, IClosedSemiring<T> =>
        strategy switch
        {
            PathsumStrategy.Lehmann => BackwardByClosure(fsa),
            PathsumStrategy.Acyclic => BackwardByComponents(fsa, requireAcyclic: true),
            _ => BackwardByComponents(fsa, requireAcyclic: false),
        };

    /// <summary>Z = ⊕_q λ(q) ⊗ β(q).</summary>
    public static T Allsum<T>(Wfsa<T> fsa, PathsumStrategy strategy = PathsumStrategy.Automatic) where T : struct, IClosedSemiring<T>
    {
        var beta = Backward(fsa, strategy);
        var z = T.Zero;
        for (var q = 0; q < fsa.StateCount; q++) z = T.Add(z, T.Multiply(fsa.InitialWeights[q], beta[q]));
        return z;
    }

    /// <summary>
    /// Forward values α(q) = λ(q) ⊕ ⊕_{q′ –a/w→ q} α(q′) ⊗ w: the weight of all paths from an initial state
    /// to q (including the initial weight). Computed as the backward values of the reversed machine.
    /// </summary>
    public static T[] Forward<T>(Wfsa<T> fsa, PathsumStrategy strategy = PathsumStrategy.Automatic) where T : struct, IClosedSemiring<T> =>
        Backward(Reverse(fsa), strategy);

    /// <summary>The reversed machine: arcs turned around, initial and final weights swapped. O(|Q| + |δ|).</summary>
    public static Wfsa<T> Reverse<T>(Wfsa<T> fsa) where T : struct, ISemiring<T>
    {
        var builder = new WfsaBuilder<T>(fsa.Alphabet).EnsureStates(fsa.StateCount);
        for (var q = 0; q < fsa.StateCount; q++)
        {
            builder.SetInitial(q, fsa.FinalWeights[q]).SetFinal(q, fsa.InitialWeights[q]);
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++) builder.AddArc(fsa.ArcTargets[e], fsa.ArcLabels[e], q, fsa.ArcWeights[e]);
        }
        return builder.Build();
    }

    private static T[] BackwardByClosure<T>(Wfsa<T> fsa) where T : struct, IClosedSemiring<T>
    {
        var n = fsa.StateCount;
        if (n > DenseClosureLimit)
            throw new BudgetExceededException($"Lehmann's closure of a {n}-state machine needs a dense {n}×{n} matrix; the limit is {DenseClosureLimit} states. Use the SCC-decomposed strategy.");
        var star = Closure.Lehmann(TransitionMatrix(fsa, Enumerable.Range(0, n).ToArray()));
        var beta = new T[n];
        for (var i = 0; i < n; i++)
        {
            var sum = T.Zero;
            for (var j = 0; j < n; j++) sum = T.Add(sum, T.Multiply(star[i, j], fsa.FinalWeights[j]));
            beta[i] = sum;
        }
        return beta;
    }

    private static T[] BackwardByComponents<T>(Wfsa<T> fsa, bool requireAcyclic) where T : struct, IClosedSemiring<T>
    {
        var components = StronglyConnectedComponents.Of(fsa);
        var beta = new T[fsa.StateCount];
        // Components are numbered sinks first, so every arc leaving component c lands in one already solved.
        for (var c = 0; c < components.Count; c++)
        {
            var members = components.Members[c];
            var local = new T[members.Length];
            // Stryker disable once Equality : a component of two or more states has an internal arc, which sets it below anyway
            var cyclic = members.Length > 1;
            for (var i = 0; i < members.Length; i++)
            {
                var q = members[i];
                var value = fsa.FinalWeights[q];
                for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
                {
                    var target = fsa.ArcTargets[e];
                    if (components.ComponentOf[target] != c) value = T.Add(value, T.Multiply(fsa.ArcWeights[e], beta[target]));
                    else cyclic = true;
                }
                local[i] = value;
            }
            if (!cyclic)
            {
                beta[members[0]] = local[0];
                continue;
            }
            // A component that cannot reach a final state has β = 0, however its cycles behave.
            if (local.All(v => v.Equals(T.Zero)))
            {
                foreach (var q in members) beta[q] = T.Zero;
                continue;
            }
            if (requireAcyclic)
                throw new WorkbenchException($"The machine has a cycle through state {members[0]}; the acyclic strategy does not apply.");
            if (members.Length > DenseClosureLimit)
                throw new BudgetExceededException($"A strongly connected component has {members.Length} states, above the dense closure limit of {DenseClosureLimit}; for real weights use the linear-solve pathsum.");
            var star = Closure.Lehmann(TransitionMatrix(fsa, members, components.ComponentOf, c));
            for (var i = 0; i < members.Length; i++)
            {
                var sum = T.Zero;
                for (var j = 0; j < members.Length; j++) sum = T.Add(sum, T.Multiply(star[i, j], local[j]));
                beta[members[i]] = sum;
            }
        }
        return beta;
    }

    // The ⊕-sum of arc weights between the listed states (all labels, ε included).
    private static T[,] TransitionMatrix<T>(Wfsa<T> fsa, int[] states, int[]? componentOf = null, int component = 0) where T : struct, ISemiring<T>
    {
        var position = new Dictionary<int, int>(states.Length);
        for (var i = 0; i < states.Length; i++) position[states[i]] = i;
        var matrix = new T[states.Length, states.Length];
        for (var i = 0; i < states.Length; i++)
            for (var j = 0; j < states.Length; j++) matrix[i, j] = T.Zero;
        for (var i = 0; i < states.Length; i++)
            for (var e = fsa.ArcStart(states[i]); e < fsa.ArcEnd(states[i]); e++)
            {
                var target = fsa.ArcTargets[e];
                if (componentOf is not null && componentOf[target] != component) continue;
                if (position.TryGetValue(target, out var j)) matrix[i, j] = T.Add(matrix[i, j], fsa.ArcWeights[e]);
            }
        return matrix;
    }
}
