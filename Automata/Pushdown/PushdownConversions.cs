using Workbench.Automata.Grammars;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Pushdown;

/// <summary>
/// The two directions of CFG ⇔ PDA (P5.6). A grammar becomes the single-state top-down PDA with stack alphabet
/// N ∪ Σ; a PDA becomes the grammar of its pop computations [p, X, q] (the triple construction). Both preserve
/// every string's weight, and a PCFG becomes a probabilistic PDA. Notes §4.2.
/// </summary>
public static class PushdownConversions
{
    /// <summary>
    /// The top-down PDA of a grammar: one state, stack alphabet N ∪ Σ with S at the bottom; an expansion
    /// pops X and pushes α (leftmost symbol on top) at the rule's weight without reading, a match pops the
    /// terminal a while reading a, at weight 1. Runs are leftmost derivations. O(|G|).
    /// </summary>
    public static Wpda FromGrammar(Cfg<Real> grammar)
    {
        var nonterminals = grammar.Nonterminals.Count;
        int StackId(GrammarSymbol s) => s.IsTerminal ? nonterminals + s.Id : s.Id;
        var stack = grammar.Nonterminals.Concat(grammar.Terminals.Symbols.Select(a => $"'{a}'")).ToArray();
        var transitions = grammar.Rules.Select(r => new PdaTransition(0, Wpda.Epsilon, r.Lhs, 0, [.. r.Rhs.Select(StackId)], r.Weight.Value))
            .Concat(Enumerable.Range(0, grammar.Terminals.Size).Select(a => new PdaTransition(0, a, nonterminals + a, 0, [], 1)));
        return new Wpda(grammar.Terminals, stack, 1, 0, grammar.Start, [1.0], transitions);
    }

    /// <summary>
    /// The triple grammar of a PDA: nonterminal [p, X, q] derives what a run reads from state p with X on top
    /// until X is popped, in state q; a transition p —a, X → Y₁…Y_k→ p₁ gives [p, X, q] → a [p₁, Y₁, r₁] … [r_{k−1}, Y_k, q]
    /// for every choice of intermediate states, and S′ → [q₀, Z₀, q] has weight ρ(q). O(|δ|·|Q|^(k_max)) rules.
    /// </summary>
    public static Cfg<Real> ToGrammar(Wpda pda)
    {
        var builder = new CfgBuilder<Real>(pda.Terminals);
        var start = builder.Nonterminal("S'");
        int Triple(int p, int x, int q) => builder.Nonterminal($"[{p},{pda.StackSymbols[x]},{q}]");
        for (var q = 0; q < pda.States; q++)
            if (pda.FinalWeights[q] > 0) builder.AddRule(start, [GrammarSymbol.Nonterminal(Triple(pda.InitialState, pda.InitialStack, q))], new Real(pda.FinalWeights[q]));
        foreach (var t in pda.Transitions)
        {
            var prefix = t.Input == Wpda.Epsilon ? [] : new[] { GrammarSymbol.Terminal(t.Input) };
            foreach (var (states, end) in StateSequences(t.To, t.Push.Length, pda.States))
            {
                var rhs = prefix.Concat(t.Push.Select((y, m) => GrammarSymbol.Nonterminal(Triple(states[m], y, m + 1 < states.Length ? states[m + 1] : end)))).ToArray();
                builder.AddRule(Triple(t.From, t.Pop, end), rhs, new Real(t.Weight));
            }
        }
        return UselessNonterminals.Trim(builder.Build(start));
    }

    // The states r₀ = first, r₁, …, r_{k−1} in which the pushed symbols are popped, and the end state r_k (= first when k = 0).
    private static IEnumerable<(int[] States, int End)> StateSequences(int first, int length, int states)
    {
        if (length == 0)
        {
            yield return ([], first);
            yield break;
        }
        var choices = new int[length];   // choices[m] = the state after popping Y_{m+1}
        while (true)
        {
            yield return ([first, .. choices[..^1]], choices[^1]);
            var m = length - 1;
            while (m >= 0 && ++choices[m] == states) choices[m--] = 0;
            if (m < 0) yield break;
        }
    }
}
