using Workbench.Automata.Core;
using Workbench.Automata.Graphs;
using Workbench.Automata.Pathsums;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Operations;

/// <summary>
/// Weight pushing (global → local normalisation, the A_L of notes p. 91): for a normalisable WFSA with
/// backward values β and allsum Z, the machine with λ_L(q) = λ(q)β(q)/Z, w_L(q –a→ q′) = w·β(q′)/β(q) and
/// ρ_L(q) = ρ(q)/β(q) on the useful states is a tight PFSA with the same topology (determinism included)
/// and A_L(y) = A(y)/Z. So globally normalised finite-state LMs are exactly the PFSA LMs (P4.4).
/// Arithmetic in log space; one certified linear solve plus O(|Q| + |δ|).
/// </summary>
public static class WeightPushing
{
    /// <summary>The pushed machine on the useful states (renumbered in order).</summary>
    /// <exception cref="DivergenceException">The allsum diverges: the machine is not normalisable.</exception>
    /// <exception cref="WorkbenchException">The allsum is 0: no string has positive weight.</exception>
    public static Wfsa<T> Push<T>(Wfsa<T> fsa) where T : struct, ISemiring<T>, IRealWeight<T>
    {
        var pathsum = RealPathsum.Compute(fsa);
        if (!(pathsum.Allsum.Value > 0))
            throw new WorkbenchException("The allsum is 0 (no string has positive weight), so the machine cannot be normalised.");
        var (trimmed, states) = Reachability.Trim(fsa);
        var logBeta = states.Select(q => Math.Log(pathsum.Backward[q])).ToArray();
        var logZ = Math.Log(pathsum.Allsum.Value);
        var builder = new WfsaBuilder<T>(fsa.Alphabet).EnsureStates(trimmed.StateCount);
        for (var q = 0; q < trimmed.StateCount; q++)
        {
            if (!trimmed.InitialWeights[q].Equals(T.Zero))
                builder.SetInitial(q, T.FromLogReal(T.ToLogReal(trimmed.InitialWeights[q]) + logBeta[q] - logZ));
            if (!trimmed.FinalWeights[q].Equals(T.Zero))
                builder.SetFinal(q, T.FromLogReal(T.ToLogReal(trimmed.FinalWeights[q]) - logBeta[q]));
            for (var e = trimmed.ArcStart(q); e < trimmed.ArcEnd(q); e++)
            {
                var target = trimmed.ArcTargets[e];
                builder.AddArc(q, trimmed.ArcLabels[e], target, T.FromLogReal(T.ToLogReal(trimmed.ArcWeights[e]) + logBeta[target] - logBeta[q]));
            }
        }
        return builder.Build();
    }
}
