using System.Text.Json;

namespace Workbench.Experiments.Tests;

public sealed class TheoremsCommandTests
{
    [Fact]
    public void List_prints_the_catalogue_as_json()
    {
        var (code, output, _) = CliRunner.Run("theorems", "list", "--json");
        Assert.Equal(0, code);
        var theorems = JsonDocument.Parse(output).RootElement.GetProperty("theorems");
        Assert.True(theorems.GetArrayLength() >= 14);
        Assert.Contains(theorems.EnumerateArray(), t => t.GetProperty("id").GetString() == "P2.3");
    }

    [Fact]
    public void Check_reports_each_theorem_with_trials_and_the_seed()
    {
        var (code, output, _) = CliRunner.Run("theorems", "check", "--id", "P2.3", "--id", "P3.5", "--trials", "25", "--seed", "5", "--json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(5, root.GetProperty("seed").GetInt32());
        Assert.Equal(2, root.GetProperty("passed").GetInt32());
        Assert.All(root.GetProperty("theorems").EnumerateArray(), t => Assert.Equal(25, t.GetProperty("trials").GetInt32()));
    }

    [Fact]
    public void Check_prints_a_table_and_the_closing_count()
    {
        var (code, output, _) = CliRunner.Run("theorems", "check", "--id", "P3.13", "--trials", "10", "--seed", "1");
        Assert.Equal(0, code);
        Assert.Contains("P3.13", output);
        Assert.Contains("1 passed, 0 failed", output);
        Assert.Contains("--seed 1", output);
    }

    [Fact]
    public void An_unknown_theorem_is_an_input_error_on_stderr()
    {
        var (code, output, error) = CliRunner.Run("theorems", "check", "--id", "P9.9");
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("Unknown theorem 'P9.9'", error);
    }

    [Fact]
    public void A_non_positive_trial_count_is_rejected()
    {
        var (code, _, error) = CliRunner.Run("theorems", "check", "--trials", "0");
        Assert.Equal(2, code);
        Assert.Contains("--trials", error);
    }
}
