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

    [Fact]
    public void An_ngram_compiled_into_a_transformer_scores_like_the_ngram_and_the_beta_plot_is_written()
    {
        string corpus = Path.Combine(_directory, "corpus.txt"), model = Path.Combine(_directory, "ngram.wbm"), plot = Path.Combine(_directory, "beta.png");
        File.WriteAllLines(corpus, ["a b a b", "b b a", "a a b a b", "b a", "a b b a b a"]);
        string fsa = Path.Combine(_directory, "ngram.att");
        var (code, _, error) = CliRunner.Run("ngram", "fit", corpus, "--order", "3", "-o", fsa);
        Assert.True(code == 0, error);
        (code, _, error) = CliRunner.Run("compile", "ngram-to-transformer", "--corpus", corpus, "--order", "3", "--out", model, "--beta-plot", plot);
        Assert.True(code == 0, error);
        foreach (string text in new[] { "", "a", "a b a", "b b b a b" })
            Assert.Equal(LogProbability($"fsa:{fsa}", text), LogProbability($"neural:{model}", text), 1e-9);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(plot)[..4]);
    }

    [Fact]
    public void Sizes_compiles_both_constructions_and_checks_them()
    {
        string plot = Path.Combine(_directory, "sizes.png");
        var (code, output, error) = CliRunner.Run("compile", "sizes", "--states", "5", "40", "--symbols", "3", "--plot", plot, "--json");
        Assert.True(code == 0, error);
        var rows = JsonDocument.Parse(output).RootElement.GetProperty("rows");
        Assert.Equal(15, rows[0].GetProperty("minsky").GetInt32());
        Assert.Equal(120, rows[1].GetProperty("minsky").GetInt32());
        Assert.All(rows.EnumerateArray(), row => Assert.True(row.GetProperty("agree").GetBoolean()));
        Assert.True(new FileInfo(plot).Length > 1000);
    }

    [Fact]
    public void The_stack_rnn_reports_its_float64_failure_depth()
    {
        var (code, output, error) = CliRunner.Run("compile", "stack-rnn", "--max-depth", "22", "--json");
        Assert.True(code == 0, error);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.InRange(root.GetProperty("float64FailureDepth").GetInt32(), 13, 20);
        Assert.All(root.GetProperty("points").EnumerateArray(), p => Assert.True(p.GetProperty("exactCorrect").GetBoolean()));
    }
}
