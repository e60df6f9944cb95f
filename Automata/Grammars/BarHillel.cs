using Workbench.Automata.Core;
using Workbench.Automata.Operations;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars;

/// <summary>
/// The Bar-Hillel construction: the weighted intersection of a grammar G with an automaton A, a grammar G∩A
/// with (G∩A)(y) = G(y) ⊗ A(y) for every string. Its nonterminals are triples [p, X, q] (X derives what A reads
/// from p to q); a rule X → α₁…α_k becomes [p₀, X, p_k] → α′₁…α′_k for every state sequence, where a
/// nonterminal αᵢ = Y becomes [p_{i−1}, Y, pᵢ] and a terminal stays, its rule weight multiplied by the arc
/// p_{i−1} —a→ pᵢ; the new start S′ → [p, S, q] weighs λ(p)·ρ(q). ε-arcs are removed from A first
/// (<see cref="EpsilonRemoval"/>), so ε-rules give [p, X, p] only. Terminals are matched by name; A's symbols
/// that G lacks are dropped. Useless triples are trimmed. With G a PCFG and A a DFA, the treesum of G∩A is the
/// exact probability that G generates a string of A's language. O(|G|·|Q|^(k_max+1)) before trimming.
/// Notes §4.2.
/// </summary>
public static class BarHillel
{
    /// <summary>G ∩ A.</summary>
    /// <exception cref="Formal.Errors.DivergenceException">A's ε-cycles have no finite weight.</exception>
    public static Cfg<T> Intersect<T>(Cfg<T> grammar, Wfsa<T> automaton) where T : struct, IClosedSemiring<T>
    {
        var fsa = automaton.HasEpsilonArcs ? EpsilonRemoval.Remove(automaton) : automaton;
        var states = fsa.StateCount;
        // arcs[(p, terminal)] = the (target, weight) pairs, parallel arcs merged.
        var arcs = new Dictionary<(int From, int Terminal), Dictionary<int, T>>();
        for (var p = 0; p < states; p++)
            for (var e = fsa.ArcStart(p); e < fsa.ArcEnd(p); e++)
            {
                var name = fsa.Alphabet.NameOf(fsa.ArcLabels[e]);
                if (!grammar.Terminals.Symbols.Contains(name)) continue;
                var key = (p, grammar.Terminals.IdOf(name));
                if (!arcs.TryGetValue(key, out var targets)) arcs[key] = targets = [];
                var target = fsa.ArcTargets[e];
                targets[target] = targets.TryGetValue(target, out var existing) ? T.Add(existing, fsa.ArcWeights[e]) : fsa.ArcWeights[e];
            }

        var builder = new CfgBuilder<T>(grammar.Terminals);
        var start = builder.Nonterminal("S'");
        int Triple(int p, int x, int q) => builder.Nonterminal($"[{p},{grammar.Nonterminals[x]},{q}]");
        for (var p = 0; p < states; p++)
            for (var q = 0; q < states; q++)
            {
                var weight = T.Multiply(fsa.InitialWeights[p], fsa.FinalWeights[q]);
                if (!weight.Equals(T.Zero)) builder.AddRule(start, [GrammarSymbol.Nonterminal(Triple(p, grammar.Start, q))], weight);
            }
        foreach (var rule in grammar.Rules)
            for (var p = 0; p < states; p++)
                Expand(rule, 0, p, p, rule.Weight, new GrammarSymbol[rule.Rhs.Length]);
        return UselessNonterminals.Trim(builder.Build(start));

        // Chooses the state after each right-hand-side symbol, depth first; terminals follow A's arcs.
        void Expand(Rule<T> rule, int position, int first, int current, T weight, GrammarSymbol[] rhs)
        {
            if (position == rule.Rhs.Length)
            {
                builder.AddRule(Triple(first, rule.Lhs, current), [.. rhs], weight);
                return;
            }
            var symbol = rule.Rhs[position];
            if (symbol.IsTerminal)
            {
                if (!arcs.TryGetValue((current, symbol.Id), out var targets)) return;
                rhs[position] = symbol;
                foreach (var (target, arcWeight) in targets) Expand(rule, position + 1, first, target, T.Multiply(weight, arcWeight), rhs);
                return;
            }
            for (var next = 0; next < states; next++)
            {
                rhs[position] = GrammarSymbol.Nonterminal(Triple(current, symbol.Id, next));
                Expand(rule, position + 1, first, next, weight, rhs);
            }
        }
    }
}
