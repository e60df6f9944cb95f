using System.Text.Json;

namespace Workbench.Experiments.Tests;

public sealed class CompileCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("workbench-compile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Example => Path.Combine(AppContext.BaseDirectory, "even-as.att");

    private static double LogProbability(string model, string text)
    {
        var (code, output, error) = CliRunner.Run("lm", "score", model, text, "--json");
        Assert.True(code == 0, error);
        var value = JsonDocument.Parse(output).RootElement.GetProperty("strings")[0].GetProperty("logProbability");
        return value.ValueKind == JsonValueKind.String ? double.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : value.GetDouble();
    }

    [Theory]
    [InlineData("Softmax")]
    [InlineData("Sparsemax")]
    public void A_compiled_pfsa_scores_like_the_pfsa_and_extracts_back_to_it(string projection)
    {
        string model = Path.Combine(_directory, "minsky.wbm"), back = Path.Combine(_directory, "back.att");
        var (code, _, error) = CliRunner.Run("compile", "fsa-to-rnn", Example, "--out", model, "--output", projection);
        Assert.True(code == 0, error);
        foreach (string text in new[] { "", "a a", "b a b a b", "b b b" })
            Assert.Equal(LogProbability($"fsa:{Example}", text), LogProbability($"neural:{model}", text), 1e-10);
        Assert.True(Math.Exp(LogProbability($"neural:{model}", "a b")) == 0, "an odd number of a's has probability 0");

        (code, _, error) = CliRunner.Run("compile", "rnn-to-fsa", model, "-o", back, "--minimize");
        Assert.True(code == 0, error);
        foreach (string text in new[] { "", "a a", "b a b a b" })
            Assert.Equal(LogProbability($"fsa:{Example}", text), LogProbability($"fsa:{back}", text), 1e-10);
        var (_, tightness, _) = CliRunner.Run("lm", "tightness", $"neural:{model}", "--json");
        Assert.Equal("tight", JsonDocument.Parse(tightness).RootElement.GetProperty("verdict").GetString());
    }

    [Fact]
    public void Networks_without_finitely_many_states_are_refused_by_name()
    {
        string folder = Path.Combine(_directory, "lstm");
        var (code, _, error) = CliRunner.Run("train", "--source", $"fsa:{Example}", "--model", "lstm:hidden=4", "--steps", "2", "--eval-every", "2", "--held-out", "10", "--out", folder, "--json");
        Assert.True(code == 0, error);
        (code, _, error) = CliRunner.Run("compile", "rnn-to-fsa", Path.Combine(folder, "model.wbm"), "-o", Path.Combine(_directory, "x.att"));
        Assert.Equal(2, code);
        Assert.Contains("only Heaviside Elman networks", error);
    }
}
