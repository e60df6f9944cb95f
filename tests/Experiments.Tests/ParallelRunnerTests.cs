using Workbench.Experiments.Runner;
using static TorchSharp.torch;

namespace Workbench.Experiments.Tests;

/// <summary>
/// The runner's two ways of using the machine (issue 15, item 5): cells trained in a stack, and worker processes that claim
/// cells. Both must give the results of the plain run (to float rounding for the stack) and resume per cell.
/// </summary>
public sealed class ParallelRunnerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("workbench-parallel-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Three languages over alphabets of 2 and 3 symbols × Elman, LSTM and a transformer (which trains alone).</summary>
    private static ExperimentSpec Spec()
    {
        var smoke = ExperimentSpec.Read(Path.Combine(AppContext.BaseDirectory, "smoke.json"));
        return smoke with
        {
            Languages = ["parity", "anbn", "marked-reversal"],
            Architectures =
            [
                new ArchitectureSpec("elman", "elman:hidden=8,activation=tanh"),
                new ArchitectureSpec("lstm", "lstm:hidden=8"),
                new ArchitectureSpec("transformer", "transformer:hidden=8,layers=1,heads=2"),
            ],
            Training = smoke.Training with { Steps = 30, EvaluateEvery = 10 },
            Constructed = false,
            Sanity = false,
        };
    }

    /// <summary>Equal cells: the same counts, and measurements equal to float rounding.</summary>
    private static void AssertSameResults(IReadOnlyList<CellResult> expected, IReadOnlyList<CellResult> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (e, a) in expected.OrderBy(r => (r.Language, r.Architecture)).Zip(actual.OrderBy(r => (r.Language, r.Architecture))))
        {
            Assert.Equal((e.Language, e.Architecture, e.Steps, e.Tokens, e.StoppedEarly), (a.Language, a.Architecture, a.Steps, a.Tokens, a.StoppedEarly));
            Assert.True(Math.Abs(e.KlPerSymbol.Value - a.KlPerSymbol.Value) <= 1e-5, $"{e.Language} × {e.Architecture}: KL {a.KlPerSymbol.Value} vs {e.KlPerSymbol.Value}");
            Assert.True(Math.Abs(e.CrossEntropyPerSymbol - a.CrossEntropyPerSymbol) <= 1e-5, $"{e.Language} × {e.Architecture}: CE {a.CrossEntropyPerSymbol} vs {e.CrossEntropyPerSymbol}");
        }
    }

    [Fact]
    public void Stacked_cells_give_the_results_of_cells_trained_one_by_one_and_resume_after_a_kill()
    {
        var spec = Spec();
        var cells = ExperimentGrid.Cells(spec);
        var alone = ExperimentRunner.Run(spec, cells, Path.Combine(_directory, "alone"), CPU);

        // The Elman cells of the three languages make one stack (2- and 3-symbol alphabets pad); on the CPU the LSTMs and the
        // transformers train alone.
        var stacks = new List<(string Architecture, int Stacked)>();
        var recorder = new RunnerTests.Callback(p => { if (p.Training is null) stacks.Add((p.Cell.Architecture, p.Stacked)); });
        var stacked = ExperimentRunner.Run(spec, cells, Path.Combine(_directory, "stacked"), CPU, recorder, options: new RunnerOptions(Stack: 8));
        Assert.Equal([("elman", 3), ("lstm", 1), ("transformer", 1), ("lstm", 1), ("transformer", 1), ("lstm", 1), ("transformer", 1)], stacks);
        AssertSameResults(alone, stacked);

        // A stack of two (the third Elman cell trains in the next one), killed in its first stack after the first checkpoint.
        string killed = Path.Combine(_directory, "killed");
        using var kill = new CancellationTokenSource();
        var killer = new RunnerTests.Callback(p => { if (p.Training is { Step: 15 }) kill.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => ExperimentRunner.Run(spec, cells, killed, CPU, killer, kill.Token, new RunnerOptions(Stack: 2)));
        Assert.Empty(ExperimentRunner.Collect([killed]));
        AssertSameResults(alone, ExperimentRunner.Run(spec, cells, killed, CPU, options: new RunnerOptions(Stack: 2)));
    }

    [Fact]
    public void Cells_that_cannot_stack_have_no_stack_key()
    {
        var spec = Spec();
        var cuda = new Device(TorchSharp.DeviceType.CUDA);
        var keys = ExperimentGrid.Cells(spec).Select(cell => ExperimentRunner.StackKey(spec, cell, cuda)).ToArray();
        Assert.StartsWith("elman", keys[0], StringComparison.Ordinal);
        Assert.StartsWith("lstm", keys[1], StringComparison.Ordinal);
        var onCpu = ExperimentGrid.Cells(spec).Select(cell => ExperimentRunner.StackKey(spec, cell, CPU)).ToArray();
        Assert.Equal(keys[0], onCpu[0]);
        Assert.Null(onCpu[1]); // an LSTM alone runs libtorch's fused recurrence, faster on the CPU than a stack
        Assert.Null(keys[2]); // the transformer
        Assert.Equal(keys[0], keys[3]); // parity and anbn
        Assert.Equal(keys[0], keys[6]); // 2 and 3 symbols stack under softmax
        var sparse = spec with { Architectures = [new ArchitectureSpec("elman", "elman:hidden=8,output=sparsemax")] };
        var sparseKeys = ExperimentGrid.Cells(sparse).Select(cell => ExperimentRunner.StackKey(sparse, cell, CPU)).ToArray();
        Assert.Equal(sparseKeys[0], sparseKeys[1]);
        Assert.NotEqual(sparseKeys[0], sparseKeys[2]); // sparsemax stacks only equal alphabets
        var dropout = spec with { Training = spec.Training with { Dropout = 0.1 } };
        Assert.All(ExperimentGrid.Cells(dropout), cell => Assert.Null(ExperimentRunner.StackKey(dropout, cell, cuda)));
        var withBaselines = spec with { Constructed = true, Sanity = true };
        Assert.All(ExperimentGrid.Cells(withBaselines).Where(c => c.Kind != CellKind.Trained), cell => Assert.Null(ExperimentRunner.StackKey(withBaselines, cell, cuda)));
    }

    [Fact]
    public void Workers_claim_the_costliest_units_first_and_keep_grid_order_among_equals()
    {
        var spec = Spec() with
        {
            Architectures = [.. Spec().Architectures, new ArchitectureSpec("wide-elman", "elman:hidden=16"), new ArchitectureSpec("stack", "stackrnn:hidden=8,stack=4,cell=2")],
            Constructed = true,
            Sanity = true,
        };
        var cells = ExperimentGrid.Cells(spec);
        string?[] alone = new string?[cells.Count];
        string Name(int i) => $"{cells[i].Language}/{cells[i].Architecture}";
        string[] languages = ["parity", "anbn", "marked-reversal"];
        string[] baselines = [.. cells.Where(c => c.Kind != CellKind.Trained).Select(c => $"{c.Language}/{c.Architecture}")];
        // Costs relative to an 8-wide Elman cell: stack RNN 5, transformer 2.6, wide Elman 2, LSTM 1.4, Elman 1, baselines 0.
        Assert.Equal(
            [.. languages.Select(l => l + "/stack"), .. languages.Select(l => l + "/transformer"), .. languages.Select(l => l + "/wide-elman"),
             .. languages.Select(l => l + "/lstm"), .. languages.Select(l => l + "/elman"), .. baselines],
            ClaimOrder.Of(cells, alone, stack: 1).Select(Name));

        // Stacked, the three Elman cells are one unit of cost 3, which goes before the lone cells it outweighs; cells of a stack
        // stay together in grid order, and a stack of two leaves the third Elman cell a unit of its own.
        string?[] keys = [.. cells.Select(c => c.Architecture == "elman" ? "elman" : null)];
        Assert.Equal(
            [.. languages.Select(l => l + "/stack"), .. languages.Select(l => l + "/elman"), .. languages.Select(l => l + "/transformer"),
             .. languages.Select(l => l + "/wide-elman"), .. languages.Select(l => l + "/lstm"), .. baselines],
            ClaimOrder.Of(cells, keys, stack: 8).Select(Name));
        Assert.Equal(
            [.. languages.Select(l => l + "/stack"), .. languages.Select(l => l + "/transformer"), "parity/elman", "anbn/elman",
             .. languages.Select(l => l + "/wide-elman"), .. languages.Select(l => l + "/lstm"), "marked-reversal/elman", .. baselines],
            ClaimOrder.Of(cells, keys, stack: 2).Select(Name));
        Assert.Equal(Enumerable.Range(0, cells.Count), ClaimOrder.Of(cells, keys, stack: 3).Order());

        // A worker runs its claims in that order; one process keeps the grid's.
        var small = Spec() with { Languages = ["parity", "anbn"] };
        var started = new List<string>();
        var recorder = new RunnerTests.Callback(p => { if (p.Training is null) started.Add($"{p.Cell.Language}/{p.Cell.Architecture}"); });
        ExperimentRunner.Run(small, ExperimentGrid.Cells(small), Path.Combine(_directory, "claiming"), CPU, recorder, options: new RunnerOptions(ClaimCells: true));
        Assert.Equal(["parity/transformer", "anbn/transformer", "parity/lstm", "anbn/lstm", "parity/elman", "anbn/elman"], started);
    }

    [Fact]
    public void A_cell_is_claimed_once_until_the_claims_are_cleared()
    {
        string cell = Path.Combine(_directory, "claims", "cells", "a");
        Assert.True(CellClaims.TryClaim(cell));
        Assert.False(CellClaims.TryClaim(cell));
        CellClaims.Clear(Path.Combine(_directory, "claims"));
        Assert.True(CellClaims.TryClaim(cell));
        CellClaims.Clear(Path.Combine(_directory, "no-such-run"));
    }

    [Fact]
    public void Worker_processes_share_the_grid_and_give_the_results_of_one_process()
    {
        var spec = Spec() with { Languages = ["parity", "anbn"] };
        string specPath = Path.Combine(_directory, "spec.json");
        File.WriteAllText(specPath, System.Text.Json.JsonSerializer.Serialize(spec, ExperimentSpec.Json));
        var cells = ExperimentGrid.Cells(spec);
        var reference = ExperimentRunner.Run(spec, cells, Path.Combine(_directory, "one"), CPU);

        string pooled = Path.Combine(_directory, "pooled");
        var (code, output, error) = CliRunner.Run("run", specPath, "--out", pooled, "--device", "cpu", "--jobs", "2", "--stack", "2");
        Assert.True(code == 0, error + output);
        AssertSameResults(reference, ExperimentRunner.Collect([pooled]));
        Assert.True(File.Exists(Path.Combine(pooled, "report.md")));
        var logs = Directory.GetFiles(Path.Combine(pooled, WorkerPool.LogFolder));
        Assert.Equal(2, logs.Length);
        Assert.Empty(Directory.GetFiles(Path.Combine(pooled, "cells"), "*.tmp", SearchOption.AllDirectories));

        // Run again: every cell is finished, the workers only read them, and stale claims do not block a resumed run.
        (code, _, error) = CliRunner.Run("run", specPath, "--out", pooled, "--device", "cpu", "--jobs", "2");
        Assert.True(code == 0, error);
        AssertSameResults(reference, ExperimentRunner.Collect([pooled]));
    }

    [Fact]
    public void A_failing_worker_fails_the_run_with_its_log()
    {
        var spec = Spec() with { Languages = ["parity"], Architectures = [Spec().Architectures[0]] };
        string specPath = Path.Combine(_directory, "failing.json"), run = Path.Combine(_directory, "failing");
        File.WriteAllText(specPath, System.Text.Json.JsonSerializer.Serialize(spec, ExperimentSpec.Json));
        string cell = ExperimentRunner.CellFolder(run, ExperimentGrid.Cells(spec)[0]);
        Directory.CreateDirectory(cell);
        File.WriteAllText(Path.Combine(cell, Neural.Training.Trainer.CheckpointFile), "not a checkpoint");
        var (code, _, error) = CliRunner.Run("run", specPath, "--out", run, "--device", "cpu", "--jobs", "2");
        Assert.NotEqual(0, code);
        Assert.Contains("1 of 2 workers failed", error, StringComparison.Ordinal);
        Assert.Contains("damaged checkpoint", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worker_whose_coordinator_is_gone_stops_and_leaves_its_cell_unfinished_with_its_checkpoint()
    {
        var spec = Spec() with { Languages = ["parity"], Architectures = [Spec().Architectures[1]], Training = Spec().Training with { Steps = 100_000, EvaluateEvery = 10 } };
        string specPath = Path.Combine(_directory, "orphan.json"), run = Path.Combine(_directory, "orphan");
        File.WriteAllText(specPath, System.Text.Json.JsonSerializer.Serialize(spec, ExperimentSpec.Json));
        string cell = ExperimentRunner.CellFolder(run, ExperimentGrid.Cells(spec)[0]);
        var info = WorkerPool.StartInfo(["run", specPath, "--out", run, "--device", "cpu", "--worker"]);
        using var worker = System.Diagnostics.Process.Start(info)!;
        var errors = new System.Text.StringBuilder();
        worker.ErrorDataReceived += (_, line) => { if (line.Data is not null) lock (errors) errors.AppendLine(line.Data); };
        worker.BeginErrorReadLine();
        worker.BeginOutputReadLine();
        // Once the cell has a checkpoint, the coordinator "dies": the worker's end of the pipe closes.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(cell, Neural.Training.Trainer.CheckpointFile)) && clock.Elapsed < TimeSpan.FromMinutes(2))
            Thread.Sleep(50);
        Assert.True(File.Exists(Path.Combine(cell, Neural.Training.Trainer.CheckpointFile)), "the worker wrote no checkpoint within two minutes");
        worker.StandardInput.Close();
        Assert.True(worker.WaitForExit(TimeSpan.FromMinutes(1)), "the worker kept running after its coordinator was gone");
        Assert.Equal(WorkerPool.CoordinatorGoneExitCode, worker.ExitCode);
        worker.WaitForExit();
        Assert.Contains("coordinating", errors.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(cell, ExperimentRunner.ResultFile)));
        Assert.True(File.Exists(Path.Combine(cell, Neural.Training.Trainer.CheckpointFile)));
    }

    [Theory]
    [InlineData("--jobs", "0")]
    [InlineData("--stack", "0")]
    public void Nonpositive_jobs_and_stacks_are_refused_by_name(string option, string value)
    {
        string specPath = Path.Combine(AppContext.BaseDirectory, "smoke.json");
        var (code, _, error) = CliRunner.Run("run", specPath, "--out", Path.Combine(_directory, "refused"), option, value);
        Assert.NotEqual(0, code);
        Assert.Contains(option + " 0", error, StringComparison.Ordinal);
    }
}
