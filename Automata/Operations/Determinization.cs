using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Operations;

/// <summary>
/// Weighted determinization for real weights (Mohri 1997): the weighted subset construction whose states
/// are sets of (state, residual weight) with residuals normalised to sum to 1; an arc on a carries the
/// total weight of the subset's a-moves. The result is deterministic with the same string weights.
/// Not every WFSA is determinizable (P4.7: e.g. a mixture of two geometric distributions), so the
/// construction stops with a clear error beyond a state budget. Residuals are merged when they agree to
/// a relative tolerance, which bounds the weight error by that tolerance. ε-arcs are removed first.
/// O(|Q_det|·|Σ|·subset size) time.
/// </summary>
public static class Determinization
{
    /// <summary>The default budget of deterministic states.</summary>
    public const int DefaultStateBudget = 200_000;

    /// <summary>Residuals that agree to this relative precision are the same subset.</summary>
    public const double MergeTolerance = 1e-10;

    /// <summary>The deterministic machine.</summary>
    /// <exception cref="WorkbenchException">The subset construction exceeds <paramref name="stateBudget"/> states (the machine may not be determinizable).</exception>
    public static Wfsa<T> Determinize<T>(Wfsa<T> fsa, int stateBudget = DefaultStateBudget) where T : struct, IClosedSemiring<T>, IRealWeight<T>
    {
        fsa = EpsilonRemoval.Remove(fsa);
        var builder = new WfsaBuilder<T>(fsa.Alphabet);
        var ids = new Dictionary<string, int>();
        var subsets = new List<(int State, double Residual)[]>();
        int StateOf((int State, double Residual)[] subset)
        {
            var key = string.Join(";", subset.Select(s => $"{s.State}:{Math.Round(s.Residual / MergeTolerance)}"));
            if (ids.TryGetValue(key, out var id)) return id;
            if (subsets.Count >= stateBudget)
                throw new WorkbenchException($"Determinization exceeded the budget of {stateBudget} states; the machine may not be determinizable (P4.7).");
            ids[key] = id = builder.AddState();
            subsets.Add(subset);
            return id;
        }
        var initial = new Dictionary<int, double>();
        for (var q = 0; q < fsa.StateCount; q++)
            if (!fsa.InitialWeights[q].Equals(T.Zero)) initial[q] = T.ToReal(fsa.InitialWeights[q]);
        if (initial.Count == 0) return builder.Build();
        var (start, startWeight) = Normalise(initial);
        builder.SetInitial(StateOf(start), T.FromReal(startWeight));
        for (var index = 0; index < subsets.Count; index++)
        {
            var subset = subsets[index];
            var final = 0.0;
            var moves = new SortedDictionary<int, Dictionary<int, double>>();
            foreach (var (q, residual) in subset)
            {
                final += residual * T.ToReal(fsa.FinalWeights[q]);
                for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
                {
                    if (!moves.TryGetValue(fsa.ArcLabels[e], out var targets)) moves[fsa.ArcLabels[e]] = targets = [];
                    targets[fsa.ArcTargets[e]] = targets.GetValueOrDefault(fsa.ArcTargets[e]) + residual * T.ToReal(fsa.ArcWeights[e]);
                }
            }
            if (final > 0) builder.SetFinal(index, T.FromReal(final));
            foreach (var (label, targets) in moves)
            {
                var (next, total) = Normalise(targets);
                if (total > 0) builder.AddArc(index, label, StateOf(next), T.FromReal(total));
            }
        }
        return builder.Build();
    }

    private static ((int State, double Residual)[] Subset, double Total) Normalise(Dictionary<int, double> weights)
    {
        var total = weights.Values.Sum();
        return (weights.Where(w => w.Value > 0).OrderBy(w => w.Key).Select(w => (w.Key, w.Value / total)).ToArray(), total);
    }
}
