using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars;

/// <summary>
/// Trimming: a nonterminal is useful when it derives some terminal string (productive) and appears in a
/// derivation from the start symbol using productive nonterminals only (reachable); removing the others and
/// their rules changes no string's weight. O(|G|·|N|) for the productivity fixed point. Notes §4.2.
/// </summary>
public static class UselessNonterminals
{
    /// <summary>The grammar restricted to its useful nonterminals, with the same start symbol (kept even when useless, with no rules).</summary>
    public static Cfg<T> Trim<T>(Cfg<T> grammar) where T : struct, ISemiring<T>
    {
        var productive = new HashSet<int>();
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var rule in grammar.Rules)
                if (!productive.Contains(rule.Lhs) && rule.Rhs.All(s => s.IsTerminal || productive.Contains(s.Id))) changed |= productive.Add(rule.Lhs);
        }
        var reachable = new HashSet<int> { grammar.Start };
        var queue = new Queue<int>(reachable);
        while (queue.TryDequeue(out var x))
            foreach (var rule in grammar.RulesOf(x))
                if (rule.Rhs.All(s => s.IsTerminal || productive.Contains(s.Id)))
                    foreach (var s in rule.Rhs)
                        if (!s.IsTerminal && reachable.Add(s.Id)) queue.Enqueue(s.Id);
        var builder = new CfgBuilder<T>(grammar.Terminals);
        builder.Nonterminal(grammar.Nonterminals[grammar.Start]);
        foreach (var rule in grammar.Rules)
            if (reachable.Contains(rule.Lhs) && rule.Rhs.All(s => s.IsTerminal || (productive.Contains(s.Id) && reachable.Contains(s.Id))))
                builder.AddRule(builder.Nonterminal(grammar.Nonterminals[rule.Lhs]),
                    rule.Rhs.Select(s => s.IsTerminal ? s : GrammarSymbol.Nonterminal(builder.Nonterminal(grammar.Nonterminals[s.Id]))).ToArray(), rule.Weight);
        return builder.Build(0);
    }
}
