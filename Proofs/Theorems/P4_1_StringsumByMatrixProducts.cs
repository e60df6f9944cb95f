using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Core;
using Workbench.Automata.Pathsums;
using Workbench.Formal.Semirings;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>P4.1: the stringsum is a product of symbol matrices, A(y) = λᵀ T^(y₁)…T^(yₙ) ρ, and equals the sum over accepting paths.</summary>
public static class P4_1_StringsumByMatrixProducts
{
    /// <summary>Random WFSAs and strings: the forward pass against depth-first path enumeration and dense matrix products.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P4.1",
        "The weight of a string is a product of symbol matrices, A(y) = λᵀ T^(y₁)…T^(yₙ) ρ, equal to the sum over all accepting paths labelled y of their weights.",
        "§4.1 (stringsum; (Tᵈ)ᵢⱼ is the weight of all length-d paths from i to j)",
        Arb.From(
            from instance in AutomataInstances.Wfsas(6, 0.2, 1.5).Generator
            from y in Tables.RandomString(instance.AlphabetSize, 6)
            select (instance, y)),
        Check);

    private static void Check((WfsaInstance Instance, int[] Y) pair)
    {
        var (instance, y) = pair;
        var fsa = instance.Build();
        var paths = PathEnumeration(fsa, y);
        Require.Close(paths, Stringsum.Weight(fsa, y).Value, 1e-12, $"A({fsa.Alphabet.Format(y)}) by the forward pass vs path enumeration");
        Require.Close(paths, new DenseAutomaton(fsa).StringWeight(y), 1e-12, $"A({fsa.Alphabet.Format(y)}) by matrix products vs path enumeration");
    }

    // Σ over paths q₀ –y₁→ q₁ … –yₙ→ qₙ of λ(q₀)·Πw·ρ(qₙ), enumerated depth first.
    private static double PathEnumeration(Wfsa<Real> fsa, int[] y)
    {
        double Extend(int state, int position, double weight)
        {
            if (position == y.Length) return weight * fsa.FinalWeights[state].Value;
            var sum = 0.0;
            for (var e = fsa.ArcStart(state); e < fsa.ArcEnd(state); e++)
                if (fsa.ArcLabels[e] == y[position])
                    sum += Extend(fsa.ArcTargets[e], position + 1, weight * fsa.ArcWeights[e].Value);
            return sum;
        }
        return Enumerable.Range(0, fsa.StateCount).Sum(q => Extend(q, 0, fsa.InitialWeights[q].Value));
    }
}
