using System.Globalization;
using Workbench.Automata.Core;
using Workbench.Automata.Graphs;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Operations;

/// <summary>
/// A minimized machine with what its merges cost: every state merged into a class had, label by label, arc and
/// final weights within a factor e^<see cref="MaxMergedLogDifference"/> of the class's representative, so for every
/// string y, |ln A′(y) − ln A(y)| ≤ (|y| + 1)·MaxMergedLogDifference on top of the rounding of weight pushing
/// (<see cref="WasPushed"/>). Exact when that difference is 0.
/// </summary>
/// <param name="Machine">The minimal deterministic machine.</param>
/// <param name="Delta">The relative tolerance δ asked for (0: weights merge only when equal).</param>
/// <param name="MaxMergedLogDifference">The largest |ln w − ln w′| between merged weights (≤ ln(1 + δ)).</param>
/// <param name="WasPushed">Whether the weights were pushed first (in floating point: merges at δ = 0 then miss states that differ by rounding only).</param>
public sealed record Minimized<T>(Wfsa<T> Machine, double Delta, double MaxMergedLogDifference, bool WasPushed) where T : struct, ISemiring<T>
{
    /// <summary>Whether every merged weight was equal.</summary>
    public bool IsExact => MaxMergedLogDifference == 0;

    /// <summary>A sentence for people: whether the result is exact, and if not, by how much it may be off.</summary>
    public string Describe()
    {
        var merges = IsExact
            ? "exact: every merged weight was equal"
            : string.Create(CultureInfo.InvariantCulture, $"approximate: merged weights differ by up to a factor e^{MaxMergedLogDifference:G3} (δ = {Delta:G3}); for every string y, |ln A′(y) − ln A(y)| ≤ (|y| + 1)·{MaxMergedLogDifference:G3}");
        return WasPushed && Delta == 0
            ? merges + "; the weights were pushed in floating point, so states that differ only by rounding stayed apart (a merge tolerance δ such as 1e-12 merges them with a stated bound)"
            : merges;
    }
}

/// <summary>
/// Minimization of a deterministic real-weighted automaton (Mohri 2000). Inaccessible states are dropped. A PFSA
/// keeps its locally normalised weights, and all its useless states (which absorb the leak of a non-tight PFSA)
/// become one sink, so the result is the minimal PFSA; any other machine is trimmed and has its weights pushed
/// into canonical form (the allsum Z kept in the initial weight, so string weights are unchanged).
/// States are then merged by Moore's partition refinement on (final weight, and for each label the arc weight and
/// the class of the target), where weights are equal (δ = 0) or fall in the same bucket of width ln(1 + δ); the
/// result reports the largest difference it merged. O(rounds·|δ| log |δ|), rounds ≤ |Q|.
/// </summary>
public static class Minimization
{
    /// <summary>The minimal deterministic machine, merging only equal weights.</summary>
    /// <exception cref="WorkbenchException">The machine is not deterministic (determinize it first).</exception>
    public static Wfsa<T> Minimize<T>(Wfsa<T> fsa) where T : struct, IClosedSemiring<T>, IRealWeight<T> => Minimize(fsa, 0).Machine;

    /// <summary>The minimal deterministic machine, merging weights within a relative <paramref name="delta"/>, with the bound that costs.</summary>
    /// <exception cref="WorkbenchException">The machine is not deterministic (determinize it first).</exception>
    /// <exception cref="ArgumentOutOfRangeException">δ is negative, above 1 or NaN.</exception>
    public static Minimized<T> Minimize<T>(Wfsa<T> fsa, double delta) where T : struct, IClosedSemiring<T>, IRealWeight<T>
    {
        if (!(delta >= 0 && delta <= 1)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "The merge tolerance δ must be in [0, 1].");
        // An ε-arc from a fresh start state is how AT&T text carries an initial weight; removing ε-arcs keeps every weight.
        if (fsa.HasEpsilonArcs) fsa = EpsilonRemoval.Remove(fsa);
        if (!fsa.IsDeterministic) throw new WorkbenchException("Minimization needs a deterministic machine; determinize it first.");
        var accessible = Reachability.Accessible(fsa);
        fsa = Reachability.Restrict(fsa, Enumerable.Range(0, fsa.StateCount).Where(q => accessible[q]).ToArray());
        var isPfsa = fsa.StateCount > 0 && Pfsa.PfsaValidation.IsPfsa(fsa);
        var trimmed = isPfsa ? fsa : Reachability.Trim(fsa).Trimmed;
        if (trimmed.StateCount == 0) return new Minimized<T>(trimmed, delta, 0, false);
        var z = isPfsa ? 1 : Pathsums.RealPathsum.Compute(trimmed).Allsum.Value;
        var pushed = isPfsa ? trimmed : WeightPushing.Push(trimmed);
        // In a PFSA the useless states absorb the leak; they are all one state of the minimal PFSA, a sink.
        var live = Reachability.CoAccessible(pushed);
        var sink = live.Contains(false);
        var width = delta > 0 ? Math.Log(1 + delta) : 0;
        string Key(T weight)
        {
            var log = T.ToLogReal(weight);
            return double.IsNegativeInfinity(log) ? "0" : width == 0 ? log.ToString("R", CultureInfo.InvariantCulture) : Math.Floor(log / width).ToString(CultureInfo.InvariantCulture);
        }
        var classes = new int[pushed.StateCount];
        var count = 1;
        while (true)
        {
            var signatures = new Dictionary<string, int>();
            var next = new int[classes.Length];
            for (var q = 0; q < classes.Length; q++)
            {
                var signature = !live[q] ? "sink" : classes[q] + "|" + Key(pushed.FinalWeights[q]) + "|" + string.Join(";",
                    Enumerable.Range(pushed.ArcStart(q), pushed.ArcEnd(q) - pushed.ArcStart(q))
                        .Select(e => $"{pushed.ArcLabels[e]}:{Key(pushed.ArcWeights[e])}:{classes[pushed.ArcTargets[e]]}"));
                if (!signatures.TryGetValue(signature, out var id)) signatures[signature] = id = signatures.Count;
                next[q] = id;
            }
            classes = next;
            if (signatures.Count == count) break;
            count = signatures.Count;
        }
        var builder = new WfsaBuilder<T>(fsa.Alphabet).EnsureStates(count);
        var representative = new int[count];
        Array.Fill(representative, -1);
        var maxDifference = 0.0;
        for (var q = 0; q < pushed.StateCount; q++)
        {
            var c = classes[q];
            if (!pushed.InitialWeights[q].Equals(T.Zero)) builder.SetInitial(c, T.FromLogReal(T.ToLogReal(pushed.InitialWeights[q]) + Math.Log(z)));
            if (representative[c] >= 0)
            {
                if (!live[q]) continue;
                maxDifference = Math.Max(maxDifference, Difference(pushed, representative[c], q));
                continue;
            }
            representative[c] = q;
            if (!live[q])
            {
                builder.AddArc(c, 0, c, T.One);
                continue;
            }
            builder.SetFinal(c, pushed.FinalWeights[q]);
            for (var e = pushed.ArcStart(q); e < pushed.ArcEnd(q); e++) builder.AddArc(c, pushed.ArcLabels[e], classes[pushed.ArcTargets[e]], pushed.ArcWeights[e]);
        }
        return new Minimized<T>(builder.Build(), delta, maxDifference, !isPfsa);
    }

    // The largest |ln w − ln w′| between the final and arc weights of two states of one class (same labels, in order).
    private static double Difference<T>(Wfsa<T> fsa, int first, int second) where T : struct, ISemiring<T>, IRealWeight<T>
    {
        static double Gap(T a, T b) => a.Equals(b) ? 0 : Math.Abs(T.ToLogReal(a) - T.ToLogReal(b));
        var difference = Gap(fsa.FinalWeights[first], fsa.FinalWeights[second]);
        for (var (e, f) = (fsa.ArcStart(first), fsa.ArcStart(second)); e < fsa.ArcEnd(first); e++, f++)
            difference = Math.Max(difference, Gap(fsa.ArcWeights[e], fsa.ArcWeights[f]));
        return difference;
    }
}
