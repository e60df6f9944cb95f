using Workbench.Automata.Grammars;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Generators;

/// <summary>Random PCFGs in Chomsky normal form for property tests and benchmarks.</summary>
public static class RandomGrammars
{
    /// <summary>
    /// A CNF PCFG with nonterminals N0..N(k−1) (N0 the start) over a, b, …: every nonterminal gets
    /// <paramref name="binaryRules"/> rules X → Y Z with random Y, Z and one rule X → t per terminal; the
    /// binary rules share probability <paramref name="binaryMass"/> and the terminal rules the rest
    /// (Dirichlet within each group). ρ(M) grows with the binary mass (about 2·binaryMass).
    /// </summary>
    public static Cfg<Real> CnfPcfg(Random random, int nonterminals, int terminals, int binaryRules, double binaryMass)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nonterminals, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(terminals, 1);
        if (!(binaryMass is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(binaryMass), binaryMass, "The binary mass must lie in [0, 1).");
        var builder = new CfgBuilder<Real>(RandomAutomata.Letters(terminals));
        for (var x = 0; x < nonterminals; x++) builder.Nonterminal($"N{x}");
        for (var x = 0; x < nonterminals; x++)
        {
            var binary = Shares(random, binaryRules, binaryMass);
            foreach (var share in binary)
                builder.AddRule(x, [GrammarSymbol.Nonterminal(random.Next(nonterminals)), GrammarSymbol.Nonterminal(random.Next(nonterminals))], new Real(share));
            var lexical = Shares(random, terminals, 1 - binaryMass);
            for (var t = 0; t < terminals; t++) builder.AddRule(x, [GrammarSymbol.Terminal(t)], new Real(lexical[t]));
        }
        return Merge(builder.Build(0));
    }

    /// <summary>
    /// The dense CNF PCFG of the parsing benchmarks: every nonterminal has all |N|² binary rules X → Y Z and all
    /// |Σ| lexical rules, with Dirichlet(1) shares of <paramref name="binaryMass"/> and 1 − binaryMass. Start N0.
    /// </summary>
    public static Cfg<Real> DenseCnfPcfg(Random random, int nonterminals, int terminals, double binaryMass)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nonterminals, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(terminals, 1);
        if (!(binaryMass is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(binaryMass), binaryMass, "The binary mass must lie in [0, 1).");
        var builder = new CfgBuilder<Real>(RandomAutomata.Letters(terminals));
        for (var x = 0; x < nonterminals; x++) builder.Nonterminal($"N{x}");
        for (var x = 0; x < nonterminals; x++)
        {
            var binary = Shares(random, nonterminals * nonterminals, binaryMass);
            for (var pair = 0; pair < binary.Length; pair++)
                builder.AddRule(x, [GrammarSymbol.Nonterminal(pair / nonterminals), GrammarSymbol.Nonterminal(pair % nonterminals)], new Real(binary[pair]));
            var lexical = Shares(random, terminals, 1 - binaryMass);
            for (var t = 0; t < terminals; t++) builder.AddRule(x, [GrammarSymbol.Terminal(t)], new Real(lexical[t]));
        }
        return builder.Build(0);
    }

    private static double[] Shares(Random random, int count, double total)
    {
        var draws = Enumerable.Range(0, count).Select(_ => -Math.Log(1 - random.NextDouble())).ToArray();
        var sum = draws.Sum();
        return draws.Select(d => total * d / sum).ToArray();
    }

    // Identical rules drawn twice become one rule carrying both weights.
    private static Cfg<Real> Merge(Cfg<Real> grammar)
    {
        var builder = new CfgBuilder<Real>(grammar.Terminals);
        foreach (var name in grammar.Nonterminals) builder.Nonterminal(name);
        foreach (var group in grammar.Rules.GroupBy(r => (r.Lhs, Key: string.Join(",", r.Rhs.Select(s => (s.IsTerminal ? "t" : "n") + s.Id)))))
            builder.AddRule(group.Key.Lhs, group.First().Rhs.AsSpan(), new Real(group.Sum(r => r.Weight.Value)));
        return builder.Build(grammar.Start);
    }
}
