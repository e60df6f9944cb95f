using Workbench.Automata.Core;
using Workbench.Automata.Operations;
using Workbench.Automata.Pathsums;
using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Pfsa;

/// <summary>
/// Exact cross-entropy H(p, q) = −Σ_y p(y) log q(y) between a PFSA p and a deterministic PFSA q, and
/// KL(p ‖ q) = H(p, q) − H(p) when p is deterministic too. On the product of p with q (q's unique path
/// follows p's), every step of p costs −log of q's matching weight; with β_p the probability of eventually
/// stopping, H(p, q) is the expected reward λᵀ(I − T)⁻¹r, r(s, r′) = ρ_p(s)(−log ρ_q(r′)) + Σ_e w_e β_p(t_e)(−log w_q).
/// It is +∞ when p gives mass to a string q excludes. One product construction and two linear solves.
/// Notes §3.2 (P3.7) for finite-state LMs.
/// </summary>
public static class PfsaDivergences
{
    /// <summary>H(p, q) in nats over the finite strings of p; both must be PFSAs within <paramref name="tolerance"/>.</summary>
    /// <exception cref="WorkbenchException">q is not deterministic, or the alphabets differ.</exception>
    public static CertifiedValue CrossEntropy<T>(Wfsa<T> p, Wfsa<T> q, double tolerance = PfsaValidation.DefaultTolerance) where T : struct, IClosedSemiring<T>, IRealWeight<T>
    {
        RationalOperations.RequireSameAlphabet(p, q);
        PfsaValidation.Validate(p, tolerance);
        PfsaValidation.Validate(q, tolerance);
        if (!q.IsDeterministic) throw new WorkbenchException("The cross-entropy is exact only against a deterministic PFSA q (one path per string).");
        p = EpsilonRemoval.Remove(p);
        var betaP = RealPathsum.Compute(p);
        // Stryker disable once Linq : a validated deterministic PFSA has exactly one initial state
        var qStart = Enumerable.Range(0, q.StateCount).First(r => !q.InitialWeights[r].Equals(T.Zero));

        var builder = new WfsaBuilder<Real>(p.Alphabet);
        var ids = new Dictionary<(int, int), int>();
        var rewards = new List<double>();
        var sensitivity = 0.0;
        var queue = new Queue<(int P, int Q)>();
        int StateOf(int s, int r)
        {
            if (ids.TryGetValue((s, r), out var id)) return id;
            ids[(s, r)] = id = builder.AddState();
            rewards.Add(0);
            queue.Enqueue((s, r));
            return id;
        }
        for (var s = 0; s < p.StateCount; s++)
            if (!p.InitialWeights[s].Equals(T.Zero)) builder.SetInitial(StateOf(s, qStart), new Real(T.ToReal(p.InitialWeights[s])));
        while (queue.TryDequeue(out var pair))
        {
            var (s, r) = pair;
            var id = ids[pair];
            var stop = T.ToReal(p.FinalWeights[s]);
            builder.SetFinal(id, new Real(stop));
            var reward = stop > 0 ? stop * Surprisal(T.ToReal(q.FinalWeights[r]), "stopping") : 0;
            var coefficients = 0.0;
            for (var e = p.ArcStart(s); e < p.ArcEnd(s); e++)
            {
                var w = T.ToReal(p.ArcWeights[e]);
                var target = p.ArcTargets[e];
                if (w == 0 || betaP.Backward[target] == 0) continue;
                var qArc = q.FindArc(r, p.ArcLabels[e]);
                var surprisal = Surprisal(qArc < 0 ? 0 : T.ToReal(q.ArcWeights[qArc]), $"'{p.Alphabet.NameOf(p.ArcLabels[e])}'");
                reward += w * betaP.Backward[target] * surprisal;
                coefficients += w * surprisal;
                builder.AddArc(id, p.ArcLabels[e], StateOf(target, q.ArcTargets[qArc]), new Real(w));
            }
            rewards[id] = reward;
            sensitivity = Math.Max(sensitivity, coefficients);
        }
        var product = builder.Build();
        return RealPathsum.Compute(product).Expectation([.. rewards], sensitivity * betaP.BackwardError, "expected surprisal under q on the product machine");

        static double Surprisal(double weight, string what) =>
            weight > 0 ? -Math.Log(weight)
            : throw new InfiniteCrossEntropyException($"p gives positive mass to strings that q excludes ({what} has probability 0 under q), so H(p, q) = +∞.");
    }

    /// <summary>H(p, q) as <see cref="CrossEntropy{T}"/>, with +∞ (bound 0, the reason as its method) where that throws <see cref="InfiniteCrossEntropyException"/>.</summary>
    public static CertifiedValue CrossEntropyOrInfinity<T>(Wfsa<T> p, Wfsa<T> q, double tolerance = PfsaValidation.DefaultTolerance) where T : struct, IClosedSemiring<T>, IRealWeight<T>
    {
        try
        {
            return CrossEntropy(p, q, tolerance);
        }
        catch (InfiniteCrossEntropyException exception)
        {
            return CertifiedValue.Exact(double.PositiveInfinity, exception.Message);
        }
    }

    /// <summary>KL(p ‖ q) = H(p, q) − H(p) for deterministic PFSAs p and q.</summary>
    public static CertifiedValue KullbackLeibler<T>(Wfsa<T> p, Wfsa<T> q, double tolerance = PfsaValidation.DefaultTolerance) where T : struct, IClosedSemiring<T>, IRealWeight<T>
    {
        if (!p.IsDeterministic) throw new WorkbenchException("KL(p ‖ q) is exact only when p is deterministic too (its entropy needs one path per string).");
        var crossEntropy = CrossEntropy(p, q, tolerance);
        var entropy = PfsaExpectations.Entropy(p, RealPathsum.Compute(p));
        return new CertifiedValue(crossEntropy.Value - entropy.Value, crossEntropy.ErrorBound + entropy.ErrorBound, "H(p, q) − H(p)");
    }
}

/// <summary>H(p, q) is infinite: p gives mass to strings q excludes. A result, reported as an exception with the reason.</summary>
public sealed class InfiniteCrossEntropyException(string message) : WorkbenchException(message);
