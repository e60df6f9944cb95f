using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Pfsa;

/// <summary>
/// The most probable string of a deterministic PFSA: a shortest path in −log weights from the start state
/// to stopping (Dijkstra, the weights being non-negative), O((|Q| + |δ|) log |Q|). For non-deterministic PFSAs
/// the problem is NP-hard (the consensus string, P8.7), so they are refused.
/// </summary>
public static class MostProbableString
{
    /// <summary>The mode and its log-probability.</summary>
    /// <exception cref="WorkbenchException">The machine is not deterministic, or no string has positive probability.</exception>
    public static (int[] Symbols, double LogProbability) Of<T>(Wfsa<T> fsa) where T : struct, ISemiring<T>, IRealWeight<T>
    {
        if (!fsa.IsDeterministic) throw new WorkbenchException("The most probable string is computed exactly only for deterministic PFSAs (it is NP-hard in general).");
        var start = Enumerable.Range(0, fsa.StateCount).FirstOrDefault(q => !fsa.InitialWeights[q].Equals(T.Zero), -1);
        if (start < 0) throw new WorkbenchException("The machine has no initial state.");
        var cost = new double[fsa.StateCount];
        Array.Fill(cost, double.PositiveInfinity);
        var previousArc = new int[fsa.StateCount];
        Array.Fill(previousArc, -1);
        var sources = fsa.ArcSources();
        cost[start] = -T.ToLogReal(fsa.InitialWeights[start]);
        var queue = new PriorityQueue<int, double>();
        queue.Enqueue(start, cost[start]);
        var done = new bool[fsa.StateCount];
        while (queue.TryDequeue(out var q, out var c))
        {
            if (done[q] || c > cost[q]) continue;
            done[q] = true;
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
            {
                var candidate = c - T.ToLogReal(fsa.ArcWeights[e]);
                if (candidate < cost[fsa.ArcTargets[e]])
                {
                    cost[fsa.ArcTargets[e]] = candidate;
                    previousArc[fsa.ArcTargets[e]] = e;
                    queue.Enqueue(fsa.ArcTargets[e], candidate);
                }
            }
        }
        var best = Enumerable.Range(0, fsa.StateCount).MinBy(q => cost[q] - T.ToLogReal(fsa.FinalWeights[q]));
        var total = cost[best] - T.ToLogReal(fsa.FinalWeights[best]);
        if (double.IsPositiveInfinity(total)) throw new WorkbenchException("No string has positive probability.");
        var symbols = new List<int>();
        for (var q = best; previousArc[q] >= 0; q = sources[previousArc[q]]) symbols.Add(fsa.ArcLabels[previousArc[q]]);
        symbols.Reverse();
        return ([.. symbols], -total);
    }
}
