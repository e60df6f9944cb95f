using Workbench.Automata.Core;
using Workbench.Automata.Graphs;
using Workbench.Automata.Pathsums;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Operations;

/// <summary>
/// ε-removal over a closed semiring: with d(q, p) the weight of all ε-paths from q to p (the ε-closure,
/// (T^(ε))*), the machine with arcs q –a/d(q,p)⊗w→ r for every non-ε arc p –a/w→ r and final weights
/// ρ′(q) = ⊕_p d(q, p) ⊗ ρ(p) has no ε-arcs and the same string weights. A PFSA stays a PFSA; a diverging
/// ε-cycle among useless states becomes one sink state (its mass never finishes a string either).
/// Closures are computed component by component over the ε-subgraph (Lehmann inside cyclic
/// components), so cost is O(Σ closure sizes · out-degree) plus O(|C|³) per cyclic ε-component.
/// </summary>
public static class EpsilonRemoval
{
    /// <summary>The largest total size of all ε-closures before the removal is refused (a quadratic blow-up on long ε-chains).</summary>
    public const long ClosureBudget = 50_000_000;

    /// <summary>The ε-free machine (the machine itself when it has no ε-arcs).</summary>
    /// <exception cref="DivergenceException">An ε-cycle diverges.</exception>
    /// <exception cref="WorkbenchException">The closures exceed <see cref="ClosureBudget"/> entries.</exception>
    public static Wfsa<T> Remove<T>(Wfsa<T> fsa) where T : struct, IClosedSemiring<T> => RemoveWithClosures(fsa).Machine;

    /// <summary>
    /// The ε-free machine and the largest total ε-closure weight max_q Σ_p d(q, p) (1 without ε-arcs): the factor by
    /// which ε-removal can amplify an error in the weights, e.g. the rounding of a PFSA printed in single precision.
    /// </summary>
    /// <exception cref="DivergenceException">An ε-cycle on a useful state diverges.</exception>
    /// <exception cref="WorkbenchException">The closures exceed <see cref="ClosureBudget"/> entries.</exception>
    public static Wfsa<T> Remove<T>(Wfsa<T> fsa, out double closureMass) where T : struct, IClosedSemiring<T>, IRealWeight<T>
    {
        var (machine, closures) = RemoveWithClosures(fsa);
        closureMass = closures is null ? 1 : closures.Max(closure => closure.Values.Sum(T.ToReal));
        return machine;
    }

    private static (Wfsa<T> Machine, Dictionary<int, T>[]? Closures) RemoveWithClosures<T>(Wfsa<T> fsa) where T : struct, IClosedSemiring<T>
    {
        if (!fsa.HasEpsilonArcs) return (fsa, null);
        var sink = fsa.StateCount;
        var closures = Closures(fsa, sink);
        var builder = new WfsaBuilder<T>(fsa.Alphabet).EnsureStates(fsa.StateCount);
        var usesSink = false;
        for (var q = 0; q < fsa.StateCount; q++)
        {
            builder.SetInitial(q, fsa.InitialWeights[q]);
            var final = T.Zero;
            foreach (var (p, d) in closures[q])
            {
                if (p == sink)
                {
                    usesSink = true;
                    if (fsa.Alphabet.Size > 0) builder.EnsureStates(sink + 1).AddArc(q, 0, sink, d);
                    continue;
                }
                final = T.Add(final, T.Multiply(d, fsa.FinalWeights[p]));
                for (var e = fsa.ArcStart(p); e < fsa.ArcEnd(p); e++)
                    if (fsa.ArcLabels[e] != Wfsa<T>.Epsilon)
                        builder.AddArc(q, fsa.ArcLabels[e], fsa.ArcTargets[e], T.Multiply(d, fsa.ArcWeights[e]));
            }
            builder.SetFinal(q, final);
        }
        if (usesSink && fsa.Alphabet.Size > 0) builder.AddArc(sink, 0, sink, T.One);
        return (MergeParallelArcs(builder.Build()), closures);
    }

    // d(q, ·) for every state, as sparse maps, solved sinks first over the ε-subgraph's components. A component of
    // useless states whose ε-cycles diverge (a probability-1 ε-loop on a dead state) carries no string weight; its
    // closure becomes one sink state that keeps the mass it absorbs (looping on a symbol with weight 1), so a PFSA
    // stays a PFSA with the same leak.
    private static Dictionary<int, T>[] Closures<T>(Wfsa<T> fsa, int sink) where T : struct, IClosedSemiring<T>
    {
        bool[]? useful = null;
        var epsilon = new WfsaBuilder<T>(fsa.Alphabet).EnsureStates(fsa.StateCount);
        for (var q = 0; q < fsa.StateCount; q++)
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q) && fsa.ArcLabels[e] == Wfsa<T>.Epsilon; e++)
                epsilon.AddArc(q, Wfsa<T>.Epsilon, fsa.ArcTargets[e], fsa.ArcWeights[e]);
        var graph = epsilon.Build();
        var components = StronglyConnectedComponents.Of(graph);
        var closures = new Dictionary<int, T>[fsa.StateCount];
        long total = 0;
        for (var c = 0; c < components.Count; c++)
        {
            var members = components.Members[c];
            // Within the component: the closure of the internal ε-arcs (the identity for a singleton without a loop).
            var position = new Dictionary<int, int>(members.Length);
            for (var i = 0; i < members.Length; i++) position[members[i]] = i;
            var internalArcs = new T[members.Length, members.Length];
            for (var i = 0; i < members.Length; i++)
                for (var j = 0; j < members.Length; j++) internalArcs[i, j] = T.Zero;
            // Leaving the component: each member's closure starts with itself plus its arcs to solved components.
            var exits = new Dictionary<int, T>[members.Length];
            for (var i = 0; i < members.Length; i++)
            {
                var q = members[i];
                exits[i] = new Dictionary<int, T> { [q] = T.One };
                for (var e = graph.ArcStart(q); e < graph.ArcEnd(q); e++)
                {
                    var target = graph.ArcTargets[e];
                    if (position.TryGetValue(target, out var j)) internalArcs[i, j] = T.Add(internalArcs[i, j], graph.ArcWeights[e]);
                    else
                        foreach (var (p, d) in closures[target]) Accumulate(exits[i], p, T.Multiply(graph.ArcWeights[e], d));
                }
            }
            T[,] star;
            try
            {
                star = Closure.Lehmann(internalArcs);
            }
            catch (DivergenceException) when (members.All(q => !(useful ??= Reachability.CoAccessible(fsa))[q]))
            {
                foreach (var q in members) closures[q] = new Dictionary<int, T> { [sink] = T.One };
                total += members.Length;
                continue;
            }
            for (var i = 0; i < members.Length; i++)
            {
                var closure = new Dictionary<int, T>();
                for (var k = 0; k < members.Length; k++)
                {
                    if (star[i, k].Equals(T.Zero)) continue;
                    foreach (var (p, d) in exits[k]) Accumulate(closure, p, T.Multiply(star[i, k], d));
                }
                total += closure.Count;
                if (total > ClosureBudget)
                    throw new BudgetExceededException($"The ε-closures exceed {ClosureBudget} entries (long ε-chains make them quadratic); ε-removal is refused rather than exhausting memory.");
                closures[members[i]] = closure;
            }
        }
        return closures;
    }

    private static void Accumulate<T>(Dictionary<int, T> map, int state, T weight) where T : struct, ISemiring<T> =>
        map[state] = map.TryGetValue(state, out var current) ? T.Add(current, weight) : weight;

    // ε-removal creates parallel arcs with one label and target; they are ⊕-summed into one.
    private static Wfsa<T> MergeParallelArcs<T>(Wfsa<T> fsa) where T : struct, ISemiring<T>
    {
        var builder = new WfsaBuilder<T>(fsa.Alphabet).EnsureStates(fsa.StateCount);
        for (var q = 0; q < fsa.StateCount; q++)
        {
            builder.SetInitial(q, fsa.InitialWeights[q]).SetFinal(q, fsa.FinalWeights[q]);
            var e = fsa.ArcStart(q);
            while (e < fsa.ArcEnd(q))
            {
                var (label, target, weight) = (fsa.ArcLabels[e], fsa.ArcTargets[e], fsa.ArcWeights[e]);
                for (e++; e < fsa.ArcEnd(q) && fsa.ArcLabels[e] == label && fsa.ArcTargets[e] == target; e++) weight = T.Add(weight, fsa.ArcWeights[e]);
                builder.AddArc(q, label, target, weight);
            }
        }
        return builder.Build();
    }
}
