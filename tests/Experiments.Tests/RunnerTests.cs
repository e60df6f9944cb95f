using System.Text.Json;
using Workbench.Experiments.Runner;
using Workbench.Formal.Errors;
using static TorchSharp.torch;

namespace Workbench.Experiments.Tests;

public sealed class RunnerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("workbench-runner-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static ExperimentSpec Smoke => ExperimentSpec.Read(Path.Combine(AppContext.BaseDirectory, "smoke.json"));

    private static string Fingerprint(IEnumerable<CellResult> results) =>
        string.Join("\n", results.OrderBy(r => (r.Language, r.Architecture, r.Seed))
            .Select(r => JsonSerializer.Serialize(r with { Seconds = 0 }, ExperimentSpec.Json)));

    [Fact]
    public void A_killed_run_resumes_and_shards_merge_to_the_same_results_as_one_run()
    {
        var spec = Smoke;
        var cells = ExperimentGrid.Cells(spec);
        string whole = Path.Combine(_directory, "whole");
        var reference = ExperimentRunner.Run(spec, cells, whole, CPU);
        Assert.Equal(cells.Count, reference.Count);
        Assert.Equal(Fingerprint(reference), Fingerprint(ExperimentRunner.Run(spec, cells, whole, CPU)));

        // Kill during the fifth cell's training (anbn × lstm, after its first checkpoint), then run again.
        string killed = Path.Combine(_directory, "killed");
        using var kill = new CancellationTokenSource();
        var killer = new Callback(p => { if (p.CellNumber == 5 && p.Training is { Step: 25 }) kill.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => ExperimentRunner.Run(spec, cells, killed, CPU, killer, kill.Token));
        Assert.Equal(4, ExperimentRunner.Collect([killed]).Count);
        Assert.Equal(Fingerprint(reference), Fingerprint(ExperimentRunner.Run(spec, cells, killed, CPU)));

        // Two shards in two folders merge into the same results.
        string first = Path.Combine(_directory, "shard0"), second = Path.Combine(_directory, "shard1");
        ExperimentRunner.Run(spec, ExperimentGrid.Shard(cells, "0/2"), first, CPU);
        ExperimentRunner.Run(spec, ExperimentGrid.Shard(cells, "1/2"), second, CPU);
        Assert.Equal(Fingerprint(reference), Fingerprint(ExperimentRunner.Collect([first, second])));
    }

    [Fact]
    public void The_sanity_cell_covers_zero_and_the_constructed_cell_is_exact()
    {
        var spec = Smoke with { Architectures = [] };
        var results = ExperimentRunner.Run(spec, ExperimentGrid.Cells(spec), Path.Combine(_directory, "baselines"), CPU);
        var sanity = results.Where(r => r.Kind == nameof(CellKind.Sanity)).ToArray();
        Assert.Equal(spec.Languages.Length, sanity.Length);
        Assert.All(sanity, r => Assert.True(r.KlFromEntropy!.Covers(0), $"{r.Language}: CE − H = {r.KlFromEntropy} does not cover 0"));
        // The source's own samples are all in its language: samples cut by the cap are counted apart, not as errors.
        Assert.All(sanity, r => Assert.Equal(1.0, r.SupportAccuracy));
        Assert.Equal(1.0, Assert.Single(ExperimentRunner.Run(spec with { Languages = ["dyck-1"] }, ExperimentGrid.Cells(spec with { Languages = ["dyck-1"] }),
            Path.Combine(_directory, "dyck"), CPU), r => r.Kind == nameof(CellKind.Sanity)).SupportAccuracy);
        var minsky = Assert.Single(results, r => r.Kind == nameof(CellKind.Constructed));
        Assert.Equal("parity", minsky.Language);
        Assert.True(Math.Abs(minsky.KlPerString.Value) < 1e-9, $"the Minsky RNN differs from its PFSA by {minsky.KlPerString}");
        Assert.Equal(1.0, minsky.NextSymbolSetAccuracy);
    }

    [Fact]
    public void Languages_can_be_pfsa_and_grammar_files()
    {
        var pfsa = Path.Combine(_directory, "even-as.att");
        File.WriteAllText(pfsa, "0\t1\ta\t0.6931471805599453\n0\t0\tb\t1.3862943611198906\n0\t1.3862943611198906\n1\t0\ta\t0\n");
        var grammar = Path.Combine(_directory, "anbn.cfg");
        File.WriteAllText(grammar, "S -> 'a' S 'b' [0.4] | 'a' 'b' [0.6]\n");
        var spec = Smoke with { Languages = [$"fsa:{pfsa}", $"cfg:{grammar}"], Architectures = [] };
        var results = ExperimentRunner.Run(spec.Validated("files"), ExperimentGrid.Cells(spec), Path.Combine(_directory, "files"), CPU);
        var sanity = results.Where(r => r.Kind == nameof(CellKind.Sanity)).ToArray();
        Assert.Equal(2, sanity.Length);
        Assert.All(sanity, r => Assert.Equal(0, r.KlPerString.Value, 12));
        Assert.All(sanity, r => Assert.Equal(1.0, r.SupportAccuracy));
        // The PFSA has an exact entropy and a Minsky baseline; a grammar file has no exact entropy, so only the paired KL.
        Assert.NotNull(Assert.Single(sanity, r => r.Language.StartsWith("fsa:")).KlFromEntropy);
        Assert.Null(Assert.Single(sanity, r => r.Language.StartsWith("cfg:")).KlFromEntropy);
        Assert.Single(results, r => r.Kind == nameof(CellKind.Constructed));
    }

    [Fact]
    public void The_report_rebuilds_from_results_alone()
    {
        string run = Path.Combine(_directory, "run");
        var spec = Smoke with { Languages = ["parity"], Seeds = [1] };
        ExperimentRunner.Run(spec, ExperimentGrid.Cells(spec), run, CPU);
        var (code, output, error) = CliRunner.Run("report", run, "--out", Path.Combine(_directory, "report"));
        Assert.True(code == 0, error);
        Assert.Contains("parity", output);
        string markdown = File.ReadAllText(Path.Combine(_directory, "report", "report.md"));
        Assert.Contains("## KL per symbol (nats)", markdown);
        Assert.True(File.Exists(Path.Combine(_directory, "report", "kl-by-length-parity.png")));
        Assert.Equal(ExperimentGrid.Cells(spec).Count + 1, File.ReadAllLines(Path.Combine(_directory, "report", "summary.csv")).Length);
    }

    [Fact]
    public void A_learning_rate_sweep_trains_one_cell_per_rate_and_the_report_picks_the_best_rate()
    {
        var spec = Smoke with
        {
            Languages = ["parity"],
            Architectures = [new ArchitectureSpec("stack", "stackrnn:hidden=8,stack=4,cell=2")],
            Training = Smoke.Training with { LearningRates = [0.01, 0.03], Steps = 40, EvaluateEvery = 10, Patience = 1 },
            Constructed = false,
        };
        var cells = ExperimentGrid.Cells(spec.Validated("sweep"));
        Assert.Equal([0.01, 0.03, null], cells.Select(c => c.LearningRate));
        Assert.Equal(cells.Count, cells.Select(c => c.Key).Distinct().Count());
        string run = Path.Combine(_directory, "sweep");
        var results = ExperimentRunner.Run(spec, cells, run, CPU);
        var trained = results.Where(r => r.Kind == nameof(CellKind.Trained)).ToArray();
        Assert.Equal([0.01, 0.03], trained.Select(r => r.LearningRate).Order());
        Assert.All(trained, r => Assert.True(r.Swept && r.Steps is > 0 and <= 40));
        var summary = Assert.Single(ExperimentReport.Summarise(results), s => s.Architecture == "stack");
        var best = trained.MinBy(r => r.KlPerSymbol.Value)!;
        Assert.Equal(best.LearningRate, summary.LearningRate);
        Assert.Equal(best.KlPerSymbol.Value, summary.BestKlPerSymbol);
        var (code, _, error) = CliRunner.Run("report", run, "--out", Path.Combine(_directory, "sweep-report"));
        Assert.True(code == 0, error);
        Assert.Contains("## Learning rate with the lowest mean KL", File.ReadAllText(Path.Combine(_directory, "sweep-report", "report.md")));
        Assert.EndsWith("learning_rate,stopped_early,recognition_test_accuracy,recognition_validation_accuracy", File.ReadLines(Path.Combine(_directory, "sweep-report", "summary.csv")).First());
        // The invalid rates are refused by name.
        Assert.Contains("learningRates", Assert.Throws<ParseException>(() => (spec with { Training = spec.Training with { LearningRates = [0.01, 0.01] } }).Validated("twice")).Message);
        // So are the plateau cuts', and valid ones reach the cells' options.
        Assert.Contains("training.learningRateDecayFactor", Assert.Throws<ParseException>(() => (spec with { Training = spec.Training with { LearningRatePatience = 5, LearningRateDecayFactor = 1.5 } }).Validated("grows")).Message);
        var cut = ExperimentSpec.Options(spec.Training with { LearningRatePatience = 5, LearningRateDecayFactor = 0.25 }, 1, null);
        Assert.Equal((5, 0.25), (cut.LearningRatePatience, cut.LearningRateDecayFactor));
    }

    [Fact]
    public void A_recognition_spec_trains_recognizers_measures_their_accuracy_and_resumes()
    {
        var spec = Smoke with
        {
            Languages = ["parity", "dyck-1"],
            Architectures = [new ArchitectureSpec("lstm", "lstm:hidden=8")],
            Training = Smoke.Training with { Steps = 60, EvaluateEvery = 20, ParameterBudget = 2_000 },
            Recognition = new RecognitionSpec { LanguageModeling = 0.5, NextSymbols = 0.5, TrainingExamples = 300, ValidationExamples = 60, TestPerLength = 2, TestMaxLength = 60 },
            Constructed = false,
            Sanity = false,
        };
        var cells = ExperimentGrid.Cells(spec.Validated("recognition"));
        string run = Path.Combine(_directory, "recognition");
        var results = ExperimentRunner.Run(spec, cells, run, CPU);
        Assert.All(results, r =>
        {
            var recognition = Assert.IsType<RecognitionResult>(r.Recognition);
            Assert.Equal(2 * 61, recognition.TestStrings);
            Assert.InRange(recognition.TestAccuracy, 0, 1);
            // The bins partition the test strings: 0–10, 11–20, 21–40 of the smoke spec (lengths 41–60 fall outside every bin).
            Assert.Equal(2 * 41, recognition.Bins.Sum(b => b.Strings));
            // The budget replaced the hidden size, and the result names the network that was trained.
            Assert.StartsWith("lstm:hidden=", r.Model);
            Assert.True(Neural.Recognition.ParameterBudget.Parameters(Neural.Architecture.NeuralArchitecture.Parse(r.Model!), Languages.LanguageSuite.Get(r.Language).Model.Alphabet) <= 2_000);
            Assert.Equal(60, r.Steps);
        });
        // Dyck-1 has no strings of odd length: its test set has positives only at even lengths.
        Assert.True(results.Single(r => r.Language == "dyck-1").Recognition!.TestPositives <= 31 * 2);
        Assert.Equal(Fingerprint(results), Fingerprint(ExperimentRunner.Run(spec, cells, run, CPU)));
        var (code, _, error) = CliRunner.Run("report", run, "--out", Path.Combine(_directory, "recognition-report"));
        Assert.True(code == 0, error);
        string report = File.ReadAllText(Path.Combine(_directory, "recognition-report", "report.md"));
        Assert.Contains("## Recognition accuracy on the test strings", report);
        Assert.Contains(FormattableString.Invariant($"| parity | R | {results.Single(r => r.Language == "parity").Recognition!.TestAccuracy:F3} / "), report);
        Assert.EndsWith("recognition_test_accuracy,recognition_validation_accuracy", File.ReadLines(Path.Combine(_directory, "recognition-report", "summary.csv")).First());
        Assert.True(File.Exists(Path.Combine(_directory, "recognition-report", "learning-curve-parity.png")));
    }

    [Theory]
    [InlineData("{\"languages\": [\"parity\", \"dyck-9\"], \"architectures\": [{\"name\": \"l\", \"model\": \"lstm\"}]}", "languages[1]: unknown language 'dyck-9'")]
    [InlineData("{\"languages\": [\"parity\"], \"architectures\": [{\"name\": \"l\", \"model\": \"lstm:size=3\"}]}", "architectures[0].model")]
    [InlineData("{\"languages\": [\"parity\"], \"architectures\": [{\"name\": \"l\", \"model\": \"lstm\"}], \"colour\": 1}", "colour")]
    [InlineData("{\"languages\": [], \"architectures\": []}", "\"languages\" is empty")]
    [InlineData("{\"languages\": [\"parity\", \"anbn\"], \"architectures\": [{\"name\": \"l\", \"model\": \"lstm\"}], \"evaluation\": {\"lengthBins\": [[0, 5000]]}}", "languages[1] ('anbn') samples lengths up to 4096, below the longest length bin (5000)")]
    [InlineData("{\"languages\": [\"parity\"], \"architectures\": [{\"name\": \"l\", \"model\": \"lstm\"}], \"recognition\": {\"nextSymbols\": -1}}", "recognition.languageModeling and recognition.nextSymbols")]
    [InlineData("{\"languages\": [\"anbn\"], \"architectures\": [{\"name\": \"l\", \"model\": \"lstm\"}], \"recognition\": {\"testMaxLength\": 5000}}", "below the longest recognition length (5000)")]
    [InlineData("{\"languages\": [\"parity\"], \"architectures\": [{\"name\": \"l\", \"model\": \"lstm\"}], \"training\": {\"parameterBudget\": 0}}", "training.parameterBudget")]
    [InlineData("{\"languages\": [\"parity\"], \"architectures\": [{\"name\": \"l\", \"model\": \"lstm\"}], \"training\": {\"optimizer\": \"rmsprop\"}}", "$.training.optimizer")]
    [InlineData("{\"languages\": [\"parity\"], \"architectures\": [{\"name\": \"l\", \"model\": \"lstm\"}], \"training\": {\"labelSmoothing\": 2}}", "training.labelSmoothing")]
    [InlineData("{\"languages\": [\"parity\"], \"architectures\": [{\"name\": \"l\", \"model\": \"lstm\"}], \"training\": {\"dropout\": 0.1}, \"recognition\": {}}", "not to recognizers")]
    [InlineData("{\"languages\": [\"parity\"], \"architectures\": [{\"name\": \"l\", \"model\": \"lstm\"}], \"training\": {\"precision\": \"bfloat16\"}, \"recognition\": {}}", "not to recognizers")]
    [InlineData("{\"languages\": [\"parity\"], \"architectures\": [{\"name\": \"l\", \"model\": \"lstm\"}], \"training\": {\"precision\": \"half\"}}", "$.training.precision")]
    public void Bad_specs_are_reported_with_their_place(string json, string expected)
    {
        string path = Path.Combine(_directory, "bad.json");
        File.WriteAllText(path, json);
        var error = Assert.Throws<ParseException>(() => ExperimentSpec.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
        Assert.Throws<ParseException>(() => ExperimentGrid.Shard<Cell>([], "2/2"));
    }

    [Theory]
    [InlineData("default.json", 31)]
    [InlineData("chomsky.json", 97)]
    [InlineData("rank.json", 35)]
    [InlineData("pe.json", 28)]
    [InlineData("smoke.json", 7)]
    [InlineData("deletang.json", 23 * 6 * 3 * 3 + 7 + 23)]
    [InlineData("flare.json", 18 * 3 * 3 * 3)]
    public void Shipped_specs_are_valid(string file, int cells)
    {
        var spec = ExperimentSpec.Read(Path.Combine(LengthLawChecks.RepositoryRoot(), "experiments", file));
        Assert.Equal(cells, ExperimentGrid.Cells(spec).Count);
    }

    internal sealed class Callback(Action<RunnerProgress> action) : IProgress<RunnerProgress>
    {
        public void Report(RunnerProgress value) => action(value);
    }
}
