namespace Workbench.Experiments.Tests;

/// <summary>Values out of range are usage errors named by their option (exit 2, no trace), checked before any library code runs.</summary>
public sealed class UsageErrorTests
{
    private static string Example => Path.Combine(AppContext.BaseDirectory, "even-as.att");

    [Theory]
    [InlineData("--allsum-states values must be in 1..10000000 (got 0)", "bench", "fsa", "--allsum-states", "0")]
    [InlineData("--delta must be in (0, 1] (got -1)", "fsa", "determinize", "EXAMPLE", "--delta", "-1")]
    [InlineData("--delta must be in (0, 1] (got 2)", "fsa", "determinize", "EXAMPLE", "--delta", "2")]
    [InlineData("--delta must be in [0, 1] (got -1)", "fsa", "minimize", "EXAMPLE", "--delta", "-1")]
    [InlineData("--beta must be a positive finite number (got -1)", "compile", "ngram-to-transformer", "--corpus", "EXAMPLE", "--order", "2", "--beta", "-1", "--out", "x.wbm")]
    [InlineData("--max-length must be at least 1 (got 0)", "compile", "ngram-to-transformer", "--corpus", "EXAMPLE", "--order", "2", "--max-length", "0", "--out", "x.wbm")]
    public void Out_of_range_options_are_refused_by_name(string expected, params string[] args)
    {
        var (code, output, error) = CliRunner.Run(args.Select(a => a == "EXAMPLE" ? Example : a).ToArray());
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Adapter_arguments_out_of_range_name_the_requirement_without_dotnet_parameter_noise()
    {
        var (code, _, error) = CliRunner.Run("lm", "sample", "unary:harmonic", "--adapter", "top-p=2");
        Assert.Equal(2, code);
        Assert.Contains("at column 7: The nucleus mass must lie in (0, 1]. Forms:", error);
        Assert.DoesNotContain("Parameter", error);
    }
}
