using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Operations;

/// <summary>
/// Minimization of a deterministic real-weighted automaton (Mohri 2000): a PFSA's weights are already
/// locally normalised and are refined as they are (so the result is a PFSA, leaking states included); any
/// other machine first has its weights pushed into canonical form (keeping the allsum Z in the initial
/// weight, so string weights are unchanged). States are then merged by Moore's partition refinement on (final weight, and for each label the arc weight and the class of the
/// target), comparing weights to a relative tolerance of 10⁻⁹. The result is the smallest deterministic
/// machine with the same weights (up to that tolerance). O(rounds·|δ| log |δ|), rounds ≤ |Q|.
/// </summary>
public static class Minimization
{
    /// <summary>The minimal deterministic machine.</summary>
    /// <exception cref="WorkbenchException">The machine is not deterministic (determinize it first).</exception>
    public static Wfsa<T> Minimize<T>(Wfsa<T> fsa) where T : struct, IClosedSemiring<T>, IRealWeight<T>
    {
        if (!fsa.IsDeterministic) throw new WorkbenchException("Minimization needs a deterministic machine; determinize it first.");
        var isPfsa = Pfsa.PfsaValidation.IsPfsa(fsa);
        var z = isPfsa ? 1 : Pathsums.RealPathsum.Compute(fsa).Allsum.Value;
        var pushed = isPfsa ? fsa : WeightPushing.Push(fsa);
        var classes = new int[pushed.StateCount];
        var count = 1;
        while (true)
        {
            var signatures = new Dictionary<string, int>();
            var next = new int[classes.Length];
            for (var q = 0; q < classes.Length; q++)
            {
                var signature = classes[q] + "|" + Key(T.ToLogReal(pushed.FinalWeights[q])) + "|" + string.Join(";",
                    Enumerable.Range(pushed.ArcStart(q), pushed.ArcEnd(q) - pushed.ArcStart(q))
                        .Select(e => $"{pushed.ArcLabels[e]}:{Key(T.ToLogReal(pushed.ArcWeights[e]))}:{classes[pushed.ArcTargets[e]]}"));
                if (!signatures.TryGetValue(signature, out var id)) signatures[signature] = id = signatures.Count;
                next[q] = id;
            }
            classes = next;
            if (signatures.Count == count) break;
            count = signatures.Count;
        }
        var builder = new WfsaBuilder<T>(fsa.Alphabet).EnsureStates(count);
        var done = new bool[count];
        for (var q = 0; q < pushed.StateCount; q++)
        {
            var c = classes[q];
            if (!pushed.InitialWeights[q].Equals(T.Zero)) builder.SetInitial(c, T.FromLogReal(T.ToLogReal(pushed.InitialWeights[q]) + Math.Log(z)));
            if (done[c]) continue;
            done[c] = true;
            builder.SetFinal(c, pushed.FinalWeights[q]);
            for (var e = pushed.ArcStart(q); e < pushed.ArcEnd(q); e++) builder.AddArc(c, pushed.ArcLabels[e], classes[pushed.ArcTargets[e]], pushed.ArcWeights[e]);
        }
        return builder.Build();
    }

    // Log-weights agreeing to 10⁻⁹ share a key (−∞, a zero weight, has its own).
    private static string Key(double logWeight) =>
        double.IsNegativeInfinity(logWeight) ? "0" : Math.Round(logWeight * 1e9).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
