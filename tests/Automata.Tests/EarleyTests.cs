using Workbench.Automata.Formats;
using Workbench.Formal.Symbols;
using System.Globalization;
using Workbench.Automata.Grammars;
using Workbench.Automata.Grammars.Parsing;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Tests;

public sealed class EarleyTests
{
    // A random PCFG of any shape over {a, b}: rules of length 0–3 mixing terminals and nonterminals, so ε-rules,
    // unary chains and unary cycles all occur (the Dirichlet weights keep every cycle below 1 almost surely).
    private static Cfg<Real> RandomGrammar(int seed, bool epsilonAndCycles)
    {
        var random = new Random(seed);
        var names = new[] { "S", "A", "B" };
        var text = new System.Text.StringBuilder();
        foreach (var lhs in names)
        {
            var count = random.Next(2, 5);
            var draws = Enumerable.Range(0, count).Select(_ => -Math.Log(1 - random.NextDouble())).ToArray();
            var alternatives = new List<string>();
            for (var r = 0; r < count; r++)
            {
                var length = epsilonAndCycles ? random.Next(0, 4) : random.Next(1, 4);
                var symbols = Enumerable.Range(0, length).Select(_ => random.Next(4) switch
                {
                    0 => "'a'",
                    1 => "'b'",
                    _ => names[random.Next(names.Length)],
                }).ToList();
                // Without ε and cycles: every rule consumes a terminal, so derivations of y number finitely.
                if (!epsilonAndCycles && symbols.All(s => !s.StartsWith('\''))) symbols.Add("'a'");
                alternatives.Add(string.Join(" ", symbols) + string.Create(CultureInfo.InvariantCulture, $" [{draws[r] / draws.Sum():R}]"));
            }
            text.Append(lhs).Append(" -> ").AppendJoin(" | ", alternatives).Append('\n');
        }
        text.Append("S -> 'a' [1e-3]\nS -> 'b' [1e-3]\n");
        return CfgTextFormat.Read(text.ToString(), $"random grammar {seed}");
    }

    private static IEnumerable<int[]> Strings(int maxLength) =>
        Enumerable.Range(0, maxLength + 1).SelectMany(length => Workbench.Formal.Symbols.Strings.UpTo(2, length).Where(s => s.Length == length));

    [Fact]
    public void Earley_equals_derivation_enumeration_in_the_real_and_counting_semirings()
    {
        for (var seed = 0; seed < 40; seed++)
        {
            var grammar = RandomGrammar(seed, epsilonAndCycles: false);
            var counting = new EarleyParser<Counting>(grammar.Map(_ => Counting.One));
            foreach (var y in Strings(4))
            {
                var (probability, derivations) = DerivationEnumeration.Of(grammar, y);
                Assert.Equal(probability, Earley.Weight(grammar, y), 1e-13);
                Assert.Equal(Counting.Of(derivations), counting.Weight(y));
            }
        }
    }

    [Fact]
    public void Earley_equals_cky_on_the_chomsky_normal_form_with_epsilon_rules_and_unary_cycles()
    {
        for (var seed = 0; seed < 40; seed++)
        {
            var grammar = RandomGrammar(seed, epsilonAndCycles: true);
            var cnf = ChomskyNormalForm.Convert(grammar);
            var boolean = new EarleyParser<Workbench.Formal.Semirings.Boolean>(grammar.Map(_ => Workbench.Formal.Semirings.Boolean.One));
            foreach (var y in Strings(5))
            {
                var expected = y.Length == 0 ? Earley.Weight(cnf, y) : Math.Exp(Inside.LogWeight(cnf, y));
                var actual = Earley.Weight(grammar, y);
                Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Max(1, expected), $"seed {seed}, y = {grammar.Terminals.Format(y)}: CKY {expected:R}, Earley {actual:R}");
                Assert.Equal(actual > 0, boolean.Weight(y).Value);
            }
        }
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void A_unary_self_loop_sums_its_geometric_series(double loop)
    {
        // S → S [q] | a [1 − q]: p(a) = Σ_k q^k (1 − q) = 1.
        var grammar = CfgTextFormat.Read(FormattableString.Invariant($"S -> S [{loop:R}] | 'a' [{1 - loop:R}]"), "loop");
        Assert.Equal(1.0, Earley.Weight(grammar, [0]), 13);
    }

    [Theory]
    [InlineData(0.3, 1.0)]
    [InlineData(0.5, 1.0)]
    [InlineData(0.75, 1.0 / 3)]
    public void A_nullable_branching_prefix_contributes_its_treesum(double p, double epsilonMass)
    {
        // S → A 'a' [1], A → A A [p] | ε [1 − p]: ν(A) = min(1, (1 − p)/p), so p(a) = ν(A) and p(ε) = 0.
        var grammar = CfgTextFormat.Read(FormattableString.Invariant($"S -> A 'a' [1]\nA -> A A [{p:R}] | [{1 - p:R}]"), "nullable");
        Assert.Equal(epsilonMass, Earley.Weight(grammar, [0]), 9);
        Assert.Equal(0, Earley.Weight(grammar, []));
    }

    [Fact]
    public void A_unary_cycle_of_weight_one_is_reported_as_divergent()
    {
        // The cycle S → A → S | B → A has weight 1 per turn and lies on the way to 'a', so G('a') = Σ_k 1^k = ∞.
        var grammar = CfgTextFormat.Read("S -> A [1]\nA -> S [0.5] | B [0.5]\nB -> A [1] | 'a' [1]", "cycle");
        Assert.Throws<DivergenceException>(() => Earley.Weight(grammar, [0]));
        // A weight-1 cycle among nonterminals that derive only ε is used by no non-empty string (the critical case).
        var critical = CfgTextFormat.Read("S -> A 'a' [1]\nA -> A A [0.5] | [0.5]", "critical");
        Assert.Equal(1, Earley.Weight(critical, [0]), 12);
    }
}
