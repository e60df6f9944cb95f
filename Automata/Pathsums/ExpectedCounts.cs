using Workbench.Automata.Core;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Pathsums;

/// <summary>
/// Forward–backward expected counts: under the distribution over accepting paths of a normalisable WFSA
/// (path weight / Z), arc e = (s –a/w→ t) is used α(s)·w·β(t)/Z times in expectation, where α are forward
/// and β backward values. With weights w_e = exp(θ_e) these are the gradient ∂ log Z/∂θ_e (P4.12), the
/// E-step quantities of EM for WFSAs. Two certified linear solves (forward and backward) plus O(|δ|).
/// Notes §4.1 (parameterised WFSAs, pp. 92–93).
/// </summary>
public static class ExpectedCounts
{
    /// <summary>The expected number of uses of every arc, in arc order, and the allsum Z.</summary>
    public static (double[] ArcCounts, double Allsum) Arcs<T>(Wfsa<T> fsa) where T : struct, ISemiring<T>, IRealWeight<T>
    {
        var backward = RealPathsum.Compute(fsa);
        var forward = RealPathsum.Compute(Pathsum.Reverse(fsa));
        var z = backward.Allsum.Value;
        var sources = fsa.ArcSources();
        var counts = new double[fsa.ArcCount];
        for (var e = 0; e < counts.Length; e++)
            counts[e] = forward.Backward[sources[e]] * T.ToReal(fsa.ArcWeights[e]) * backward.Backward[fsa.ArcTargets[e]] / z;
        return (counts, z);
    }
}
