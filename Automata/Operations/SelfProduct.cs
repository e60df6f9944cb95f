using Workbench.Automata.Core;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Operations;

/// <summary>An arc of the self-product: the pair of original arcs it combines.</summary>
internal readonly record struct ProductArc(int Source, int Target, int FirstArc, int SecondArc);

/// <summary>
/// The self-product A × A of an ε-free machine restricted to the state pairs that one string reaches from a
/// pair of initial states, numbered in discovery order, with its arcs grouped by source. Used to decide the
/// twins property and unambiguity. O(pairs + product arcs), refused beyond an arc budget.
/// </summary>
internal sealed class SelfProduct
{
    private readonly int[] _discoveredBy;
    private int[]? _offsets;

    private SelfProduct(List<(int First, int Second)> states, List<ProductArc> arcs, int[] discoveredBy)
    {
        States = states;
        Arcs = arcs;
        _discoveredBy = discoveredBy;
    }

    /// <summary>The state pairs.</summary>
    public List<(int First, int Second)> States { get; }

    /// <summary>The arcs, grouped by source pair in increasing order.</summary>
    public List<ProductArc> Arcs { get; }

    /// <summary>The number of pairs.</summary>
    public int Count => States.Count;

    /// <summary>The product, or null when it has more than <paramref name="arcBudget"/> arcs.</summary>
    public static SelfProduct? Build<T>(Wfsa<T> fsa, int arcBudget) where T : struct, ISemiring<T>
    {
        var ids = new Dictionary<(int, int), int>();
        var states = new List<(int First, int Second)>();
        var discoveredBy = new List<int>();
        var arcs = new List<ProductArc>();
        int IdOf(int first, int second, int arc)
        {
            if (ids.TryGetValue((first, second), out var id)) return id;
            ids[(first, second)] = id = states.Count;
            states.Add((first, second));
            discoveredBy.Add(arc);
            return id;
        }
        var initial = Enumerable.Range(0, fsa.StateCount).Where(q => !fsa.InitialWeights[q].Equals(T.Zero)).ToArray();
        foreach (var i in initial)
            foreach (var j in initial) IdOf(i, j, -1);
        for (var pair = 0; pair < states.Count; pair++)
        {
            var (p, q) = states[pair];
            for (var e = fsa.ArcStart(p); e < fsa.ArcEnd(p); e++)
                for (var f = fsa.ArcStart(q); f < fsa.ArcEnd(q); f++)
                {
                    if (fsa.ArcLabels[e] != fsa.ArcLabels[f]) continue;
                    if (arcs.Count >= arcBudget) return null;
                    var target = IdOf(fsa.ArcTargets[e], fsa.ArcTargets[f], arcs.Count);
                    arcs.Add(new ProductArc(pair, target, e, f));
                }
        }
        return new SelfProduct(states, arcs, discoveredBy.ToArray());
    }

    /// <summary>Compressed-row offsets of <see cref="Arcs"/> by source.</summary>
    public int[] Offsets()
    {
        if (_offsets is not null) return _offsets;
        var offsets = new int[Count + 1];
        foreach (var arc in Arcs) offsets[arc.Source + 1]++;
        for (var i = 0; i < Count; i++) offsets[i + 1] += offsets[i];
        return _offsets = offsets;
    }

    /// <summary>Which pairs reach a pair of final states.</summary>
    public bool[] CoAccessible<T>(Wfsa<T> fsa) where T : struct, ISemiring<T>
    {
        var predecessors = new List<int>[Count];
        for (var i = 0; i < Count; i++) predecessors[i] = [];
        foreach (var arc in Arcs) predecessors[arc.Target].Add(arc.Source);
        var useful = new bool[Count];
        var queue = new Queue<int>();
        for (var pair = 0; pair < Count; pair++)
        {
            var (p, q) = States[pair];
            if (fsa.FinalWeights[p].Equals(T.Zero) || fsa.FinalWeights[q].Equals(T.Zero)) continue;
            useful[pair] = true;
            queue.Enqueue(pair);
        }
        while (queue.Count > 0)
            foreach (var source in predecessors[queue.Dequeue()])
                if (!useful[source])
                {
                    useful[source] = true;
                    queue.Enqueue(source);
                }
        return useful;
    }

    /// <summary>The arcs of the discovery path from an initial pair to <paramref name="pair"/>.</summary>
    public List<int> PathFromInitial(int pair)
    {
        var path = new List<int>();
        for (var p = pair; _discoveredBy[p] >= 0; p = Arcs[_discoveredBy[p]].Source) path.Add(_discoveredBy[p]);
        path.Reverse();
        return path;
    }

    /// <summary>The labels of a path of product arcs.</summary>
    public int[] PathLabels<T>(Wfsa<T> fsa, List<int> path) where T : struct, ISemiring<T> =>
        path.Select(index => fsa.ArcLabels[Arcs[index].FirstArc]).ToArray();
}
