using Workbench.Automata.Grammars;
using Workbench.Automata.Grammars.Parsing;
using Workbench.Formal.Semirings;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>P5.5: the inside (CKY) algorithm computes the stringsum of a CNF grammar in O(|y|³|P|).</summary>
public static class P5_5_InsideAlgorithm
{
    /// <summary>Random CNF PCFGs and strings of length ≤ 5: inside probabilities and derivation counts against enumerating every leftmost derivation.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P5.5",
        "The inside (CKY) algorithm computes the stringsum G(y) = Σ over derivations of y of their weights for a CNF grammar, in any semiring, and semiring-weighted Earley agrees (probability by the generic chart, the scaled vectorised chart and Earley, and number of derivations, checked).",
        "§4.2 (stringsums of WCFGs; the inside algorithm)",
        GrammarInstances.PcfgsWithString(Numbers.Between(0.2, 0.6), 5),
        Check);

    private static void Check((PcfgInstance Instance, int[] Y) pair)
    {
        var (instance, y) = pair;
        var grammar = instance.Build();
        var (probability, derivations) = DerivationEnumeration.Of(grammar, y);
        Require.Close(probability, Inside.Weight(grammar, y).Value, 1e-12, $"G({grammar.Terminals.Format(y)}) by CKY vs derivation enumeration");
        Require.Close(probability, Math.Exp(Inside.LogWeight(grammar, y)), 1e-12, $"G({grammar.Terminals.Format(y)}) by the scaled, vectorised chart vs derivation enumeration");
        Require.Close(probability, Earley.Weight(grammar, y), 1e-12, $"G({grammar.Terminals.Format(y)}) by Earley vs derivation enumeration");
        Require.That(Inside.Weight(grammar.Map(_ => Counting.One), y) == Counting.Of(derivations),
            $"number of derivations of {grammar.Terminals.Format(y)}: CKY vs enumeration ({derivations})");
    }
}
