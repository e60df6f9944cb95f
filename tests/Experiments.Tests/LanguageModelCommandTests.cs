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
        var estimate = length.GetProperty("estimate");
        Assert.InRange(3.0, estimate.GetProperty("lower").GetDouble(), estimate.GetProperty("upper").GetDouble());
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
