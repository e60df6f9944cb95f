using Workbench.Automata.Formats;
using Workbench.Automata.Grammars;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Tests;

/// <summary>The exact termination decision (reasons, rounding, Bareiss on critical components) and the treesum iterations.</summary>
public sealed class GrammarDecisionTests
{
    private static Cfg<Real> Grammar(string text) => CfgTextFormat.Read(text, "g");

    private static (bool? Terminates, string? Reason) Of(TerminationDecision decision, Cfg<Real> grammar, string name)
    {
        var x = grammar.Nonterminals.ToList().IndexOf(name);
        return (decision.Terminates[x], decision.Reason[x]);
    }

    [Theory]
    [InlineData("S -> S 'a' [1]", "S derives no finite string")]
    [InlineData("S -> 'a' [0.5]", "the rules of S sum to 0.5, less than 1")]
    [InlineData("S -> S S [0.6] | 'a' [0.4]", "the component of S has an expected-count matrix with ρ(M) > 1")]
    [InlineData("S -> A A [0.500000000001] | 'a' [0.499999999999]\nA -> S [1]", "the component of S has an expected-count matrix with ρ(M) > 1")]
    public void Leaks_come_with_their_reason(string text, string reason)
    {
        var grammar = Grammar(text);
        var decision = PcfgTermination.Decide(grammar);
        Assert.True(decision.Decided);
        Assert.Equal((false, reason), Of(decision, grammar, "S"));
    }

    [Theory]
    [InlineData("S -> 'a' [1]")]
    [InlineData("S -> S S [0.5] | 'a' [0.5]")]
    [InlineData("S -> A A [0.5] | 'a' [0.5]\nA -> S [1]")]
    [InlineData("S -> A A [0.499999999999] | 'a' [0.500000000001]\nA -> S [1]")]
    [InlineData("S -> A B [0.5] | 'a' [0.5]\nA -> S [1]\nB -> S [1]")]
    [InlineData("S -> A B C [0.25] | 'a' [0.75]\nA -> S [0.5] | B [0.5]\nB -> C [1]\nC -> S [0.5] | 'c' [0.5]")]
    public void Critical_and_subcritical_components_terminate(string text)
    {
        var grammar = Grammar(text);
        var decision = PcfgTermination.Decide(grammar);
        Assert.All(grammar.Nonterminals, name => Assert.Equal((true, (string?)null), Of(decision, grammar, name)));
    }

    [Fact]
    public void A_leak_reaches_every_nonterminal_above_it_and_every_member_of_its_component()
    {
        // A's rules sum to 0.9: S and A share a component, so both leak for A's reason; T only calls S.
        var grammar = Grammar("T -> S [1]\nS -> A 'b' [0.5] | 'c' [0.5]\nA -> S [0.5] | 'd' [0.4]");
        var decision = PcfgTermination.Decide(grammar);
        const string reason = "the rules of A sum to 0.9, less than 1";
        Assert.Equal((false, reason), Of(decision, grammar, "A"));
        Assert.Equal((false, reason), Of(decision, grammar, "S"));
        Assert.Equal((false, reason), Of(decision, grammar, "T"));
        var above = Grammar("S -> A [1]\nA -> A A [0.6] | 'a' [0.4]");
        var supercritical = PcfgTermination.Decide(above);
        Assert.Equal(Of(supercritical, above, "A"), Of(supercritical, above, "S"));
        Assert.False(Of(supercritical, above, "S").Terminates);
    }

    [Fact]
    public void Rule_sums_count_as_one_within_the_rounding_of_their_doubles()
    {
        // Three rules: k·2⁻⁵² = 6.7e-16 covers a deficit of 4e-16, one rule's 2.2e-16 would not.
        var withinRounding = Grammar("S -> 'a' [0.3333333333333332] | 'b' [0.3333333333333332] | 'c' [0.3333333333333332]");
        Assert.Equal((true, (string?)null), Of(PcfgTermination.Decide(withinRounding), withinRounding, "S"));
        var deficient = Grammar("S -> 'a' [0.333333333333333] | 'b' [0.333333333333333] | 'c' [0.333333333333333]");
        Assert.False(Of(PcfgTermination.Decide(deficient), deficient, "S").Terminates);
        var excess = Grammar("S -> 'a' [0.7] | 'b' [0.7]");
        var undecided = PcfgTermination.Decide(excess);
        Assert.False(undecided.Decided);
        Assert.Null(undecided.Terminates[0]);
        Assert.Equal(Rational.Of(7, 5), undecided.RuleSums[0]);
    }

    [Fact]
    public void Newton_skips_terminating_components_and_reports_its_steps()
    {
        var tight = Grammar("S -> S S [0.4] | 'a' [0.6]");
        var tightResult = Treesum.Newton(tight);
        Assert.Equal(1.0, tightResult.Values[0]);
        Assert.Equal(0.0, tightResult.Leaks[0]);
        Assert.Equal(0, tightResult.Iterations);
        var leaky = Grammar("S -> S S [0.6] | 'a' [0.4]");
        var result = Treesum.Newton(leaky);
        Assert.Equal(2.0 / 3, result.Values[0], 15);
        Assert.Equal(1.0 / 3, result.Leaks[0], 15);
        Assert.InRange(result.Iterations, 2, 60);
        Assert.True(result.Residual < 1e-15, result.Residual.ToString());
        var unproductive = Treesum.Newton(Grammar("S -> S 'a' [1]"));
        Assert.Equal(0.0, unproductive.Values[0]);
    }

    [Fact]
    public void Kleene_iteration_climbs_to_the_least_fixed_point()
    {
        // Z = 0.6Z² + 0.4 has roots 2/3 and 1; from 0 the iterates rise to 2/3, linearly.
        var grammar = Grammar("S -> S S [0.6] | 'a' [0.4]");
        var few = Treesum.Kleene(grammar, 5);
        Assert.Equal(5, few.Iterations);
        Assert.InRange(few.Values[0], 0.4, 2.0 / 3);
        Assert.Equal(1 - few.Values[0], few.Leaks[0], 15);
        Assert.True(few.Residual > 1e-3);
        var many = Treesum.Kleene(grammar, 10_000);
        Assert.Equal(2.0 / 3, many.Values[0], 13);
        Assert.True(many.Iterations < 10_000);
        Assert.True(many.Residual < 1e-13);
    }

    [Theory]
    [InlineData("0.5000001", "0.4999999")]
    [InlineData("0.50000001", "0.49999999")]
    [InlineData("0.6", "0.4")]
    public void Near_critical_treesums_are_the_closed_form_of_the_weights_as_written(string a, string c)
    {
        // Z = c/a, the root of a·Z² − Z + c = 0 other than 1. The doubles of a and c sum to 1 − 5.6·10⁻¹⁷ for the first
        // pair, which near criticality would move Z by 2.8·10⁻¹⁰; read as written, a + c = 1 exactly.
        var result = Treesum.Newton(Grammar($"S -> S S [{a}] | 'a' [{c}]"));
        var exact = Rational.Divide(Rational.FromShortestDecimal(double.Parse(c, System.Globalization.CultureInfo.InvariantCulture)),
            Rational.FromShortestDecimal(double.Parse(a, System.Globalization.CultureInfo.InvariantCulture))).ToDouble();
        Assert.True(Math.Abs(result.Values[0] - exact) <= 1e-15 * exact, $"{result.Values[0]:R} vs {exact:R}");
        // The leak a − c over a, to the conditioning of a residual evaluated in doubles: ε/(1 − ρ) relative, ρ = 2a.
        var (rationalA, rationalC) = (Rational.FromShortestDecimal(double.Parse(a, System.Globalization.CultureInfo.InvariantCulture)),
            Rational.FromShortestDecimal(double.Parse(c, System.Globalization.CultureInfo.InvariantCulture)));
        var leak = Rational.Divide(Rational.Subtract(rationalA, rationalC), rationalA).ToDouble();
        var conditioning = 1 / (2 * rationalA.ToDouble() - 1);
        Assert.True(Math.Abs(result.Leaks[0] - leak) <= 10 * 2.2e-16 * conditioning * leak, $"{result.Leaks[0]:R} vs {leak:R}");
    }
}

public sealed class NonterminalGraphTests
{
    [Fact]
    public void Components_are_the_mutual_reachability_classes_numbered_sinks_first()
    {
        // Against the transitive closure by brute force, on random rule sets over 7 nonterminals.
        const int seed = 31;
        var random = new Random(seed);
        for (var trial = 0; trial < 50; trial++)
        {
            var builder = new CfgBuilder<Real>(Workbench.Automata.Generators.RandomAutomata.Letters(1));
            for (var x = 0; x < 7; x++) builder.Nonterminal($"N{x}");
            for (var r = random.Next(3, 14); r > 0; r--)
                builder.AddRule(random.Next(7), [GrammarSymbol.Nonterminal(random.Next(7)), GrammarSymbol.Terminal(0)], new Real(0.5));
            var grammar = builder.Build(0);
            var graph = NonterminalGraph.Of(grammar);
            var reach = new bool[7, 7];
            for (var x = 0; x < 7; x++)
            {
                reach[x, x] = true;
                foreach (var y in graph.Successors(x)) reach[x, y] = true;
            }
            for (var k = 0; k < 7; k++)
                for (var i = 0; i < 7; i++)
                    for (var j = 0; j < 7; j++)
                        reach[i, j] |= reach[i, k] && reach[k, j];
            var components = graph.Components();
            for (var x = 0; x < 7; x++)
            {
                Assert.Contains(x, components.Members[components.ComponentOf[x]]);
                foreach (var y in graph.Successors(x)) Assert.True(components.ComponentOf[x] >= components.ComponentOf[y], $"seed {seed}, trial {trial}: edge {x} → {y} goes up");
                for (var y = 0; y < 7; y++)
                    Assert.Equal(reach[x, y] && reach[y, x], components.ComponentOf[x] == components.ComponentOf[y]);
            }
        }
    }
}
