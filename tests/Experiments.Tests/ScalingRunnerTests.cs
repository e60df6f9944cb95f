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

        var (report, analyses) = ScalingReport.Write(whole, spec, reference);
        // Both prediction checks, each counting the predictions below the entropy rate that no model can reach.
        var analysis = analyses.Single();
        foreach (var check in new[] { analysis.Prediction, analysis.FixedPrediction }.Where(c => c is not null))
            Assert.Equal(check!.Errors.Count(e => e.Predicted < analysis.EntropyRate), check.BelowEntropyRate);
        Assert.Equal(analysis.Fixed is not null && analysis.Prediction is not null, analysis.FixedPrediction is not null);
        string text = File.ReadAllText(report);
        Assert.Contains("## Fit with E free", text);
        Assert.Contains("The exact entropy rate of the source is", text);
        Assert.DoesNotContain("side by side", text);
        Assert.True(File.Exists(Path.Combine(whole, "loss-by-compute-parity.png")));
        using var fits = JsonDocument.Parse(File.ReadAllText(Path.Combine(whole, "fits.json")));
        var parityFit = fits.RootElement.GetProperty("sources").EnumerateArray().Single();
        Assert.Equal("parity", parityFit.GetProperty("source").GetString());
        double rate = parityFit.GetProperty("entropyRate").GetDouble();
        var parity = Languages.LanguageSuite.Get("parity");
        Assert.Equal(parity.Entropy!.Value / (((Formal.LanguageModels.IExpectedLengthModel)parity.Model).ExpectedLength().Value + 1), rate, 12);
        Assert.True(parityFit.GetProperty("free").GetProperty("e").GetDouble() > 0);
    }

    [Fact]
    public void Sources_side_by_side_train_into_folders_of_their_own_and_are_fitted_apart()
    {
        // A one-source run of parity is a part of a two-source run: the same cells give the same numbers in their own folders.
        var both = Tiny with { Source = "", Sources = ["parity", "marked-copy"], Hidden = [2, 4, 8], Tokens = [1500, 4000] };
        both.Validated("both");
        var cells = both.Cells();
        Assert.Equal(12, cells.Count);
        Assert.Equal(2, cells.Select(c => Path.GetDirectoryName(c.Key)).Distinct().Count());
        string folder = Path.Combine(_directory, "both");
        var results = ScalingRunner.Run(both, cells, folder, CPU);
        var alone = ScalingRunner.Run(Tiny, Tiny.Cells(), Path.Combine(_directory, "alone"), CPU);
        Assert.Equal(Fingerprint(alone), Fingerprint(results.Where(r => r.Source == "parity")));

        var (report, analyses) = ScalingReport.Write(folder, both, results);
        Assert.Equal(["parity", "marked-copy"], analyses.Select(a => a.Source));
        // w#w's entropy rate: H = H(n) + E|w|·log 2 over E|y| + 1 = 8 predictions, both in closed form.
        var copy = analyses[1];
        Assert.Equal((Languages.ContextSensitiveLanguages.LengthEntropy + 3 * Math.Log(2)) / 8, copy.EntropyRate!.Value, 12);
        string text = File.ReadAllText(report);
        Assert.Contains("## The sources side by side", text);
        Assert.Contains("## marked-copy", text);
        Assert.Contains("### Fit with E free", text);
        Assert.True(File.Exists(Path.Combine(folder, "loss-by-parameters-marked-copy.png")));

        // Half a grid: the report names the source that waits for more cells, and fits the one that has them.
        var (partial, partialAnalyses) = ScalingReport.Write(folder, both, [.. results.Where(r => r.Source == "parity" || r.Hidden == 2)]);
        Assert.Single(partialAnalyses);
        Assert.Contains("Not fitted yet: marked-copy has 2 of the 6 (N, D) points", File.ReadAllText(partial));
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
        Assert.Contains("at least 6 (hidden, tokens) cells", Assert.Throws<ParseException>(() => ScalingSpec.Read(path)).Message);
        File.WriteAllText(path, "{\"source\": \"dyck-9\", \"model\": \"lstm\", \"hidden\": [4, 8], \"tokens\": [100, 200, 300]}");
        Assert.Contains("source: unknown language 'dyck-9'", Assert.Throws<ParseException>(() => ScalingSpec.Read(path)).Message);
        File.WriteAllText(path, "{\"sources\": [\"parity\", \"dyck-9\"], \"model\": \"lstm\", \"hidden\": [4, 8], \"tokens\": [100, 200, 300]}");
        Assert.Contains("sources[1]: unknown language 'dyck-9'", Assert.Throws<ParseException>(() => ScalingSpec.Read(path)).Message);
        File.WriteAllText(path, "{\"source\": \"parity\", \"sources\": [\"dyck-2\"], \"model\": \"lstm\", \"hidden\": [4, 8], \"tokens\": [100, 200, 300]}");
        Assert.Contains("either \"source\" or \"sources\"", Assert.Throws<ParseException>(() => ScalingSpec.Read(path)).Message);
        // Seeds are averaged into one point, so they do not count towards the six a fit needs.
        File.WriteAllText(path, "{\"source\": \"parity\", \"model\": \"lstm\", \"hidden\": [4, 8], \"tokens\": [100], \"seeds\": [1, 2, 3]}");
        Assert.Contains("at least 6 (hidden, tokens) cells", Assert.Throws<ParseException>(() => ScalingSpec.Read(path)).Message);
    }

    [Fact]
    public void A_learning_rate_sweep_trains_every_rate_and_each_point_takes_the_best()
    {
        var swept = Tiny with { Training = Tiny.Training with { LearningRates = [0.003, 0.03] } };
        swept.Validated("swept");
        var cells = swept.Cells();
        Assert.Equal(12, cells.Count);
        Assert.All(cells, c => Assert.Contains("__lr", c.Key, StringComparison.Ordinal));
        var results = ScalingRunner.Run(swept, cells, Path.Combine(_directory, "swept"), CPU);
        Assert.Equal([0.003, 0.03], results.Select(r => r.LearningRate!.Value).Distinct().Order());
        var points = ScalingReport.Points(results, "parity");
        Assert.Equal(6, points.Length);
        foreach (var group in results.GroupBy(r => (r.Hidden, r.TokenBudget)))
            Assert.Contains(points, p => p.Loss == group.Min(r => r.LossPerSymbol) && p.Parameters == group.First().Parameters);
        Assert.Contains("Each (N, D) point of the fits is the best learning rate's mean over seeds.", ScalingMarkdown.Report(swept, results, ScalingReport.Analyse(swept, results)));
        Assert.Throws<ParseException>(() => (Tiny with { Training = Tiny.Training with { LearningRates = [0.01, 0.01] } }).Validated("twice"));
    }

    [Fact]
    public void The_shipped_spec_compares_three_sources_with_exact_entropy_rates()
    {
        var spec = ScalingSpec.Read(Path.Combine(LengthLawChecks.RepositoryRoot(), "experiments", "scaling.json"));
        Assert.Equal(3 * 6 * 4, spec.Cells().Count);
        Assert.All(spec.SourceNames, source => Assert.NotNull(ScalingRunner.EntropyRate(Languages.LanguageSuite.Get(source))));
    }

    private static string Fingerprint(IEnumerable<ScalingResult> results) =>
        string.Join("\n", results.OrderBy(r => (r.Hidden, r.TokenBudget, r.Seed)).Select(r => JsonSerializer.Serialize(r with { Seconds = 0 }, ExperimentSpec.Json)));

    private sealed class Progress(Action<ScalingProgress> action) : IProgress<ScalingProgress>
    {
        public void Report(ScalingProgress value) => action(value);
    }
}
