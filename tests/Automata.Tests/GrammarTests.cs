using Workbench.Automata.Formats;
using Workbench.Automata.Grammars;
using Workbench.Automata.Grammars.Parsing;
using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Tests;

public sealed class GrammarTests
{
    private static Cfg<Real> Branching(double p) =>
        CfgTextFormat.Read(FormattableString.Invariant($"S -> S S [{p:R}] | 'a' [{1 - p:R}]"), "branching");

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.4999)]
    [InlineData(0.499999)]
    [InlineData(0.5)]
    [InlineData(0.500001)]
    [InlineData(0.6)]
    [InlineData(0.9)]
    public void The_branching_grammar_has_mass_min_one_and_one_minus_p_over_p(double p)
    {
        var expected = Math.Min(1, (1 - p) / p);
        Assert.Equal(expected, Treesum.Newton(Branching(p)).Values[0], 9);
        var report = PcfgAnalysis.Tightness(Branching(p));
        Assert.Equal(p <= 0.5 ? TightnessVerdict.Tight : TightnessVerdict.NotTight, report.Verdict);
        var (lower, upper) = PcfgAnalysis.SpectralRadiusOfMoments(Branching(p));
        Assert.InRange(2 * p, lower - 1e-9, upper + 1e-9);
    }

    [Fact]
    public void Subcritical_expectations_have_closed_forms()
    {
        const double p = 0.3;
        var grammar = Branching(p);
        Assert.Equal((1 - p) / (1 - 2 * p), PcfgAnalysis.ExpectedLength(grammar).Value, 12);
        Assert.Equal(1 / (1 - 2 * p), PcfgAnalysis.ExpectedDerivationSize(grammar).Value, 12);
        var binaryEntropy = -p * Math.Log(p) - (1 - p) * Math.Log(1 - p);
        Assert.Equal(binaryEntropy / (1 - 2 * p), PcfgAnalysis.DerivationalEntropy(grammar).Value, 12);
        Assert.Throws<WorkbenchException>(() => PcfgAnalysis.ExpectedLength(Branching(0.6)));
    }

    [Fact]
    public void Booth_thompson_needs_irreducibility()
    {
        // B is supercritical but unreachable from S: M is taken over the nonterminals S reaches, so ρ(M) = 0 and S is tight.
        var grammar = CfgTextFormat.Read("S -> 'a' [1.0]\nB -> B B [0.9] | 'a' [0.1]", "reducible");
        var report = PcfgAnalysis.Tightness(grammar);
        Assert.Equal(TightnessVerdict.Tight, report.Verdict);
        Assert.Contains(report.Evidence, e => e.Contains("ρ(M) < 1"));
        // Reachable, the supercritical component makes S leak, and the exact decision names it.
        var reached = PcfgAnalysis.Tightness(CfgTextFormat.Read("S -> 'a' [0.5] | B [0.5]\nB -> B B [0.9] | 'a' [0.1]", "reached"));
        Assert.Equal(TightnessVerdict.NotTight, reached.Verdict);
        Assert.Contains(reached.Evidence, e => e.Contains("ρ(M) > 1"));
    }

    [Fact]
    public void Nltk_notation_round_trips_with_continuations_comments_and_epsilon()
    {
        const string text = """
            # a toy grammar
            S -> NP VP [0.9] | [0.1]
            NP -> 'the' N [0.6]
               | "a" N [0.4]
            N -> 'cat' [0.5] | 'dog' [0.5]
            VP -> 'runs' [1.0]
            """;
        var grammar = CfgTextFormat.Read(text, "toy.cfg");
        Assert.Equal(["S", "NP", "N", "VP"], grammar.Nonterminals);
        Assert.Equal(["a", "cat", "dog", "runs", "the"], grammar.Terminals.Symbols);
        PcfgValidation.Validate(grammar);
        var again = CfgTextFormat.Read(CfgTextFormat.Write(grammar), "again");
        Assert.Equal(CfgTextFormat.Write(grammar), CfgTextFormat.Write(again));
        Assert.Equal(1.0, Treesum.Newton(grammar).Values[0], 14);
    }

    [Theory]
    [InlineData("S -> 'a' [0.5] | 'b'", "g.cfg:1:21: each alternative needs a weight")]
    [InlineData("S -> 'a [1]", "g.cfg:1:6: unterminated quoted terminal")]
    [InlineData("S 'a' [1]", "g.cfg:1:1: expected 'NONTERMINAL -> alternatives'")]
    [InlineData("S -> 'a' [x]", "g.cfg:1:11: 'x' is not a number")]
    [InlineData("S -> A [0.5] | 'a' [0.5]", "g.cfg: the nonterminal 'A' (in a rule of S) has no rules")]
    [InlineData("S -> 'a' [-1]", "g.cfg:1:10: the weight -1 is not finite and non-negative")]
    public void Malformed_grammars_are_reported_where_they_break(string text, string expected)
    {
        var error = Assert.Throws<ParseException>(() => CfgTextFormat.Read(text, "g.cfg"));
        Assert.StartsWith(expected, error.Message);
        // A located error carries its place as properties too.
        if (expected.StartsWith("g.cfg:1:", StringComparison.Ordinal))
            Assert.Equal(("g.cfg", 1, int.Parse(expected.Split(':')[2], System.Globalization.CultureInfo.InvariantCulture)), (error.Source, error.Line!.Value, error.Column!.Value));
        else
            Assert.Null(error.Line);
    }

    [Fact]
    public void Non_stochastic_rules_are_named()
    {
        var error = Assert.Throws<InvalidModelException>(() => PcfgValidation.Validate(CfgTextFormat.Read("S -> 'a' [0.5] | S S [0.4]", "g")));
        Assert.Contains("The rules of S sum to 0.9", error.Message);
    }

    [Fact]
    public void A_weighted_grammar_with_infinite_treesum_is_reported()
    {
        var error = Assert.Throws<DivergenceException>(() => Treesum.Newton(CfgTextFormat.Read("S -> S [1.5] | 'a' [1]", "g")));
        Assert.Contains("treesum of S diverges", error.Message);
    }

    [Fact]
    public void Sampling_finishes_with_the_least_fixed_point_probability()
    {
        // p = 0.6: a derivation finishes with probability (1 − p)/p = 2/3.
        var sampler = new PcfgSampler(Branching(0.6));
        var random = new Random(5);
        const int n = 20_000;
        var finished = Enumerable.Range(0, n).Count(_ => !sampler.Sample(random, 2_000).Truncated);
        Assert.InRange(finished, n * 2.0 / 3 - 5 * 67, n * 2.0 / 3 + 5 * 67);
    }
}

public sealed class PcfgLanguageModelTests
{
    [Fact]
    public void A_non_tight_pcfg_keeps_its_own_mass_and_its_view_says_it_is_renormalised()
    {
        // S → S S [0.75] | a [0.25] has Z = 1/3 (the least root of z = 0.75z² + 0.25). p(a) = 0.25 is the grammar's own
        // mass; the autoregressive view is p/Z and says so through its normaliser.
        var grammar = CfgTextFormat.Read("S -> S S [0.75] | 'a' [0.25]", "supercritical");
        var model = new PcfgLanguageModel(grammar);
        Assert.Equal(Math.Log(0.25), model.LogProbability([0]), 12);
        Assert.Equal(Math.Log(0.75 * 0.25 * 0.25), model.LogProbability([0, 0]), 12);
        Assert.Equal(Math.Log(1.0 / 3), model.LogViewNormaliser, 12);
        // π(ε) = π(a) = Z: every finite string starts with a.
        Assert.Equal(1.0 / 3, Math.Exp(model.LogPrefixProbability([])), 12);
        Assert.Equal(1.0 / 3, Math.Exp(model.LogPrefixProbability([0])), 12);
        Assert.Equal(1.0 / 3, model.PartitionFunction().Value, 12);
        Assert.Equal(TightnessVerdict.NotTight, model.AnalyzeTightness().Verdict);
        // In the view p(a | ε) = 1 and p(EOS | a) = p(a)/π(a) = 0.75.
        var next = new double[2];
        model.NextLogProbabilities(model.InitialState, next);
        Assert.Equal(1.0, Math.Exp(next[0]), 12);
        model.NextLogProbabilities(model.Advance(model.InitialState, 0), next);
        Assert.Equal(0.75, Math.Exp(next[1]), 9);
        Assert.Equal(model.LogProbability([0, 0, 0]) - model.LogViewNormaliser, Workbench.Formal.Generation.ChainRule.LogProbability(model, [0, 0, 0]), 9);
    }

    [Fact]
    public void Extending_a_prefix_shares_the_earlier_chart_columns()
    {
        var parser = new PrefixParser(CfgTextFormat.Read("S -> S S [0.3] | 'a' [0.7]", "g"));
        var one = parser.Extend(parser.Empty, 0);
        var two = parser.Extend(one, 0);
        Assert.Single(one.Symbols);
        Assert.Equal(2, two.Symbols.Length);
        Assert.True(one.Inside.Symbols == one.Symbols, "the prefix state shares its chart's symbols (ImmutableArray equality is reference equality)");
        Assert.Equal(Math.Exp(parser.LogPrefixProbability(one)), Math.Exp(parser.LogStringProbability(one)) + Math.Exp(parser.LogPrefixProbability(two)), 12);
    }
}

public sealed class CfgJsonFormatTests
{
    [Fact]
    public void Json_round_trips_and_keeps_terminals_no_rule_uses()
    {
        const string json = """
            { "start": "S", "terminals": ["a", "b", "unused"],
              "rules": [{ "lhs": "S", "rhs": [{ "terminal": "a" }, { "nonterminal": "S" }, { "terminal": "b" }], "weight": 0.5 },
                        { "lhs": "S", "rhs": [], "weight": 0.5 }] }
            """;
        var grammar = CfgJsonFormat.Read(json, "g.json");
        Assert.Equal(3, grammar.Terminals.Size);
        Assert.Equal(2, grammar.Rules.Count);
        var again = CfgJsonFormat.Read(CfgJsonFormat.Write(grammar), "again");
        Assert.Equal(CfgTextFormat.Write(grammar), CfgTextFormat.Write(again));
        Assert.Equal(grammar.Terminals.Symbols, again.Terminals.Symbols);
    }

    [Theory]
    [InlineData("""{ "rules": [{ "lhs": "S", "rhs": [{ "terminal": "a" }], "weight": -1 }] }""", "rules[0].weight: expected a finite non-negative number")]
    [InlineData("""{ "rules": [{ "lhs": "S", "rhs": [{ "nonterminal": "X" }, { "terminal": "a" }], "weight": 1 }] }""", "rules[0].rhs[0]: the nonterminal 'X' has no rules")]
    [InlineData("""{ "rules": [{ "lhs": "S", "rhs": [{ "symbol": "a" }], "weight": 1 }] }""", "rules[0].rhs[0]: expected {\"terminal\": NAME}")]
    [InlineData("""{ "terminals": ["a"], "rules": [{ "lhs": "S", "rhs": [{ "terminal": "b" }], "weight": 1 }] }""", "'b' is not among the declared terminals")]
    [InlineData("""{ "rules": [ """, "g.json:1:")]
    public void Malformed_json_grammars_are_refused_with_the_path(string json, string expected)
    {
        var error = Assert.Throws<ParseException>(() => CfgJsonFormat.Read(json, "g.json"));
        Assert.Contains(expected, error.Message);
    }
}
