using Workbench.Formal.Generation;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars;

/// <summary>A sampled derivation: its yield, the rules applied (indices into <see cref="Cfg{T}.Rules"/>, in leftmost order), its log-probability, and whether the cap cut it.</summary>
public sealed record PcfgDerivation(int[] Yield, int[] Rules, double LogProbability, bool Truncated);

/// <summary>
/// Exact top-down sampling from a PCFG: expand the leftmost nonterminal with a rule drawn from its
/// distribution (alias tables) until only terminals remain. A non-tight grammar may never finish, so a cap
/// on the number of rule applications cuts the derivation and marks it truncated; the truncation rate
/// estimates 1 − Z(S) as the cap grows (P5.2). O(derivation size) per sample.
/// </summary>
public sealed class PcfgSampler
{
    private readonly Cfg<Real> _grammar;
    private readonly AliasTable[] _rules;

    /// <summary>Builds one alias table per nonterminal of a validated PCFG.</summary>
    public PcfgSampler(Cfg<Real> grammar)
    {
        PcfgValidation.Validate(grammar);
        _grammar = grammar;
        _rules = Enumerable.Range(0, grammar.Nonterminals.Count)
            .Select(x => new AliasTable(grammar.RulesOf(x).ToArray().Select(r => r.Weight.Value).ToArray()))
            .ToArray();
    }

    /// <summary>Draws one derivation; truncated (with the terminals produced so far) after <paramref name="maxRules"/> rule applications.</summary>
    public PcfgDerivation Sample(Random random, int maxRules)
    {
        var output = new List<int>();
        var rules = new List<int>();
        var logProbability = 0.0;
        var stack = new Stack<GrammarSymbol>();
        stack.Push(GrammarSymbol.Nonterminal(_grammar.Start));
        while (stack.TryPop(out var symbol))
        {
            if (symbol.IsTerminal)
            {
                output.Add(symbol.Id);
                continue;
            }
            if (rules.Count == maxRules) return new PcfgDerivation([.. output], [.. rules], logProbability, true);
            var local = _rules[symbol.Id].Sample(random);
            var rule = _grammar.RulesOf(symbol.Id)[local];
            rules.Add(_grammar.FirstRuleOf(symbol.Id) + local);
            logProbability += Math.Log(rule.Weight.Value);
            for (var i = rule.Rhs.Length - 1; i >= 0; i--) stack.Push(rule.Rhs[i]);
        }
        return new PcfgDerivation([.. output], [.. rules], logProbability, false);
    }
}
