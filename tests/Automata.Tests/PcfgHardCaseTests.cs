using Workbench.Automata.Formats;
using System.Globalization;
using Workbench.Automata.Grammars;
using Workbench.Automata.Grammars.Parsing;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Tests;

/// <summary>Regression tests for grammars where floating point alone decides wrongly: critical, deficient by a hair, empty, useless.</summary>
public sealed class PcfgHardCaseTests
{
    // S → 'a' [p₀] | S 'a' [p₁] | S S [p₂] | S S S [p₃] with p₀ = p₂ + 2p₃ and p₁ = 1 − 2p₂ − 3p₃: rule sums 1 and
    // mean offspring p₁ + 2p₂ + 3p₃ = 1 exactly in decimals, so ρ(M) = 1 and the grammar is tight (critical branching).
    private static string Critical(int p2, int p3, int extra = 0)
    {
        var p1 = 1000_000 - 2 * p2 - 3 * p3 - extra;
        var p0 = p2 + 2 * p3;
        string W(int millionths) => (millionths / 1e6).ToString("R", CultureInfo.InvariantCulture);
        return $"S -> 'a' [{W(p0 - extra)}] | S 'a' [{W(p1)}] | S S [{W(p2)}] | S S S [{W(p3 + 2 * extra)}]";
    }

    [Fact]
    public void Random_critical_grammars_are_tight_with_mass_one()
    {
        var seed = 20261201;
        var random = new Random(seed);
        for (var trial = 0; trial < 40; trial++)
        {
            var p3 = random.Next(0, 250_000);
            var p2 = random.Next(1, (1000_000 - 3 * p3) / 2);
            var text = Critical(p2, p3);
            var grammar = CfgTextFormat.Read(text, "critical");
            var report = PcfgAnalysis.Tightness(grammar);
            Assert.True(report.Verdict == TightnessVerdict.Tight, $"seed {seed}, trial {trial}: {text}: {string.Join("; ", report.Evidence)}");
            Assert.Equal(1.0, report.Mass);
            Assert.Equal(1.0, Treesum.Newton(grammar).Values[0]);
        }
    }

    [Fact]
    public void A_grammar_a_millionth_above_criticality_is_not_tight()
    {
        // Moving 10⁻⁶ from p₀ and p₁ to p₃ keeps the rule sum 1 and raises the mean offspring to 1 + 3·10⁻⁶ … above 1.
        var report = PcfgAnalysis.Tightness(CfgTextFormat.Read(Critical(200_000, 100_000, extra: 1), "supercritical"));
        Assert.Equal(TightnessVerdict.NotTight, report.Verdict);
        Assert.Contains(report.Evidence, e => e.Contains("ρ(M) > 1"));
        Assert.True(report.Mass < 1);
    }

    [Fact]
    public void Rules_a_hair_short_of_one_leak_and_the_evidence_agrees()
    {
        var report = PcfgAnalysis.Tightness(CfgTextFormat.Read("S -> 'a' [0.3333333333] | 'b' [0.3333333333] | 'c' [0.3333333333]", "thirds"));
        Assert.Equal(TightnessVerdict.NotTight, report.Verdict);
        Assert.Contains(report.Evidence, e => e.Contains("sum to 0.9999999999"));
        Assert.DoesNotContain(report.Evidence, e => e.Contains("so the grammar is tight"));
        Assert.Equal(0.9999999999, report.Mass, 15);
    }

    [Fact]
    public void A_nearly_critical_grammar_written_in_decimals_is_tight()
    {
        // 2·0.4999999999999999 < 1 exactly, and the rules sum to exactly 1: subcritical, so tight.
        var near = CfgTextFormat.Read("S -> S S [0.4999999999999999] | 'a' [0.5000000000000001]", "near");
        var report = PcfgAnalysis.Tightness(near);
        Assert.Equal(TightnessVerdict.Tight, report.Verdict);
        Assert.Equal(1.0, report.Mass);
        // E[derivation size] = 1/(1 − 2p) = 5·10¹⁵, solved exactly where floating point cannot certify it; E|y| = (size + 1)/2.
        var size = PcfgAnalysis.ExpectedDerivationSize(near);
        Assert.True(Math.Abs(size.Value / 5e15 - 1) < 1e-14, $"{size}");
        Assert.True(Math.Abs(size.Value - 5e15) <= size.ErrorBound + 1);
        Assert.True(Math.Abs(PcfgAnalysis.ExpectedLength(near).Value / 2.5e15 - 1) < 1e-14);
    }

    [Fact]
    public void A_grammar_that_generates_nothing_gives_every_string_probability_zero()
    {
        var grammar = CfgTextFormat.Read("S -> S 'a' [1]", "nothing");
        Assert.Equal(0.0, Treesum.Newton(grammar).Values[0]);
        var cnf = ChomskyNormalForm.Convert(grammar);
        Assert.Empty(cnf.Rules);
        Assert.Equal(double.NegativeInfinity, Inside.LogWeight(cnf, [0]));
        Assert.Equal(TightnessVerdict.NotTight, PcfgAnalysis.Tightness(grammar).Verdict);
    }

    [Fact]
    public void A_useless_weight_one_unary_cycle_does_not_stop_the_conversion()
    {
        var grammar = CfgTextFormat.Read("S -> 'a' [0.5] | 'b' [0.5]\nX -> Y [1]\nY -> X [1]", "useless");
        var cnf = ChomskyNormalForm.Convert(grammar);
        Assert.Equal(Math.Log(0.5), Inside.LogWeight(cnf, [0]), 15);
        Assert.Equal(TightnessVerdict.Tight, PcfgAnalysis.Tightness(grammar).Verdict);
        Assert.Equal(1.0, PcfgAnalysis.ExpectedDerivationSize(grammar).Value, 14);
    }

    [Fact]
    public void Structural_zeros_stay_exactly_zero()
    {
        // X is unproductive: its treesum and every ε-weight through it are exactly 0, not rounding.
        var grammar = CfgTextFormat.Read("S -> A B [0.3] | 'a' [0.7]\nA -> 'a' [0.7] | [0.3]\nB -> X [1]\nX -> X 'b' [1]", "zeros");
        var z = Treesum.Newton(grammar).Values;
        Assert.Equal(0.0, z[grammar.Nonterminals.ToList().IndexOf("X")]);
        Assert.Equal(0.0, z[grammar.Nonterminals.ToList().IndexOf("B")]);
        Assert.All(EpsilonWeights.Of(grammar), e => Assert.True(e == 0 || e >= 0.3 - 1e-15));
    }

    [Fact]
    public void Next_symbol_log_probabilities_of_random_grammars_with_epsilon_and_unary_rules_are_never_nan()
    {
        // Random grammars with ε-rules, unary chains and useless nonterminals, through CNF into the prefix parser: every
        // next-symbol distribution is finite or −∞ and sums to 1 over Σ ∪ {EOS}.
        var seed = 4242;
        var random = new Random(seed);
        for (var trial = 0; trial < 60; trial++)
        {
            var text = RandomGrammarText(random);
            var model = new PcfgLanguageModel(ChomskyNormalForm.Convert(CfgTextFormat.Read(text, "random")));
            var state = model.InitialState;
            var next = new double[model.Alphabet.SizeWithEos];
            for (var step = 0; step < 6; step++)
            {
                model.NextLogProbabilities(state, next);
                Assert.True(next.All(v => !double.IsNaN(v) && v <= 1e-12), $"seed {seed}, trial {trial}: {text}");
                Assert.Equal(1.0, next.Sum(Math.Exp), 9);
                var symbol = Array.FindIndex(next[..model.Alphabet.Size], v => v > double.NegativeInfinity);
                if (symbol < 0) break;
                state = model.Advance(state, symbol);
            }
        }
    }

    private static string RandomGrammarText(Random random)
    {
        string[] names = ["S", "A", "B", "C"];
        var lines = new List<string>();
        foreach (var lhs in names)
        {
            var alternatives = new List<string> { $"'{(char)('a' + random.Next(2))}'" };
            for (var k = random.Next(1, 4); k > 0; k--)
                alternatives.Add(random.Next(5) switch
                {
                    0 => "",
                    1 => names[random.Next(4)],
                    2 => $"{names[random.Next(4)]} {names[random.Next(4)]}",
                    3 => $"{names[random.Next(4)]} 'b'",
                    _ => $"'a' {names[random.Next(4)]}",
                });
            var weights = alternatives.Select(_ => random.Next(1, 10)).ToArray();
            var total = weights.Sum();
            lines.Add($"{lhs} -> " + string.Join(" | ", alternatives.Select((a, i) =>
                $"{a} [{((double)weights[i] / total).ToString("R", CultureInfo.InvariantCulture)}]")));
        }
        return string.Join("\n", lines);
    }

    [Fact]
    public void A_second_weight_is_an_error_not_an_epsilon_rule()
    {
        var error = Assert.Throws<Workbench.Formal.Errors.ParseException>(() => CfgTextFormat.Read("S -> 'a' [0.5] [0.5]", "twice"));
        Assert.Contains("twice:1:16", error.Message);
        Assert.Contains("after the weight", error.Message);
    }

    [Fact]
    public void An_overlong_string_is_refused_before_its_chart_is_built()
    {
        var chart = InsideChart.Empty(ChomskyNormalForm.Convert(CfgTextFormat.Read("S -> S S [0.4] | 'a' [0.6]", "long")));
        var error = Assert.Throws<Workbench.Formal.Errors.BudgetExceededException>(() => chart.ExtendAll(new int[40_000]));
        Assert.Contains("length 40000", error.Message);
    }

    [Fact]
    public void Smoothed_ngram_tables_beyond_the_budget_are_refused_up_front()
    {
        var alphabet = new Workbench.Formal.Symbols.Alphabet(Enumerable.Range(0, 400).Select(i => $"s{i}"));
        var error = Assert.Throws<Workbench.Formal.Errors.BudgetExceededException>(() => Workbench.Automata.NGrams.NGramEstimation.AddLambda(alphabet, 3, [[0, 1, 2]], 0.1));
        Assert.Contains("use a lower order", error.Message);
        Assert.DoesNotContain("--", error.Message);
    }

    [Fact]
    public void Small_treesums_and_epsilon_weights_keep_their_relative_precision()
    {
        // Z of S → S S S [0.999] | a [0.001] is the least root of z = 0.999z³ + 0.001 (50 digits by Newton in decimals).
        var sss = CfgTextFormat.Read("S -> S S S [0.999] | 'a' [0.001]", "small");
        Assert.True(Math.Abs(Treesum.Newton(sss).Values[0] / 0.0010000009990029940149640907686 - 1) < 1e-14);
        // Its prefix parser renormalises by Z: every rule of the CNF form must stay a probability.
        var model = new PcfgLanguageModel(ChomskyNormalForm.Convert(sss));
        Assert.Equal(0.0, model.LogPrefixProbability([0]), 12);
        // p(ε) = ν(A)·ν(B) = 10⁻⁷·½ exactly.
        var epsilon = ChomskyNormalForm.Convert(CfgTextFormat.Read("S -> A B [1]\nA -> 'a' [0.9999999] | [1e-7]\nB -> 'b' [0.5] | [0.5]", "epsilon"));
        Assert.True(Math.Abs(Math.Exp(Inside.LogWeight(epsilon, [])) / 5e-8 - 1) < 1e-14);
        // ν of S → S S [0.3] | a [0.6999999] | ε [1e-7] is the least root of ν = 0.3ν² + 10⁻⁷.
        var nested = ChomskyNormalForm.Convert(CfgTextFormat.Read("S -> S S [0.3] | 'a' [0.6999999] | [1e-7]", "nested"));
        Assert.True(Math.Abs(Math.Exp(Inside.LogWeight(nested, [])) / 1.0000000300000018000001350000113e-7 - 1) < 1e-13);
    }

    [Fact]
    public void Critical_grammars_with_epsilon_rules_keep_exact_string_probabilities_through_cnf()
    {
        // S → S S [p] | S 'c' [1 − 2p] | 'a' [t] | ε [e] with t + e = p: mean offspring 1, so critical and tight; p(ε) = ν is the
        // least root of ν = pν² + e, 2e/(1 + √(1 − 4pe)). The CNF form's treesums come from the exact ones, not from a
        // near-double root solved again.
        var seed = 77;
        var random = new Random(seed);
        string W(int millionths) => (millionths / 1e6).ToString("R", CultureInfo.InvariantCulture);
        for (var trial = 0; trial < 30; trial++)
        {
            var p = random.Next(50_000, 450_000);
            var e = random.Next(1, p);
            var text = $"S -> S S [{W(p)}] | S 'c' [{W(1_000_000 - 2 * p)}] | 'a' [{W(p - e)}] | [{W(e)}]";
            var cnf = ChomskyNormalForm.Convert(CfgTextFormat.Read(text, "critical"));
            var (pp, ee) = (p / 1e6, e / 1e6);
            var nu = 2 * ee / (1 + Math.Sqrt(1 - 4 * pp * ee));
            Assert.True(Math.Abs(Math.Exp(Inside.LogWeight(cnf, [])) / nu - 1) < 1e-12, $"seed {seed}, {text}: p(ε) = {Math.Exp(Inside.LogWeight(cnf, []))}, expected {nu}");
            var model = new PcfgLanguageModel(cnf);
            var next = new double[model.Alphabet.SizeWithEos];
            model.NextLogProbabilities(model.InitialState, next);
            Assert.Equal(1.0, next.Sum(Math.Exp), 12);
        }
    }
}
