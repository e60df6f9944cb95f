using System.Text.Json;

namespace Workbench.Experiments.Tests;

public sealed class CfgCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("workbench-cfg-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_directory, "g.cfg");
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData(0.3, "tight", 1.0)]
    [InlineData(0.5, "tight", 1.0)]
    [InlineData(0.75, "not-tight", 1.0 / 3)]
    public void Info_reports_the_branching_fixture(double p, string verdict, double mass)
    {
        var (code, output, _) = CliRunner.Run("cfg", "info", Write(FormattableString.Invariant($"S -> S S [{p}] | 'a' [{1 - p}]")), "--json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(verdict, root.GetProperty("tight").GetString());
        Assert.Equal(mass, root.GetProperty("allsum").GetDouble(), 9);
    }

    [Fact]
    public void Info_names_the_nonterminal_whose_rules_do_not_sum_to_one_and_parse_errors_their_place()
    {
        var (code, output, _) = CliRunner.Run("cfg", "info", Write("S -> 'a' [0.5] | S S [0.3]"), "--json");
        Assert.Equal(0, code);
        Assert.Contains("The rules of S sum to 0.8", JsonDocument.Parse(output).RootElement.GetProperty("pcfgProblem").GetString());
        Assert.DoesNotContain("NaN", output);
        var bad = Write("S -> 'a' [0.5\n");
        var (badCode, _, error) = CliRunner.Run("cfg", "info", bad);
        Assert.Equal(2, badCode);
        Assert.Contains($"{bad}:1:10: unterminated weight", error);
    }

    [Fact]
    public void The_grammar_of_the_empty_string_is_a_pcfg()
    {
        var file = Write("S -> [1]");
        var (code, output, error) = CliRunner.Run("cfg", "prob", file, "ε", "--json");
        Assert.True(code == 0, error);
        Assert.Equal(1.0, JsonDocument.Parse(output).RootElement.GetProperty("strings")[0].GetProperty("probability").GetDouble());
        var (infoCode, info, infoError) = CliRunner.Run("cfg", "info", file, "--json");
        Assert.True(infoCode == 0, infoError);
        Assert.Equal("tight", JsonDocument.Parse(info).RootElement.GetProperty("tight").GetString());
    }

    [Theory]
    [InlineData("S -> 'a' [1] | 'b' [1]", "sum to 2")]
    [InlineData("S -> 'a' [1.5]", "weight 1.5")]
    [InlineData("S -> 'a' [1e308]", "weight 1E+308")]
    public void Prob_cnf_prefix_and_lm_refuse_weights_that_are_not_probabilities(string grammar, string problem)
    {
        var file = Write(grammar);
        foreach (var args in new[] { new[] { "cfg", "prob", file, "a" }, ["cfg", "cnf", file], ["cfg", "prefix", file, "a"], ["lm", "score", $"cfg:{file}", "a"] })
        {
            var (code, output, error) = CliRunner.Run(args);
            Assert.True(code == 2, $"{string.Join(' ', args)}: exit {code}, {output}");
            Assert.Contains(problem, error);
            Assert.Contains(file, error);
        }
        // A weighted CFG is scored on request, and then the output says weight, not probability.
        var (weightedCode, weighted, _) = CliRunner.Run("cfg", "prob", file, "a", "--weighted", "--json");
        Assert.Equal(0, weightedCode);
        Assert.True(JsonDocument.Parse(weighted).RootElement.GetProperty("strings")[0].TryGetProperty("weight", out _));
    }

    [Fact]
    public void Prob_scores_strings_and_converts_other_grammars_to_cnf_first()
    {
        // S → S S [0.3] | a [0.7]: "a a" has one derivation, 0.3·0.7².
        var (code, output, _) = CliRunner.Run("cfg", "prob", Write("S -> S S [0.3] | 'a' [0.7]"), "a a", "a", "--json");
        Assert.Equal(0, code);
        var strings = JsonDocument.Parse(output).RootElement.GetProperty("strings");
        Assert.Equal(0.3 * 0.7 * 0.7, strings[0].GetProperty("probability").GetDouble(), 14);
        Assert.Equal(0.7, strings[1].GetProperty("probability").GetDouble(), 14);
        // A grammar outside CNF is converted first: S → a S | a (½ each) gives aaa probability ⅛.
        var (otherCode, other, _) = CliRunner.Run("cfg", "prob", Write("S -> 'a' S [0.5] | 'a' [0.5]"), "a a a", "--json");
        Assert.Equal(0, otherCode);
        Assert.Equal(0.125, JsonDocument.Parse(other).RootElement.GetProperty("strings")[0].GetProperty("probability").GetDouble(), 14);
        var cnf = CliRunner.Run("cfg", "cnf", Write("S -> 'a' S 'b' [0.5] | [0.5]"));
        Assert.Equal(0, cnf.ExitCode);
        Assert.Contains("S0 ->", cnf.Output);
    }

    [Fact]
    public void Cnf_pcfgs_work_with_the_lm_commands()
    {
        // S → S S [0.3] | a [0.7]: tight, p(a) = 0.7, and exact samples of its yields.
        var path = Write("S -> S S [0.3] | 'a' [0.7]");
        var score = CliRunner.Run("lm", "score", $"cfg:{path}", "a", "--json");
        Assert.Equal(0, score.ExitCode);
        Assert.Equal(0.7, JsonDocument.Parse(score.Output).RootElement.GetProperty("strings")[0].GetProperty("probability").GetDouble(), 12);
        var (code, output, _) = CliRunner.Run("lm", "sample", $"cfg:{path}", "--count", "5", "--seed", "2", "--json");
        Assert.Equal(0, code);
        Assert.All(JsonDocument.Parse(output).RootElement.GetProperty("strings").EnumerateArray(), s => Assert.False(s.GetProperty("truncated").GetBoolean()));
    }

    [Fact]
    public void Sample_is_reproducible_and_reports_truncation()
    {
        var path = Write("S -> S S [0.9] | 'a' [0.1]");
        var first = CliRunner.Run("cfg", "sample", path, "-n", "30", "--seed", "3", "--max-rules", "200", "--json");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Output, CliRunner.Run("cfg", "sample", path, "-n", "30", "--seed", "3", "--max-rules", "200", "--json").Output);
        Assert.Contains("\"truncated\": true", first.Output);
    }

    [Fact]
    public void Prefix_reports_the_prefix_probability_and_the_next_symbol_distribution()
    {
        // S → a S b [0.4] | a b [0.6]: every string starts with a, so π(a a) = 0.4 and after "a a" the next symbol is a (0.4) or b (0.6).
        var (code, output, _) = CliRunner.Run("cfg", "prefix", Write("S -> 'a' S 'b' [0.4] | 'a' 'b' [0.6]"), "a a", "--json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(0.4, root.GetProperty("prefixProbability").GetDouble(), 12);
        Assert.Equal(0, root.GetProperty("stringProbability").GetDouble());
        var next = root.GetProperty("next").EnumerateArray().ToDictionary(e => e.GetProperty("symbol").GetString()!, e => e.GetProperty("probability").GetDouble());
        Assert.Equal(0.4, next["a"], 12);
        Assert.Equal(0.6, next["b"], 12);
        Assert.Equal(0, next["EOS"]);
        var (badCode, _, error) = CliRunner.Run("cfg", "prefix", Write("S -> 'a' [1.0]"), "a c");
        Assert.Equal(2, badCode);
        Assert.Contains("Unknown symbol 'c' at column 3", error);
    }

    [Fact]
    public void Cnf_writes_json_that_every_command_reads_back()
    {
        var json = Path.Combine(_directory, "g.json");
        Assert.Equal(0, CliRunner.Run("cfg", "cnf", Write("S -> 'a' S 'b' [0.5] | [0.5]"), "-o", json).ExitCode);
        var (code, output, _) = CliRunner.Run("cfg", "prob", json, "a b", "--json");
        Assert.Equal(0, code);
        Assert.Equal(0.25, JsonDocument.Parse(output).RootElement.GetProperty("strings")[0].GetProperty("probability").GetDouble(), 12);
    }
}
