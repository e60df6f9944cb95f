using System.Collections.Immutable;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars;

/// <summary>
/// ν(X), the total weight of X's trees with empty yield: the least fixed point of the rules whose right-hand
/// sides have no terminals (ε-rules included). The ingredient of ε-removal and of Earley's nullable skips.
/// Notes §4.2 (normal forms).
/// </summary>
public static class EpsilonWeights
{
    /// <summary>ν for a real-weighted grammar by Newton's method (<see cref="Treesum.Newton(Cfg{Real})"/>), exact near criticality. O(|G| + |N|³).</summary>
    /// <exception cref="DivergenceException">The ε-derivations have infinite weight.</exception>
    public static ImmutableArray<double> Of(Cfg<Real> grammar) => Treesum.Newton(TerminalFree(grammar)).Values;

    /// <summary>
    /// ν in any semiring by Kleene iteration ν ← F(ν) from 0, stopping at the exact fixed point — which idempotent
    /// semirings (Boolean, Tropical, MaxTimes with weights ≤ 1) reach within |N| + 1 rounds. O(rounds·|G|).
    /// </summary>
    /// <exception cref="DivergenceException">No fixed point within <paramref name="maxRounds"/> rounds (for Real or Log weights use <see cref="Of"/>).</exception>
    public static T[] ByIteration<T>(Cfg<T> grammar, int maxRounds = 1_000) where T : struct, ISemiring<T>
    {
        var subgrammar = TerminalFree(grammar);
        var values = new T[grammar.Nonterminals.Count];
        Array.Fill(values, T.Zero);
        for (var round = 0; round < maxRounds; round++)
        {
            var next = new T[values.Length];
            Array.Fill(next, T.Zero);
            foreach (var rule in subgrammar.Rules)
            {
                var weight = rule.Weight;
                foreach (var symbol in rule.Rhs) weight = T.Multiply(weight, values[symbol.Id]);
                next[rule.Lhs] = T.Add(next[rule.Lhs], weight);
            }
            if (next.Zip(values).All(pair => pair.First.Equals(pair.Second))) return values;
            values = next;
        }
        throw new DivergenceException($"The weights of the ε-derivations did not reach a fixed point in {maxRounds} rounds of iteration in {typeof(T).Name}.");
    }

    private static Cfg<T> TerminalFree<T>(Cfg<T> grammar) where T : struct, ISemiring<T>
    {
        var builder = new CfgBuilder<T>(grammar.Terminals);
        foreach (var name in grammar.Nonterminals) builder.Nonterminal(name);
        foreach (var rule in grammar.Rules)
            if (rule.Rhs.All(s => !s.IsTerminal)) builder.AddRule(rule.Lhs, rule.Rhs.AsSpan(), rule.Weight);
        return builder.Build(grammar.Start);
    }
}
