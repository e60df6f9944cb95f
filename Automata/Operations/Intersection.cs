using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Operations;

/// <summary>
/// Intersection of weighted acceptors over a commutative semiring, (A ∩ B)(y) = A(y) ⊗ B(y): the product
/// construction on the pairs of states reachable from the initial pairs, matching arcs by label. ε-arcs
/// are removed from both inputs first, so no redundant ε-paths arise (ε-awareness without a filter).
/// O(|Q_A||Q_B| + |δ_A||δ_B|) in the worst case; refused beyond a state budget.
/// </summary>
public static class Intersection
{
    /// <summary>The default budget of product states.</summary>
    public const int DefaultStateBudget = 5_000_000;

    /// <summary>A ∩ B on the accessible pairs.</summary>
    /// <exception cref="WorkbenchException">The product exceeds <paramref name="stateBudget"/> states, or the alphabets differ.</exception>
    public static Wfsa<T> Intersect<T>(Wfsa<T> a, Wfsa<T> b, int stateBudget = DefaultStateBudget) where T : struct, IClosedSemiring<T>
    {
        RationalOperations.RequireSameAlphabet(a, b);
        a = EpsilonRemoval.Remove(a);
        b = EpsilonRemoval.Remove(b);
        var builder = new WfsaBuilder<T>(a.Alphabet);
        var ids = new Dictionary<(int, int), int>();
        var queue = new Queue<(int A, int B)>();
        int StateOf(int p, int q)
        {
            if (ids.TryGetValue((p, q), out var id)) return id;
            if (ids.Count >= stateBudget)
                throw new BudgetExceededException($"The intersection exceeds the budget of {stateBudget} product states.");
            ids[(p, q)] = id = builder.AddState();
            builder.SetFinal(id, T.Multiply(a.FinalWeights[p], b.FinalWeights[q]));
            queue.Enqueue((p, q));
            return id;
        }
        for (var p = 0; p < a.StateCount; p++)
            for (var q = 0; q < b.StateCount && !a.InitialWeights[p].Equals(T.Zero); q++)
                if (!b.InitialWeights[q].Equals(T.Zero))
                    builder.SetInitial(StateOf(p, q), T.Multiply(a.InitialWeights[p], b.InitialWeights[q]));
        while (queue.TryDequeue(out var pair))
        {
            var from = ids[pair];
            // Both rows are sorted by label: a merge join pairs the arcs with equal labels.
            int i = a.ArcStart(pair.A), j = b.ArcStart(pair.B);
            while (i < a.ArcEnd(pair.A) && j < b.ArcEnd(pair.B))
            {
                var (la, lb) = (a.ArcLabels[i], b.ArcLabels[j]);
                if (la < lb) { i++; continue; }
                if (lb < la) { j++; continue; }
                var jEnd = j;
                while (jEnd < b.ArcEnd(pair.B) && b.ArcLabels[jEnd] == la) jEnd++;
                for (; i < a.ArcEnd(pair.A) && a.ArcLabels[i] == la; i++)
                    for (var k = j; k < jEnd; k++)
                        builder.AddArc(from, la, StateOf(a.ArcTargets[i], b.ArcTargets[k]), T.Multiply(a.ArcWeights[i], b.ArcWeights[k]));
                j = jEnd;
            }
        }
        return builder.Build();
    }
}
