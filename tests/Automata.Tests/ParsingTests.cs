using Workbench.Automata.Formats;
using Workbench.Automata.Generators;
using Workbench.Automata.Grammars;
using Workbench.Automata.Grammars.Parsing;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Tests;

public sealed class ParsingTests
{
    private static Cfg<Real> Branching(double p) =>
        CfgTextFormat.Read(FormattableString.Invariant($"S -> S S [{p:R}] | 'a' [{1 - p:R}]"), "branching");

    // aⁿ has Catalan(n − 1) binary trees, each with n − 1 binary and n lexical rules: log p(aⁿ) in closed form.
    private static double LogBranchingProbability(double p, int n) =>
        LogCatalan(n - 1) + (n - 1) * Math.Log(p) + n * Math.Log(1 - p);

    private static double LogCatalan(int m) =>
        MathNet.Numerics.SpecialFunctions.GammaLn(2 * m + 1) - MathNet.Numerics.SpecialFunctions.GammaLn(m + 2) - MathNet.Numerics.SpecialFunctions.GammaLn(m + 1);

    [Fact]
    public void Long_strings_keep_their_probability_where_an_unscaled_chart_underflows()
    {
        const double p = 0.05;
        const int n = 600;
        var expected = LogBranchingProbability(p, n);
        Assert.True(expected < -745, "the fixture must underflow a double");
        var actual = Inside.LogWeight(Branching(p), Enumerable.Repeat(0, n).ToArray());
        Assert.Equal(expected, actual, 1e-9 * Math.Abs(expected));
    }

    [Fact]
    public void Prefix_probabilities_of_long_prefixes_match_the_catalan_tail_sum()
    {
        // π(aⁿ) = Σ_{m≥n} p(aᵐ); the terms shrink by about 4p(1 − p) = 0.19 per step, so 200 terms are exact.
        const double p = 0.05;
        const int n = 600;
        var terms = Enumerable.Range(n, 200).Select(m => LogBranchingProbability(p, m)).ToArray();
        var top = terms.Max();
        var expected = top + Math.Log(terms.Sum(t => Math.Exp(t - top)));
        var parser = new PrefixParser(Branching(p));
        var state = parser.ExtendAll(parser.Empty, Enumerable.Repeat(0, n).ToArray());
        Assert.Equal(expected, parser.LogPrefixProbability(state), 1e-9 * Math.Abs(expected));
        Assert.Equal(LogBranchingProbability(p, n), parser.LogStringProbability(state), 1e-9 * Math.Abs(expected));
    }

    [Fact]
    public void The_vectorised_chart_agrees_with_the_generic_one_on_a_dense_grammar()
    {
        var grammar = RandomGrammars.DenseCnfPcfg(new Random(7), nonterminals: 12, terminals: 5, binaryMass: 0.4);
        var y = new[] { 0, 3, 1, 4, 4, 2, 0, 1, 3 };
        var generic = Inside.Weight(grammar.Map(r => Log.FromReal(r.Weight.Value)), y).Value;
        Assert.Equal(generic, Inside.LogWeight(grammar, y), 1e-10);
    }

    [Fact]
    public void The_forward_vector_parser_agrees_with_jelinek_lafferty_on_every_prefix()
    {
        var grammar = RandomGrammars.DenseCnfPcfg(new Random(11), nonterminals: 6, terminals: 3, binaryMass: 0.35);
        var reference = new JelinekLaffertyParser(grammar);
        var parser = new PrefixParser(grammar);
        var y = new[] { 2, 0, 1, 1, 0, 2, 2, 1 };
        var state = parser.Empty;
        var next = new double[3];
        for (var j = 0; j < y.Length; j++)
        {
            parser.LogNextPrefixProbabilities(state, next);
            state = parser.Extend(state, y[j]);
            var expected = reference.PrefixProbability(y.AsSpan(0, j + 1));
            Assert.Equal(expected, Math.Exp(parser.LogPrefixProbability(state)), 1e-12 * expected + 1e-300);
            Assert.Equal(expected, Math.Exp(next[y[j]]), 1e-12 * expected + 1e-300);
        }
    }

    [Fact]
    public void Grammars_outside_chomsky_normal_form_are_refused_with_a_pointer_to_the_conversion()
    {
        var grammar = CfgTextFormat.Read("S -> 'a' S 'b' [0.5] | [0.5]", "anbn");
        var error = Assert.Throws<NotInChomskyNormalFormException>(() => Inside.LogWeight(grammar, [0, 1]));
        Assert.Contains("ChomskyNormalForm.Convert", error.Message);
    }

    [Fact]
    public void The_length_distribution_of_the_branching_grammar_is_catalan()
    {
        const double p = 0.3;
        var lengths = LengthDistribution.Of(Branching(p), 12);
        Assert.Equal(0, lengths[0]);
        for (var n = 1; n <= 12; n++) Assert.Equal(Math.Exp(LogBranchingProbability(p, n)), lengths[n], 1e-14);
    }
}
