using Workbench.Automata.Grammars;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars;

/// <summary>
/// Brute force for grammars without ε-rules or unary cycles: every leftmost derivation of a string, depth
/// first, abandoning a sentential form with more symbols than terminals left (each symbol yields at least one).
/// The reference that parsing algorithms are checked against. Exponential; for strings of a few symbols.
/// </summary>
public static class DerivationEnumeration
{
    /// <summary>The total probability and the number of the leftmost derivations of <paramref name="y"/>.</summary>
    public static (double Probability, long Derivations) Of(Cfg<Real> grammar, int[] y)
    {
        double probability = 0;
        long derivations = 0;
        void Expand(List<GrammarSymbol> stack, int position, double weight)
        {
            if (stack.Count == 0)
            {
                if (position == y.Length) { probability += weight; derivations++; }
                return;
            }
            if (stack.Count > y.Length - position) return;
            var top = stack[^1];
            var rest = stack.GetRange(0, stack.Count - 1);
            if (top.IsTerminal)
            {
                if (position < y.Length && top.Id == y[position]) Expand(rest, position + 1, weight);
                return;
            }
            foreach (var rule in grammar.RulesOf(top.Id))
            {
                var next = new List<GrammarSymbol>(rest);
                for (var i = rule.Rhs.Length - 1; i >= 0; i--) next.Add(rule.Rhs[i]);
                Expand(next, position, weight * rule.Weight.Value);
            }
        }
        Expand([GrammarSymbol.Nonterminal(grammar.Start)], 0, 1);
        return (probability, derivations);
    }
}
