using System.Text.Json;

namespace Workbench.Experiments.Tests;

public sealed class TrainCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("workbench-train-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Example => Path.Combine(AppContext.BaseDirectory, "even-as.att");

    private (int Code, JsonElement Result) Train(string folder, int steps)
    {
        var (code, output, error) = CliRunner.Run("train", "--source", $"fsa:{Example}", "--model", "gru:hidden=8", "--steps", $"{steps}",
            "--eval-every", "20", "--held-out", "200", "--device", "cpu", "--out", folder, "--json");
        Assert.True(code == 0, error);
        return (code, JsonDocument.Parse(output).RootElement);
    }

    [Fact]
    public void Every_optimiser_and_schedule_trains_from_the_command_line()
    {
        foreach (var (optimizer, schedule) in new[] { ("sgd", "constant"), ("adam", "linear"), ("lion", "warmupstabledecay"), ("adamw", "inversesqrt") })
        {
            var (code, output, error) = CliRunner.Run("train", "--source", $"fsa:{Example}", "--model", "elman:hidden=4", "--steps", "20", "--eval-every", "10",
                "--optimizer", optimizer, "--schedule", schedule, "--label-smoothing", "0.1", "--dropout", "0.1", "--out", Path.Combine(_directory, optimizer), "--json");
            Assert.True(code == 0, error);
            Assert.Equal(2, JsonDocument.Parse(output).RootElement.GetProperty("evaluations").GetArrayLength());
        }
    }

    [Fact]
    public void A_suite_language_trains_a_tied_network_in_bfloat16_and_the_saved_model_keeps_the_tie()
    {
        string folder = Path.Combine(_directory, "suite");
        var (code, output, error) = CliRunner.Run("train", "--source", "language:parity", "--model", "lstm:hidden=8,tie=true", "--steps", "20", "--eval-every", "10",
            "--precision", "bfloat16", "--held-out", "100", "--out", folder, "--json");
        Assert.True(code == 0, error);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal(2, result.GetProperty("evaluations").GetArrayLength());
        // parity's exact entropy is known, so the KL is measured; the tie removes the |Σ|·D input rows from the count.
        Assert.True(result.GetProperty("evaluations")[1].GetProperty("klPerSymbol").GetProperty("value").GetDouble() >= 0);
        Assert.Equal(3 * (8 + 1), result.GetProperty("parameters").GetProperty("embedding").GetInt32());
        var (describeCode, described, describeError) = CliRunner.Run("lm", "score", $"neural:{Path.Combine(folder, "model.wbm")}", "0 1 1", "--json");
        Assert.True(describeCode == 0, describeError);
        Assert.Contains("logProbability", described);
        var (unknownCode, _, unknown) = CliRunner.Run("train", "--source", "language:no-such", "--model", "lstm:hidden=4", "--out", Path.Combine(_directory, "x"));
        Assert.NotEqual(0, unknownCode);
        Assert.Contains("no-such", unknown);
    }

    [Fact]
    public void Train_writes_metrics_and_a_model_that_every_lm_command_accepts()
    {
        string folder = Path.Combine(_directory, "run");
        var (_, result) = Train(folder, 40);
        var evaluations = result.GetProperty("evaluations");
        Assert.Equal(2, evaluations.GetArrayLength());
        Assert.True(evaluations[1].GetProperty("klPerString").GetProperty("value").GetDouble() < 1);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(folder, "metrics.jsonl")).Length);

        string model = $"neural:{Path.Combine(folder, "model.wbm")}";
        var (scoreCode, score, _) = CliRunner.Run("lm", "score", model, "a a b", "--json");
        Assert.Equal(0, scoreCode);
        Assert.Contains("logProbability", score);
        var (tightCode, tight, _) = CliRunner.Run("lm", "tightness", model, "--json");
        Assert.Equal(0, tightCode);
        Assert.Equal("tight", JsonDocument.Parse(tight).RootElement.GetProperty("verdict").GetString());
        var (sampleCode, _, _) = CliRunner.Run("lm", "sample", model, "--seed", "1", "--json");
        Assert.Equal(0, sampleCode);
    }

    [Fact]
    public void Rerunning_a_finished_folder_resumes_to_the_same_numbers_and_a_longer_run_continues()
    {
        string folder = Path.Combine(_directory, "resume");
        var (_, first) = Train(folder, 40);
        var (_, again) = Train(folder, 40);
        Assert.Equal(first.GetProperty("evaluations").ToString(), again.GetProperty("evaluations").ToString());
        var (_, longer) = Train(folder, 60);
        Assert.Equal(3, longer.GetProperty("evaluations").GetArrayLength());
    }

    [Theory]
    [InlineData("--model", "mlp:hidden=4", "model spec 'mlp:hidden=4'")]
    [InlineData("--model", "rnn:hidden=4,activation=relu", "the rnn kind is libtorch's tanh RNN")]
    [InlineData("--steps", "0", "Steps")]
    [InlineData("--device", "tpu", "--device must be auto, cpu or cuda")]
    [InlineData("--label-smoothing", "1.5", "LabelSmoothing")]
    [InlineData("--momentum", "1", "Momentum")]
    [InlineData("--lr-decay", "1", "LearningRateDecayFactor")]
    [InlineData("--lr-patience", "-1", "LearningRatePatience")]
    [InlineData("--model", "lstm:hidden=4,output=sparsemax", "label smoothing needs softmax outputs")]
    public void Bad_options_are_reported(string option, string value, string expected)
    {
        var arguments = new List<string> { "train", "--source", $"fsa:{Example}", "--model", "lstm:hidden=4", "--out", Path.Combine(_directory, "bad") };
        if (value.Contains("sparsemax", StringComparison.Ordinal))
            arguments.AddRange(["--label-smoothing", "0.1"]);
        int at = arguments.IndexOf(option);
        if (at >= 0)
            arguments[at + 1] = value;
        else
            arguments.AddRange([option, value]);
        var (code, _, error) = CliRunner.Run([.. arguments]);
        Assert.Equal(2, code);
        Assert.Contains(expected, error);
    }
}
