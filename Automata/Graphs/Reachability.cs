using Workbench.Automata.Core;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Graphs;

/// <summary>
/// Accessible states (reachable from a state with non-zero initial weight), co-accessible states (that
/// reach one with non-zero final weight) and trimming to the useful states, which are both.
/// Each is one breadth-first search, O(|Q| + |δ|). Notes §4.1 (D4.5).
/// </summary>
public static class Reachability
{
    /// <summary>accessible[q] for every state.</summary>
    public static bool[] Accessible<T>(Wfsa<T> fsa) where T : struct, ISemiring<T>
    {
        var seen = new bool[fsa.StateCount];
        var queue = new Queue<int>();
        for (var q = 0; q < fsa.StateCount; q++)
            if (!fsa.InitialWeights[q].Equals(T.Zero)) { seen[q] = true; queue.Enqueue(q); }
        while (queue.TryDequeue(out var q))
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
            {
                var target = fsa.ArcTargets[e];
                if (!seen[target]) { seen[target] = true; queue.Enqueue(target); }
            }
        return seen;
    }

    /// <summary>coAccessible[q] for every state.</summary>
    public static bool[] CoAccessible<T>(Wfsa<T> fsa) where T : struct, ISemiring<T>
    {
        var (offsets, arcs) = ReverseArcs(fsa);
        var sources = fsa.ArcSources();
        var seen = new bool[fsa.StateCount];
        var queue = new Queue<int>();
        for (var q = 0; q < fsa.StateCount; q++)
            if (!fsa.FinalWeights[q].Equals(T.Zero)) { seen[q] = true; queue.Enqueue(q); }
        while (queue.TryDequeue(out var q))
            for (var i = offsets[q]; i < offsets[q + 1]; i++)
            {
                var source = sources[arcs[i]];
                if (!seen[source]) { seen[source] = true; queue.Enqueue(source); }
            }
        return seen;
    }

    /// <summary>
    /// The automaton restricted to its useful states, renumbered in their original order, with the map
    /// from new to old state ids. It has the same weighted language.
    /// </summary>
    public static (Wfsa<T> Trimmed, int[] OriginalStates) Trim<T>(Wfsa<T> fsa) where T : struct, ISemiring<T>
    {
        var accessible = Accessible(fsa);
        var coAccessible = CoAccessible(fsa);
        var keep = Enumerable.Range(0, fsa.StateCount).Where(q => accessible[q] && coAccessible[q]).ToArray();
        return (Restrict(fsa, keep), keep);
    }

    /// <summary>The sub-automaton on <paramref name="states"/> (in that order), keeping the arcs between them.</summary>
    public static Wfsa<T> Restrict<T>(Wfsa<T> fsa, int[] states) where T : struct, ISemiring<T>
    {
        var newId = new int[fsa.StateCount];
        Array.Fill(newId, -1);
        for (var i = 0; i < states.Length; i++) newId[states[i]] = i;
        var builder = new WfsaBuilder<T>(fsa.Alphabet).EnsureStates(states.Length);
        for (var i = 0; i < states.Length; i++)
        {
            var q = states[i];
            builder.SetInitial(i, fsa.InitialWeights[q]).SetFinal(i, fsa.FinalWeights[q]);
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
                if (newId[fsa.ArcTargets[e]] >= 0)
                    builder.AddArc(i, fsa.ArcLabels[e], newId[fsa.ArcTargets[e]], fsa.ArcWeights[e]);
        }
        return builder.Build();
    }

    /// <summary>The arcs grouped by target: the arcs entering q are arcs[offsets[q]..offsets[q+1]) (arc indices). O(|Q| + |δ|).</summary>
    public static (int[] Offsets, int[] Arcs) ReverseArcs<T>(Wfsa<T> fsa) where T : struct, ISemiring<T>
    {
        var offsets = new int[fsa.StateCount + 1];
        foreach (var target in fsa.ArcTargets) offsets[target + 1]++;
        for (var q = 0; q < fsa.StateCount; q++) offsets[q + 1] += offsets[q];
        var next = offsets[..^1].ToArray();
        var arcs = new int[fsa.ArcCount];
        for (var e = 0; e < fsa.ArcCount; e++) arcs[next[fsa.ArcTargets[e]]++] = e;
        return (offsets, arcs);
    }
}
