using Workbench.Automata.Core;
using Workbench.Formal.Numerics;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Operations;

/// <summary>
/// A deterministic machine that approximates a non-deterministic one, with its bound: every subset it merged
/// differed from the one it was merged into by at most a factor e^<see cref="MaxMergedLogDifference"/> in each
/// residual, so for every string y, |ln A′(y) − ln A(y)| ≤ |y|·MaxMergedLogDifference (plus rounding of about
/// 10⁻¹⁵ per symbol). Exact when no merge was inexact.
/// </summary>
/// <param name="Machine">The deterministic machine A′.</param>
/// <param name="Delta">The relative tolerance δ that was asked for.</param>
/// <param name="InexactMerges">How many times a subset was merged into one that differed from it.</param>
/// <param name="MaxMergedLogDifference">The largest |ln r − ln r′| over merged residuals (≤ ln(1 + δ)).</param>
public sealed record ApproximatelyDeterminized<T>(Wfsa<T> Machine, double Delta, int InexactMerges, double MaxMergedLogDifference)
    where T : struct, ISemiring<T>
{
    /// <summary>Whether the machine has exactly the input's weights (up to rounding).</summary>
    public bool IsExact => InexactMerges == 0;

    /// <summary>The bound on |ln A′(y) − ln A(y)| for strings of the given length.</summary>
    public double LogErrorBound(int length) => length * MaxMergedLogDifference;

    /// <summary>A sentence for people: what was approximated and by how much.</summary>
    public string Describe() => IsExact
        ? $"exact: no residuals were merged inexactly (δ = {Delta:G3})"
        : $"approximate: {InexactMerges:N0} subsets were merged with residuals that differ by up to a factor e^{MaxMergedLogDifference:G3} (δ = {Delta:G3}); " +
          $"for every string y, |ln A′(y) − ln A(y)| ≤ |y|·{MaxMergedLogDifference:G3}";
}

/// <summary>
/// Weighted determinization with residuals merged at a relative tolerance δ, on request only: residuals are kept
/// as logarithms (no underflow) and two subsets merge when they have the same states and each residual falls in
/// the same bucket of width ln(1 + δ). Machines without the twins property may still not close; the budget
/// applies. O(|Q_det|·|Σ|·subset size). Notes §4.1, P4.7.
/// </summary>
public static class ApproximateDeterminization
{
    /// <summary>The approximately determinized machine and its bound.</summary>
    /// <exception cref="ArgumentOutOfRangeException">δ is not in (0, 1].</exception>
    /// <exception cref="NotDeterminizableException">The construction exceeded <paramref name="stateBudget"/> states.</exception>
    public static ApproximatelyDeterminized<T> Determinize<T>(Wfsa<T> fsa, double delta, int stateBudget = Determinization.DefaultStateBudget)
        where T : struct, IClosedSemiring<T>, IRealWeight<T>
    {
        if (!(delta > 0 && delta <= 1)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "The merge tolerance δ must be in (0, 1].");
        fsa = EpsilonRemoval.Remove(fsa);
        var width = Math.Log(1 + delta);
        var builder = new WfsaBuilder<T>(fsa.Alphabet);
        var ids = new Dictionary<string, int>();
        var subsets = new List<(int State, double LogResidual)[]>();
        var (inexact, maxDifference) = (0, 0.0);
        int StateOf((int State, double LogResidual)[] subset)
        {
            var key = string.Join(";", subset.Select(s => $"{s.State}:{Math.Floor(s.LogResidual / width)}"));
            if (ids.TryGetValue(key, out var id))
            {
                var difference = subset.Zip(subsets[id]).Max(pair => Math.Abs(pair.First.LogResidual - pair.Second.LogResidual));
                if (difference > 0) (inexact, maxDifference) = (inexact + 1, Math.Max(maxDifference, difference));
                return id;
            }
            if (subsets.Count >= stateBudget)
                throw NotDeterminizableException.For(fsa, Determinizability.Analyze(fsa), $"the subset construction with δ = {delta:G3} exceeded the budget of {stateBudget:N0} states");
            ids[key] = id = builder.AddState();
            subsets.Add(subset);
            return id;
        }
        var initial = new SortedDictionary<int, double>();
        for (var q = 0; q < fsa.StateCount; q++)
            if (!fsa.InitialWeights[q].Equals(T.Zero)) initial[q] = T.ToLogReal(fsa.InitialWeights[q]);
        if (initial.Count > 0)
        {
            var (start, startWeight) = Normalise(initial);
            builder.SetInitial(StateOf(start), T.FromLogReal(startWeight));
        }
        for (var index = 0; index < subsets.Count; index++)
        {
            var final = new List<double>();
            var moves = new SortedDictionary<int, SortedDictionary<int, List<double>>>();
            foreach (var (q, residual) in subsets[index])
            {
                if (!fsa.FinalWeights[q].Equals(T.Zero)) final.Add(residual + T.ToLogReal(fsa.FinalWeights[q]));
                for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
                {
                    if (!moves.TryGetValue(fsa.ArcLabels[e], out var targets)) moves[fsa.ArcLabels[e]] = targets = [];
                    if (!targets.TryGetValue(fsa.ArcTargets[e], out var terms)) targets[fsa.ArcTargets[e]] = terms = [];
                    terms.Add(residual + T.ToLogReal(fsa.ArcWeights[e]));
                }
            }
            if (final.Count > 0) builder.SetFinal(index, T.FromLogReal(LogSpace.SumExp(final.ToArray())));
            foreach (var (label, targets) in moves)
            {
                var (next, total) = Normalise(new SortedDictionary<int, double>(targets.ToDictionary(t => t.Key, t => LogSpace.SumExp(t.Value.ToArray()))));
                if (next.Length > 0) builder.AddArc(index, label, StateOf(next), T.FromLogReal(total));
            }
        }
        return new ApproximatelyDeterminized<T>(builder.Build(), delta, inexact, maxDifference);
    }

    private static ((int State, double LogResidual)[] Subset, double LogTotal) Normalise(SortedDictionary<int, double> logWeights)
    {
        var positive = logWeights.Where(w => !double.IsNegativeInfinity(w.Value)).ToArray();
        var total = LogSpace.SumExp(positive.Select(w => w.Value).ToArray());
        return (positive.Select(w => (w.Key, w.Value - total)).ToArray(), total);
    }
}
