using Workbench.Automata.Formats;
using Workbench.Automata.Grammars;
using Workbench.Automata.Grammars.Parsing;
using Workbench.Automata.Pushdown;
using Workbench.Formal.Errors;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Tests;

public sealed class PushdownTests
{
    private static readonly Alphabet AB = new(["a", "b"]);

    // State 0 reads a's, pushing an A for each (0.4) or switches on b (0.6), popping; state 1 pops one A per b.
    // Starting with one A: aᵏ bᵏ⁺¹ has probability 0.4ᵏ·0.6 and every other string 0.
    private static Wpda Counter() => new(AB, ["A"], 2, 0, 0, [0, 1],
    [
        new PdaTransition(0, 0, 0, 0, [0, 0], 0.4),
        new PdaTransition(0, 1, 0, 1, [], 0.6),
        new PdaTransition(1, 1, 0, 1, [], 1),
    ]);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void A_two_state_counter_gives_a_k_b_k_plus_one_its_closed_form(int k)
    {
        var pda = Counter();
        Assert.Null(pda.ProbabilisticProblem());
        int[] y = [.. Enumerable.Repeat(0, k), .. Enumerable.Repeat(1, k + 1)];
        var expected = Math.Pow(0.4, k) * 0.6;
        Assert.Equal(expected, WpdaStringsum.Weight(pda, y), 15);
        Assert.Equal(expected, Earley.Weight(PushdownConversions.ToGrammar(pda), y), 15);
        int[] unbalanced = [.. Enumerable.Repeat(0, k), .. Enumerable.Repeat(1, k)];
        Assert.Equal(0, WpdaStringsum.Weight(pda, unbalanced));
    }

    [Fact]
    public void A_probabilistic_pda_is_a_language_model_with_exact_conditionals()
    {
        var model = new PushdownLanguageModel(Counter());
        Assert.Equal(Math.Log(0.4 * 0.6), model.LogProbability([0, 1, 1]), 12);
        var next = new double[3];
        model.NextLogProbabilities(model.Advance(model.InitialState, 0), next);
        Assert.Equal(0.4, Math.Exp(next[0]), 12);
        Assert.Equal(0.6, Math.Exp(next[1]), 12);
        Assert.Equal(0, Math.Exp(next[2]), 12);
        Assert.Equal(Math.Log(0.4 * 0.6), Workbench.Formal.Generation.ChainRule.LogProbability(model, [0, 1, 1]), 12);
    }

    [Fact]
    public void The_top_down_pda_of_a_left_recursive_grammar_sums_its_epsilon_cycles()
    {
        // S → S 'a' [0.5] | 'a' [0.5]: p(aⁿ) = 0.5ⁿ, reached through n − 1 expansions of S without reading.
        var grammar = CfgTextFormat.Read("S -> S 'a' [0.5] | 'a' [0.5]", "left");
        var pda = PushdownConversions.FromGrammar(grammar);
        Assert.Equal(0.125, WpdaStringsum.Weight(pda, [0, 0, 0]), 15);
    }

    [Fact]
    public void An_epsilon_cycle_of_weight_one_is_reported_as_divergent()
    {
        var pda = new Wpda(AB, ["A"], 1, 0, 0, [1], [new PdaTransition(0, Wpda.Epsilon, 0, 0, [0], 1.0), new PdaTransition(0, 0, 0, 0, [], 1.0)]);
        Assert.Throws<DivergenceException>(() => WpdaStringsum.Weight(pda, [0]));
    }

    [Fact]
    public void Malformed_automata_are_refused_with_the_transition_named()
    {
        var error = Assert.Throws<InvalidModelException>(() => new Wpda(AB, ["A"], 1, 0, 0, [1], [new PdaTransition(0, 0, 0, 3, [], 1)]));
        Assert.Contains("state outside 0..0", error.Message);
        var negative = Assert.Throws<InvalidModelException>(() => new Wpda(AB, ["A"], 1, 0, 0, [1], [new PdaTransition(0, 0, 0, 0, [], double.NaN)]));
        Assert.Contains("finite and non-negative", negative.Message);
        var pda = new Wpda(AB, ["A"], 1, 0, 0, [1], [new PdaTransition(0, 0, 0, 0, [], 0.7)]);
        Assert.Contains("sum to 0.7", pda.ProbabilisticProblem());
    }

    [Fact]
    public void Trimming_removes_nonterminals_that_derive_nothing_or_are_unreachable()
    {
        var grammar = CfgTextFormat.Read("S -> 'a' [0.5] | S B [0.5]\nB -> B 'b' [1]\nC -> 'a' [1]", "useless");
        var trimmed = UselessNonterminals.Trim(grammar);
        Assert.Equal(["S"], trimmed.Nonterminals);
        Assert.Single(trimmed.Rules);
    }
}
