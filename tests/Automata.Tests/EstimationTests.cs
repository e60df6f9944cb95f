using Workbench.Automata.Formats;
using Workbench.Automata.Grammars;
using Workbench.Automata.Grammars.Estimation;
using Workbench.Formal.Errors;

namespace Workbench.Automata.Tests;

public sealed class EstimationTests
{
    [Fact]
    public void A_treebank_gives_relative_frequencies_and_penn_wrappers_are_dropped()
    {
        var trees = Treebank.Read("(S (S a) (S a))\n( (S a) )\n(S (S a) (S b))", "bank");
        Assert.Equal(3, trees.Count);
        Assert.Equal(["a", "b"], trees[2].Yield());
        var grammar = PcfgEstimation.FromTreebank(trees);
        // Local trees: S → S S twice, S → a four times, S → b once.
        var weights = grammar.Rules.ToDictionary(r => string.Join(" ", r.Rhs.Select(grammar.NameOf)), r => r.Weight.Value);
        Assert.Equal(2.0 / 7, weights["S S"], 15);
        Assert.Equal(4.0 / 7, weights["'a'"], 15);
        Assert.Equal(1.0 / 7, weights["'b'"], 15);
        Assert.Equal(Formal.LanguageModels.TightnessVerdict.Tight, PcfgAnalysis.Tightness(grammar).Verdict);
    }

    [Theory]
    [InlineData("(S a", "bank:1:1: unclosed '(' of S")]
    [InlineData("a (S a)", "bank:1:1: expected '(' to open a tree, found 'a'")]
    [InlineData("(S a)\n  ( )", "bank:2:5: a bracket needs a label")]
    [InlineData("(S a)\n(T a)", "Tree 2 has root T")]
    public void Malformed_treebanks_are_refused_with_their_place(string text, string expected)
    {
        var error = Assert.ThrowsAny<WorkbenchException>(() => PcfgEstimation.FromTreebank(Treebank.Read(text, "bank")));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Em_on_unambiguous_counts_reaches_the_closed_form_in_one_step()
    {
        // Under S → S S | a every tree of aⁿ has n − 1 binary and n lexical rules, so the expected counts of
        // {a, aaa} are 2 and 4 whatever p is: p̂ = 2/6 after the first iteration.
        var grammar = CfgTextFormat.Read("S -> S S [0.7] | 'a' [0.3]", "branching");
        var history = PcfgEstimation.ExpectationMaximization(grammar, [[0], [0, 0, 0]], 3);
        foreach (var step in history) Assert.Equal(1.0 / 3, step.Grammar.Rules.Single(r => r.Rhs.Length == 2).Weight.Value, 14);
        Assert.True(history[1].LogLikelihood >= history[0].LogLikelihood);
        Assert.Equal(history[1].LogLikelihood, history[2].LogLikelihood, 12);
    }

    [Fact]
    public void Em_refuses_a_string_the_grammar_cannot_generate()
    {
        var grammar = CfgTextFormat.Read("S -> S S [0.5] | 'a' [0.5] | 'b' [0]", "g");
        var error = Assert.Throws<WorkbenchException>(() => PcfgEstimation.ExpectationMaximization(grammar, [[1]], 1));
        Assert.Contains("probability 0", error.Message);
    }
}
