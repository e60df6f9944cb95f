using Workbench.Automata.Grammars;
using Workbench.Automata.Grammars.Parsing;
using Workbench.Automata.Pushdown;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>P5.6: CFG ⇔ PDA and PCFG ⇔ probabilistic PDA, as weakly equivalent language models.</summary>
public static class P5_6_PcfgsArePushdownAutomata
{
    /// <summary>Random CNF PCFGs and strings of length ≤ 4: the top-down PDA's run sums against the inside algorithm, and back through the triple grammar.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P5.6",
        "The top-down PDA of a PCFG (one state, stack alphabet N ∪ Σ) is probabilistic and gives every string the PCFG's probability, summed over its runs on the automaton itself; its triple grammar [p, X, q] gives the same weights again.",
        "§4.2 (pushdown automata; WCFGs implemented as WPDAs)",
        GrammarInstances.PcfgsWithString(Numbers.Between(0.1, 0.45), 4),
        Check,
        defaultTrials: 60);

    private static void Check((PcfgInstance Instance, int[] Y) pair)
    {
        var (instance, y) = pair;
        var grammar = instance.Build();
        var pda = PushdownConversions.FromGrammar(grammar);
        Require.That(pda.ProbabilisticProblem() is null, $"the top-down PDA of a PCFG is probabilistic ({pda.ProbabilisticProblem()})");
        var inside = Math.Exp(Inside.LogWeight(grammar, y));
        var format = grammar.Terminals.Format(y);
        Require.Close(inside, WpdaStringsum.Weight(pda, y), 1e-12, $"p({format}): PDA run sum vs inside");
        Require.Close(inside, Earley.Weight(PushdownConversions.ToGrammar(pda), y), 1e-12, $"p({format}): triple grammar of the PDA (Earley) vs inside");
    }
}
