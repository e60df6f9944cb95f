using System.Text.Json;
using Workbench.Experiments.Runner;
using Workbench.Experiments.Scaling;
using Workbench.Formal.Errors;
using static TorchSharp.torch;

namespace Workbench.Experiments.Tests;

/// <summary>`workbench scaling`: a tiny grid trains, resumes after a kill, fits, and reports E against the exact entropy rate.</summary>
public sealed class ScalingRunnerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("workbench-scaling-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static ScalingSpec Tiny => new ScalingSpec
    {
        Name = "tiny", Source = "parity", Model = "elman:activation=tanh", Hidden = [2, 4, 8], Tokens = [1500, 4000],
        Training = new TrainingSpec { BatchSize = 16, LearningRate = 0.01, Warmup = 5, MaxLength = 30 }, HeldOut = 200, Resamples = 20,
    }.Validated("tiny");

    [Fact]
    public void A_tiny_grid_trains_resumes_after_a_kill_and_fits_the_law()
    {
        var spec = Tiny;
        var cells = spec.Cells();
        string whole = Path.Combine(_directory, "whole"), killed = Path.Combine(_directory, "killed");
        var reference = ScalingRunner.Run(spec, cells, whole, CPU);
        Assert.Equal(6, reference.Count);
        Assert.All(reference, r =>
        {
            Assert.True(r.Tokens >= r.TokenBudget * 0.8, $"{r.Tokens} tokens for a budget of {r.TokenBudget}");
            Assert.Equal(6.0 * r.Parameters * r.Tokens, r.Flops);
            Assert.InRange(r.LossPerSymbol, 0.1, 2);
        });
        // N grows with the width: an Elman cell has d² + 2d recurrent parameters outside the embeddings and output layer.
        Assert.Equal(new long[] { 2 * 2 + 2, 4 * 4 + 4, 8 * 8 + 8 }, reference.Select(r => r.Parameters).Distinct().Order());

        using var kill = new CancellationTokenSource();
        var killer = new Progress(p => { if (p.CellNumber == 4 && p.Training is { Step: > 10 }) kill.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => ScalingRunner.Run(spec, cells, killed, CPU, killer, kill.Token));
        Assert.Equal(3, ScalingRunner.Collect([killed]).Count);
        var resumed = ScalingRunner.Run(spec, cells, killed, CPU);
        Assert.Equal(Fingerprint(reference), Fingerprint(resumed));

        var (report, _) = ScalingReport.Write(whole, spec, reference);
        string text = File.ReadAllText(report);
        Assert.Contains("## Fit with E free", text);
        Assert.Contains("The exact entropy rate of the source is", text);
        Assert.True(File.Exists(Path.Combine(whole, "loss-by-compute.png")));
        using var fits = JsonDocument.Parse(File.ReadAllText(Path.Combine(whole, "fits.json")));
        double rate = fits.RootElement.GetProperty("entropyRate").GetDouble();
        var parity = Languages.LanguageSuite.Get("parity");
        Assert.Equal(parity.Entropy!.Value / (((Formal.LanguageModels.IExpectedLengthModel)parity.Model).ExpectedLength().Value + 1), rate, 12);
        Assert.True(fits.RootElement.GetProperty("free").GetProperty("e").GetDouble() > 0);
    }

    [Fact]
    public void The_command_line_runs_a_spec_and_bad_specs_are_refused_by_name()
    {
        string path = Path.Combine(_directory, "spec.json");
        File.WriteAllText(path, JsonSerializer.Serialize(Tiny, ExperimentSpec.Json));
        var (code, output, error) = CliRunner.Run("scaling", path, "--out", Path.Combine(_directory, "cli"));
        Assert.True(code == 0, error);
        Assert.Contains("L(N, D) = ", output);
        Assert.True(File.Exists(Path.Combine(_directory, "cli", "report.md")));
        File.WriteAllText(path, "{\"source\": \"parity\", \"model\": \"lstm\", \"hidden\": [4], \"tokens\": [100]}");
        Assert.Contains("at least 6 cells", Assert.Throws<ParseException>(() => ScalingSpec.Read(path)).Message);
        File.WriteAllText(path, "{\"source\": \"dyck-9\", \"model\": \"lstm\", \"hidden\": [4], \"tokens\": [100]}");
        Assert.Contains("source: unknown language 'dyck-9'", Assert.Throws<ParseException>(() => ScalingSpec.Read(path)).Message);
    }

    private static string Fingerprint(IEnumerable<ScalingResult> results) =>
        string.Join("\n", results.OrderBy(r => (r.Hidden, r.TokenBudget, r.Seed)).Select(r => JsonSerializer.Serialize(r with { Seconds = 0 }, ExperimentSpec.Json)));

    private sealed class Progress(Action<ScalingProgress> action) : IProgress<ScalingProgress>
    {
        public void Report(ScalingProgress value) => action(value);
    }
}
