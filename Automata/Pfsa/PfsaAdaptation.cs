using Workbench.Automata.Core;
using Workbench.Formal.Adapters;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Pfsa;

/// <summary>
/// A sampling adapter applied to a deterministic PFSA, exactly: the adapted model's next-symbol distribution after a
/// prefix depends only on the PFSA state the prefix reaches, so it is the PFSA with each state's distribution over
/// Σ̄ (arcs and final weight) replaced by adapter(p(· | q)), on the same targets. Its tightness can differ from the
/// original's and is decided exactly by the graph criterion (P8.6; e.g. greedy top-1 never stops when EOS is never a
/// state's most probable symbol). O(|Q|·|Σ̄| + adapter cost per state). Notes Part 3 (sampling adapters), §4.1 (P4.6).
/// </summary>
public static class PfsaAdaptation
{
    /// <summary>The adapted deterministic PFSA.</summary>
    /// <exception cref="WorkbenchException">The machine is not a deterministic PFSA, or the adapter gives mass to a symbol the state has no arc for.</exception>
    public static Wfsa<T> Adapt<T>(Wfsa<T> pfsa, ISamplingAdapter adapter, double tolerance = PfsaValidation.DefaultTolerance)
        where T : struct, ISemiring<T>, IRealWeight<T>
    {
        if (!pfsa.IsDeterministic)
            throw new WorkbenchException("A sampling adapter is state-wise only on a deterministic PFSA (a non-deterministic one's next-symbol distribution depends on the whole forward vector); determinize it first.");
        PfsaValidation.Validate(pfsa, tolerance);
        var eos = pfsa.Alphabet.Eos;
        var builder = new WfsaBuilder<T>(pfsa.Alphabet).EnsureStates(pfsa.StateCount);
        var original = new double[pfsa.Alphabet.SizeWithEos];
        var adapted = new double[original.Length];
        var target = new int[original.Length];
        for (var q = 0; q < pfsa.StateCount; q++)
        {
            builder.SetInitial(q, pfsa.InitialWeights[q]);
            Array.Fill(original, double.NegativeInfinity);
            Array.Fill(target, -1);
            for (var e = pfsa.ArcStart(q); e < pfsa.ArcEnd(q); e++)
            {
                original[pfsa.ArcLabels[e]] = T.ToLogReal(pfsa.ArcWeights[e]);
                target[pfsa.ArcLabels[e]] = pfsa.ArcTargets[e];
            }
            original[eos] = T.ToLogReal(pfsa.FinalWeights[q]);
            // A state with no mass at all (an inaccessible one in a sub-stochastic machine) has nothing to adapt.
            if (original.All(double.IsNegativeInfinity)) continue;
            adapter.Apply(original, adapted);
            for (var a = 0; a < eos; a++)
            {
                if (double.IsNegativeInfinity(adapted[a])) continue;
                if (target[a] < 0)
                    throw new WorkbenchException($"{adapter.Name} gives symbol {pfsa.Alphabet.NameOf(a)} probability {Math.Exp(adapted[a]):G3} at state {q}, which has no arc for it.");
                builder.AddArc(q, a, target[a], T.FromLogReal(adapted[a]));
            }
            if (!double.IsNegativeInfinity(adapted[eos])) builder.SetFinal(q, T.FromLogReal(adapted[eos]));
        }
        return builder.Build();
    }
}
