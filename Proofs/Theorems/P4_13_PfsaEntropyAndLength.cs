using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using Workbench.Automata.Core;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Semirings;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P4.13: for a tight deterministic PFSA, H(p) = Σ_q ξ(q)·H(q) and E|y| = Σ_q ξ(q)(1 − ρ(q)) with
/// ξ = λᵀ(I − T)⁻¹ the expected visits and H(q) the entropy of state q's next-symbol distribution.
/// </summary>
public static class P4_13_PfsaEntropyAndLength
{
    private const double PruneBelow = 1e-4;

    /// <summary>Random tight deterministic PFSAs against enumeration of all paths down to probability 10⁻⁴, plus the exact remainder of every pruned prefix.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P4.13",
        "For a tight deterministic PFSA, H(p) = Σ_q ξ(q)·H(q) and E|y| = Σ_q ξ(q)(1 − ρ(q)), with ξ = λᵀ(I − T)⁻¹ the expected number of visits and H(q) the entropy of state q's next-symbol distribution.",
        "§4.1 (exact entropy and expected length of finite-state LMs)",
        Arb.From(AutomataInstances.Pfsas(6, allowTraps: false).Generator.Select(p => p with { Deterministic = true, ArcsPerState = Math.Min(p.ArcsPerState, p.AlphabetSize) })),
        Check,
        defaultTrials: 60);

    private static void Check(PfsaInstance instance)
    {
        var fsa = instance.Build();
        var model = new DeterministicPfsaLanguageModel<Real>(fsa);
        var dense = new DenseAutomaton(fsa);
        var inverse = (Matrix<double>.Build.DenseIdentity(fsa.StateCount) - dense.Transition).Inverse();
        var localEntropy = Vector<double>.Build.Dense(fsa.StateCount, q => LocalEntropy(fsa, q));
        var futureEntropy = inverse * localEntropy;
        var futureLength = inverse * (Vector<double>.Build.Dense(fsa.StateCount, 1.0) - dense.Final);

        // Enumerate paths depth first; a prefix u of probability below the threshold is replaced by its exact
        // remainder: Σ_v p(uv)·(−log p(uv)) = π(u)(−log π(u)) + π(u)·η(s) and Σ_v p(uv)|uv| = π(u)(|u| + ℓ(s)).
        double entropy = 0, length = 0;
        var stack = new Stack<(int State, double Probability, int Depth)>();
        stack.Push((model.InitialState, 1.0, 0));
        while (stack.TryPop(out var node))
        {
            var (q, p, depth) = node;
            if (p < PruneBelow)
            {
                entropy += p * -Math.Log(p) + p * futureEntropy[q];
                length += p * (depth + futureLength[q]);
                continue;
            }
            var stop = p * fsa.FinalWeights[q].Value;
            if (stop > 0)
            {
                entropy -= stop * Math.Log(stop);
                length += stop * depth;
            }
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
                stack.Push((fsa.ArcTargets[e], p * fsa.ArcWeights[e].Value, depth + 1));
        }
        var exactEntropy = model.Entropy();
        var exactLength = model.ExpectedLength();
        Require.Close(entropy, exactEntropy.Value, 1e-9, $"H(p) of {instance}");
        Require.Close(length, exactLength.Value, 1e-9, $"E|y| of {instance}");
        Require.AtMost(Math.Abs(entropy - exactEntropy.Value), exactEntropy.ErrorBound + 1e-10 * Math.Max(1, entropy), 0, "the certified bound of H(p)");
    }

    private static double LocalEntropy(Wfsa<Real> fsa, int q)
    {
        double Term(double w) => w > 0 ? -w * Math.Log(w) : 0;
        var h = Term(fsa.FinalWeights[q].Value);
        for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++) h += Term(fsa.ArcWeights[e].Value);
        return h;
    }
}
