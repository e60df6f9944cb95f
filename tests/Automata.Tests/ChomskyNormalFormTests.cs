using Workbench.Automata.Formats;
using Workbench.Automata.Grammars;
using Workbench.Automata.Grammars.Parsing;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Tests;

public sealed class ChomskyNormalFormTests
{
    private static double P(Cfg<Real> cnf, string y) => Inside.Weight(cnf, cnf.Terminals.Parse(y)).Value;

    [Fact]
    public void An_epsilon_child_is_folded_into_its_parent()
    {
        // S → A B, A → a | ε (½ each), B → b: "b" and "a b" each have probability ½.
        var cnf = ChomskyNormalForm.Convert(CfgTextFormat.Read("S -> A B [1.0]\nA -> 'a' [0.5] | [0.5]\nB -> 'b' [1.0]", "g"));
        Assert.True(cnf.IsChomskyNormalForm);
        Assert.Equal(0.5, P(cnf, "b"), 14);
        Assert.Equal(0.5, P(cnf, "a b"), 14);
        Assert.Equal(0.0, P(cnf, ""));
        PcfgValidation.Validate(cnf);
    }

    [Fact]
    public void A_nullable_start_gets_a_new_start_with_an_epsilon_rule()
    {
        // S → a S | ε (½ each): p(aⁿ) = ½ⁿ⁺¹.
        var cnf = ChomskyNormalForm.Convert(CfgTextFormat.Read("S -> 'a' S [0.5] | [0.5]", "g"));
        Assert.True(cnf.IsChomskyNormalForm);
        Assert.Equal("S0", cnf.Nonterminals[cnf.Start]);
        for (var n = 0; n < 5; n++) Assert.Equal(Math.Pow(0.5, n + 1), P(cnf, string.Concat(Enumerable.Repeat("a ", n))), 14);
    }

    [Fact]
    public void Unary_cycles_collapse_into_their_geometric_sums()
    {
        // S → A [½] | b [½], A → S [0.4] | a [0.6]: p(b) = ½/(1 − 0.2), p(a) = 0.3/(1 − 0.2).
        var cnf = ChomskyNormalForm.Convert(CfgTextFormat.Read("S -> A [0.5] | 'b' [0.5]\nA -> S [0.4] | 'a' [0.6]", "g"));
        Assert.Equal(0.625, P(cnf, "b"), 14);
        Assert.Equal(0.375, P(cnf, "a"), 14);
        Assert.Throws<DivergenceException>(() => ChomskyNormalForm.Convert(CfgTextFormat.Read("S -> A [1.0] | 'b' [1.0]\nA -> S [1.0]", "g")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Random_grammars_keep_every_string_probability(int seed)
    {
        var grammar = RandomGrammar(new Random(seed));
        var cnf = ChomskyNormalForm.Convert(grammar);
        Assert.True(cnf.IsChomskyNormalForm);
        IEnumerable<int[]> strings = [[]];
        for (var length = 1; length <= 4; length++)
            foreach (var y in Enumerable.Range(0, (int)Math.Pow(2, length)).Select(bits => Enumerable.Range(0, length).Select(i => (bits >> i) & 1).ToArray()))
                Assert.Equal(DerivationEnumeration.Of(grammar, y).Probability, Inside.Weight(cnf, y).Value, 12);
    }

    // Rules of length 1–3 mixing terminals and nonterminals; unary rules only point to later nonterminals,
    // so derivations of a fixed yield are finitely many and can be enumerated. No ε-rules.
    private static Cfg<Real> RandomGrammar(Random random)
    {
        var alphabet = Formal.Symbols.Alphabet.FromCharacters("ab");
        var builder = new CfgBuilder<Real>(alphabet);
        const int count = 3;
        for (var x = 0; x < count; x++) builder.Nonterminal($"N{x}");
        for (var x = 0; x < count; x++)
        {
            var rules = new List<GrammarSymbol[]> { new[] { GrammarSymbol.Terminal(random.Next(2)) } };
            if (x + 1 < count) rules.Add([GrammarSymbol.Nonterminal(x + 1 + random.Next(count - x - 1))]);
            for (var k = 0; k < 2; k++)
                rules.Add(Enumerable.Range(0, 2 + random.Next(2))
                    .Select(_ => random.NextDouble() < 0.4 ? GrammarSymbol.Terminal(random.Next(2)) : GrammarSymbol.Nonterminal(random.Next(count))).ToArray());
            var weights = rules.Select(_ => 0.1 + random.NextDouble()).ToArray();
            // Long rules get little mass, keeping the grammar subcritical.
            weights[^1] *= 0.3;
            weights[^2] *= 0.3;
            var total = weights.Sum();
            for (var i = 0; i < rules.Count; i++) builder.AddRule(x, rules[i], new Real(weights[i] / total));
        }
        return builder.Build(0);
    }
}
