using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Pathsums;

/// <summary>
/// Backward shortest distances in the tropical semiring: d(q) = min(ρ(q), min_{q –a/w→ q′} w + d(q′)).
/// Dijkstra when every weight is non-negative, O((|Q| + |δ|) log |Q|); Bellman–Ford otherwise,
/// O(|Q|·|δ|), reporting a negative cycle that reaches a final state as divergence. In −log weights
/// this is the best path (the Viterbi path).
/// </summary>
public static class ShortestDistance
{
    /// <summary>d(q) for every state (+∞ where no final state is reachable).</summary>
    /// <exception cref="DivergenceException">A negative cycle can reach a final state.</exception>
    public static double[] Backward(Wfsa<Tropical> fsa)
    {
        foreach (var w in fsa.ArcWeights)
            if (w.Value < 0) return BellmanFord(fsa);
        return Dijkstra(fsa);
    }

    private static double[] Dijkstra(Wfsa<Tropical> fsa)
    {
        var (offsets, arcs) = Graphs.Reachability.ReverseArcs(fsa);
        var sources = fsa.ArcSources();
        var distance = new double[fsa.StateCount];
        var queue = new PriorityQueue<int, double>();
        for (var q = 0; q < fsa.StateCount; q++)
        {
            distance[q] = fsa.FinalWeights[q].Value;
            if (!double.IsPositiveInfinity(distance[q])) queue.Enqueue(q, distance[q]);
        }
        var done = new bool[fsa.StateCount];
        while (queue.TryDequeue(out var q, out var d))
        {
            if (done[q] || d > distance[q]) continue;
            done[q] = true;
            for (var i = offsets[q]; i < offsets[q + 1]; i++)
            {
                var source = sources[arcs[i]];
                var candidate = fsa.ArcWeights[arcs[i]].Value + d;
                if (candidate < distance[source])
                {
                    distance[source] = candidate;
                    queue.Enqueue(source, candidate);
                }
            }
        }
        return distance;
    }

    private static double[] BellmanFord(Wfsa<Tropical> fsa)
    {
        var distance = new double[fsa.StateCount];
        for (var q = 0; q < fsa.StateCount; q++) distance[q] = fsa.FinalWeights[q].Value;
        for (var round = 0; round <= fsa.StateCount; round++)
        {
            var changed = false;
            for (var q = 0; q < fsa.StateCount; q++)
                for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
                {
                    var candidate = fsa.ArcWeights[e].Value + distance[fsa.ArcTargets[e]];
                    if (candidate < distance[q])
                    {
                        distance[q] = candidate;
                        changed = true;
                    }
                }
            if (!changed) return distance;
        }
        throw new DivergenceException("A cycle of negative weight can reach a final state: the shortest distance is −∞.");
    }
}
