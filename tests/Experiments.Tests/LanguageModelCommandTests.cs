using System.Text.Json;

namespace Workbench.Experiments.Tests;

public sealed class LanguageModelCommandTests
{
    [Fact]
    public void The_leak_fixture_is_reported_not_tight_with_mass_one_half()
    {
        var (code, output, _) = CliRunner.Run("lm", "tightness", "unary:inverse-square", "--json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal("not-tight", root.GetProperty("verdict").GetString());
        Assert.True(Math.Abs(root.GetProperty("mass").GetDouble() - 0.5) <= 1e-9);
    }

    [Fact]
    public void Tightness_under_an_adapter_is_exact_for_a_deterministic_pfsa_and_refused_elsewhere()
    {
        // p(a) = 0.6, p(EOS) = 0.4 at the only state: tight, but greedy decoding (top-1) never stops.
        var path = Path.Combine(Path.GetTempPath(), $"workbench-loop-{Guid.NewGuid():N}.att");
        File.WriteAllText(path, "0\t0\ta\t0.5108256237659907\n0\t0.916290731874155\n");
        try
        {
            var (code, output, error) = CliRunner.Run("lm", "tightness", $"fsa:{path}", "--adapter", "top-k=1", "--json");
            Assert.True(code == 0, error);
            var root = JsonDocument.Parse(output).RootElement;
            Assert.Equal("not-tight", root.GetProperty("verdict").GetString());
            Assert.Equal(0.0, root.GetProperty("mass").GetDouble());
            Assert.Equal("top-k (k = 1)", root.GetProperty("adapter").GetString());
            Assert.Equal("tight", JsonDocument.Parse(CliRunner.Run("lm", "tightness", $"fsa:{path}", "--adapter", "temperature=2", "--json").Output).RootElement.GetProperty("verdict").GetString());
        }
        finally
        {
            File.Delete(path);
        }
        var (refusedCode, _, refusal) = CliRunner.Run("lm", "tightness", "unary:inverse-square", "--adapter", "top-k=1");
        Assert.Equal(2, refusedCode);
        Assert.Contains("under a sampling adapter", refusal);
        var (unknownCode, _, unknown) = CliRunner.Run("lm", "sample", "unary:inverse-square", "--adapter", "min-p=0.1");
        Assert.Equal(2, unknownCode);
        Assert.Contains("Forms: temperature=T | top-k=K", unknown);
    }

    [Fact]
    public void Tightness_prints_the_verdict_and_evidence_for_people()
    {
        var (code, output, _) = CliRunner.Run("lm", "tightness", "unary:power=0.5,2");
        Assert.Equal(0, code);
        Assert.Contains("not tight", output);
        Assert.Contains("evidence", output);
    }

    [Fact]
    public void Score_gives_exact_probabilities_of_a_table()
    {
        var (code, output, _) = CliRunner.Run("lm", "score", "table:ab=0.5,b=0.25,ε=0.25", "ab", "ε", "ba", "--json");
        Assert.Equal(0, code);
        var strings = JsonDocument.Parse(output).RootElement.GetProperty("strings").EnumerateArray().ToList();
        Assert.Equal(0.5, strings[0].GetProperty("probability").GetDouble(), 15);
        Assert.Equal(0.25, strings[1].GetProperty("probability").GetDouble(), 15);
        Assert.Equal(0.0, strings[2].GetProperty("probability").GetDouble());
        Assert.Equal("-Infinity", strings[2].GetProperty("logProbability").GetString());
    }

    [Fact]
    public void Sampling_is_reproducible_from_the_seed_and_honours_adapters()
    {
        string[] args = ["lm", "sample", "uniform:ab", "--count", "20", "--seed", "3", "--adapter", "top-k=1", "--max-length", "7", "--json"];
        var first = CliRunner.Run(args);
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Output, CliRunner.Run(args).Output);
        // With every outcome tied, top-1 keeps the lowest id, 'a': it never stops, so every sample is cut at the cap.
        var strings = JsonDocument.Parse(first.Output).RootElement.GetProperty("strings").EnumerateArray().ToList();
        Assert.All(strings, s => Assert.Equal("aaaaaaa", s.GetProperty("string").GetString()));
        Assert.All(strings, s => Assert.True(s.GetProperty("truncated").GetBoolean()));
    }

    [Fact]
    public void Estimate_puts_exact_values_next_to_intervals()
    {
        var (code, output, _) = CliRunner.Run("lm", "estimate", "uniform:abc", "--samples", "4000", "--seed", "2", "--json");
        Assert.Equal(0, code);
        var rows = JsonDocument.Parse(output).RootElement.GetProperty("estimates").EnumerateArray().ToList();
        var length = rows.Single(r => r.GetProperty("quantity").GetString() == "E|y|");
        Assert.Equal(3.0, length.GetProperty("exact").GetProperty("value").GetDouble());
        CorpusAndComparisonCommandTests.AssertWithinFourStandardErrors(3.0, length.GetProperty("estimate"));
    }

    [Fact]
    public void Decode_with_a_beam_returns_the_best_strings_first()
    {
        var (code, output, _) = CliRunner.Run("lm", "decode", "table:a=0.2,b=0.45,aa=0.2,ab=0.15", "--beam", "3", "--json");
        Assert.Equal(0, code);
        var best = JsonDocument.Parse(output).RootElement.GetProperty("strings")[0];
        Assert.Equal("b", best.GetProperty("string").GetString());
    }

    [Theory]
    [InlineData("unary:cubic", "column 7")]
    [InlineData("unary:power=0.5,x", "'x' is not a finite number")]
    [InlineData("markov:ab", "unknown model kind 'markov'")]
    [InlineData("table:ab=0.5,b=0.4", "sum to 0.9")]
    [InlineData("unary:constant=1.5", "probability in [0, 1]")]
    public void Malformed_models_are_input_errors_that_say_where(string model, string expected)
    {
        var (code, output, error) = CliRunner.Run("lm", "tightness", model);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Unknown_symbols_in_scored_strings_are_input_errors()
    {
        var (code, _, error) = CliRunner.Run("lm", "score", "uniform:ab", "abc");
        Assert.Equal(2, code);
        Assert.Contains("'c' at column 3", error);
    }
}

public sealed class CorpusAndComparisonCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("workbench-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A sound check of an unbiased estimate on one fixed seed: a miss has probability 6·10⁻⁵, unlike a 95% interval's 1 in 20.</summary>
    internal static void AssertWithinFourStandardErrors(double exact, JsonElement estimate)
    {
        var value = estimate.GetProperty("value").GetDouble();
        var standardError = estimate.GetProperty("standardError").GetDouble();
        Assert.True(Math.Abs(value - exact) <= 4 * standardError, $"estimate {value} ± {standardError}, exact {exact}");
    }

    private string WriteCorpus(params string[] lines)
    {
        var path = Path.Combine(_directory, "corpus.txt");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Evaluate_reports_perplexity_of_the_uniform_model_as_the_alphabet_size_plus_one()
    {
        var path = WriteCorpus("# a comment", "abba", "", "ε", "c a b");
        var (code, output, _) = CliRunner.Run("lm", "evaluate", "uniform:abc", path, "--json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(3, root.GetProperty("strings").GetInt32());
        Assert.Equal(4 + 1 + 0 + 1 + 3 + 1, root.GetProperty("symbols").GetInt64());
        Assert.Equal(4.0, root.GetProperty("perplexity").GetDouble(), 12);
    }

    [Fact]
    public void An_unknown_symbol_in_a_corpus_is_reported_with_file_line_and_column()
    {
        var path = WriteCorpus("ab", "# fine", "abx");
        var (code, _, error) = CliRunner.Run("lm", "evaluate", "uniform:ab", path);
        Assert.Equal(2, code);
        Assert.Contains($"{path}:3:3: unknown symbol 'x'", error);
    }

    [Fact]
    public void A_missing_corpus_is_an_input_error()
    {
        var (code, _, error) = CliRunner.Run("lm", "evaluate", "uniform:ab", Path.Combine(_directory, "absent.txt"));
        Assert.Equal(2, code);
        Assert.Contains("Cannot read ", error);
    }

    [Fact]
    public void Compare_gives_exact_kl_for_a_table_and_an_interval_that_covers_it()
    {
        var (code, output, _) = CliRunner.Run("lm", "compare", "table:a=0.5,b=0.5", "table:a=0.25,b=0.75", "--samples", "5000", "--seed", "4", "--json");
        Assert.Equal(0, code);
        var kl = JsonDocument.Parse(output).RootElement.GetProperty("estimates")[1];
        var exact = 0.5 * Math.Log(0.5 / 0.25) + 0.5 * Math.Log(0.5 / 0.75);
        Assert.Equal(exact, kl.GetProperty("exact").GetProperty("value").GetDouble(), 14);
        AssertWithinFourStandardErrors(exact, kl.GetProperty("estimate"));
    }

    [Fact]
    public void Compare_refuses_models_over_different_alphabets()
    {
        var (code, _, error) = CliRunner.Run("lm", "compare", "uniform:ab", "uniform:abc");
        Assert.Equal(2, code);
        Assert.Contains("share one alphabet", error);
    }
}

public sealed class WorkBudgetTests
{
    [Theory]
    [InlineData("sample", "--count", "0", "--count must be at least 1")]
    [InlineData("estimate", "--samples", "100000000", "could take")]
    [InlineData("compare", "--max-length", "-1", "--max-length must be non-negative")]
    public void Impossible_or_hanging_requests_are_refused_before_any_work(string command, string option, string value, string expected)
    {
        string[] models = command == "compare" ? ["unary:harmonic", "unary:inverse-square"] : ["unary:inverse-square"];
        var (code, output, error) = CliRunner.Run(["lm", command, .. models, option, value]);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains(expected, error);
    }
}

public sealed class ParseErrorTests
{
    [Theory]
    [InlineData("theorems", "check", "--trails", "5")]
    [InlineData("lm", "tightness")]
    [InlineData("frobnicate")]
    public void Command_line_mistakes_are_input_errors_not_check_failures(params string[] args)
    {
        var (code, output, error) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("error:", error);
    }

    [Fact]
    public void Help_is_not_an_error()
    {
        var (code, output, _) = CliRunner.Run("lm", "--help");
        Assert.Equal(0, code);
        Assert.Contains("tightness", output);
    }
}
