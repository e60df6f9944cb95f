using Workbench.Automata.Core;
using Workbench.Automata.Pathsums;
using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;
using Workbench.Formal.Numerics;

namespace Workbench.Automata.Pfsa;

/// <summary>
/// Exact expectations over the finite strings of a PFSA as expected rewards λᵀ(I − T′)⁻¹r on the trimmed
/// machine (P4.13). With β(q) the probability of eventually stopping from q (1 everywhere when tight):
/// the expected length Σ_y p(y)|y| has reward r(q) = Σ_e w_e β(t_e), and the entropy −Σ_y p(y) log p(y) of
/// a deterministic PFSA has r(q) = −ρ(q) log ρ(q) − Σ_e w_e log(w_e) β(t_e) (each arc's surprisal, counted
/// when the path goes on to stop). Both reduce to the textbook forms Σ_q ξ(q)(1 − ρ(q)) and Σ_q ξ(q)H(q)
/// for tight machines. One extra linear solve each. Notes §4.1.
/// </summary>
public static class PfsaExpectations
{
    /// <summary>Σ_{y∈Σ*} p(y)·|y|.</summary>
    public static CertifiedValue ExpectedLength<T>(Wfsa<T> fsa, RealPathsum pathsum) where T : struct, ISemiring<T>, IRealWeight<T>
    {
        var reward = new double[fsa.StateCount];
        var sensitivity = 0.0;
        for (var q = 0; q < fsa.StateCount; q++)
        {
            var rowMass = 0.0;
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
            {
                var w = T.ToReal(fsa.ArcWeights[e]);
                reward[q] += w * pathsum.Backward[fsa.ArcTargets[e]];
                rowMass += w;
            }
            sensitivity = Math.Max(sensitivity, rowMass);
        }
        return pathsum.Expectation(reward, sensitivity * pathsum.BackwardError, "expected reward λᵀ(I − T′)⁻¹T′β");
    }

    /// <summary>−Σ_{y∈Σ*} p(y) log p(y) in nats, for a deterministic PFSA (one path per string).</summary>
    /// <exception cref="WorkbenchException">The machine is not deterministic: its path entropy would only bound the string entropy from above.</exception>
    public static CertifiedValue Entropy<T>(Wfsa<T> fsa, RealPathsum pathsum) where T : struct, ISemiring<T>, IRealWeight<T>
    {
        if (!fsa.IsDeterministic)
            throw new WorkbenchException("The exact entropy needs a deterministic PFSA (one path per string); for this machine the path entropy only bounds the string entropy from above.");
        var reward = new double[fsa.StateCount];
        var sensitivity = 0.0;
        for (var q = 0; q < fsa.StateCount; q++)
        {
            var rho = T.ToReal(fsa.FinalWeights[q]);
            reward[q] = Surprisal(rho);
            var coefficients = 0.0;
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
            {
                var term = Surprisal(T.ToReal(fsa.ArcWeights[e]));
                reward[q] += term * pathsum.Backward[fsa.ArcTargets[e]];
                coefficients += term;
            }
            sensitivity = Math.Max(sensitivity, coefficients);
        }
        return pathsum.Expectation(reward, sensitivity * pathsum.BackwardError, "expected surprisal λᵀ(I − T′)⁻¹h");
    }

    /// <summary>P(|y| ≥ T) = λᵀT^T 1 (all arcs, ε included), by T vector–matrix steps. O(T·(|Q| + |δ|)).</summary>
    public static CertifiedValue ProbabilityOfLengthAtLeast<T>(Wfsa<T> fsa, int length) where T : struct, ISemiring<T>, IRealWeight<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var alpha = new double[fsa.StateCount];
        for (var q = 0; q < alpha.Length; q++) alpha[q] = T.ToReal(fsa.InitialWeights[q]);
        for (var step = 0; step < length; step++)
        {
            var next = new double[alpha.Length];
            for (var q = 0; q < alpha.Length; q++)
            {
                if (alpha[q] == 0) continue;
                for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++) next[fsa.ArcTargets[e]] += alpha[q] * T.ToReal(fsa.ArcWeights[e]);
            }
            alpha = next;
        }
        var mass = alpha.Sum();
        return new CertifiedValue(mass, mass * FloatingPoint.MachineEpsilon * 4 * (length + fsa.StateCount), "λᵀT^T 1");
    }

    // −w log w, with 0 log 0 = 0.
    private static double Surprisal(double w) => w > 0 ? -w * Math.Log(w) : 0;
}
