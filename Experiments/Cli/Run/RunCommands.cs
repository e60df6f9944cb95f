using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Workbench.Experiments.Runner;

namespace Workbench.Experiments.Cli.Run;

/// <summary>`workbench run SPEC` and `workbench report DIR…`: the experiment runner and its reports.</summary>
internal static class RunCommands
{
    public static Command CreateRun(CliContext context)
    {
        var spec = new Argument<FileInfo>("SPEC") { Description = "An experiment spec (JSON): languages × architectures × seeds, training budget, evaluation (see experiments/*.json)." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Output folder (default runs/NAME). A folder with finished cells resumes: they are skipped." };
        var shard = new Option<string?>("--shard") { Description = "Run only shard i/n of the grid (cells whose position is i mod n); `workbench report` merges shard folders." };
        var device = new Option<string>("--device") { Description = "auto (CUDA when available), cpu or cuda[:N].", DefaultValueFactory = _ => "auto" };
        var stack = new Option<int>("--stack")
        {
            Description = "Train up to this many cells of one Elman, LSTM or GRU architecture as one batched model (each step equals the lone cell's to float rounding, which long trainings can amplify; each cell keeps its own checkpoint). LSTM and GRU cells stack only on CUDA: on a CPU they are faster alone (docs/neural.md). 1 trains each alone.",
            DefaultValueFactory = _ => 1,
        };
        var jobs = new Option<int>("--jobs")
        {
            Description = "Run the grid in this many worker processes on one libtorch thread each, which take cells as they free up (their logs: OUT/workers/). 1 runs in this process.",
            DefaultValueFactory = _ => 1,
        };
        var worker = new Option<bool>("--worker") { Description = "Internal: run as one of --jobs workers, taking only the cells this process claims first; standard input is the coordinator's pipe, and at its end the worker stops.", Hidden = true };
        var command = new Command("run", "Run an experiment: train every cell, measure KL, length generalisation, support and next-symbol accuracy, write JSON results and the report.") { spec, output, shard, device, stack, jobs, worker };
        command.SetAction(result =>
        {
            var experiment = ExperimentSpec.Read(result.GetValue(spec)!.FullName);
            string folder = result.GetValue(output)?.FullName ?? Path.GetFullPath(Path.Combine("runs", experiment.Name));
            var cells = ExperimentGrid.Shard(ExperimentGrid.Cells(experiment), result.GetValue(shard));
            var torchDevice = Neural.DeviceChoice.Resolve(result.GetValue(device)!);
            int stackSize = Positive(result.GetValue(stack), "--stack", "each cell alone"), workers = Positive(result.GetValue(jobs), "--jobs", "this process");
            bool isWorker = result.GetValue(worker);
            context.Console.MarkupLine(Markup.Escape(Invariant($"{experiment.Name}: {cells.Count} cells on {torchDevice.type} into {folder}{(workers > 1 ? Invariant($" by {workers} workers") : "")}")));
            if (workers > 1 && !isWorker)
            {
                string[] arguments = ["run", result.GetValue(spec)!.FullName, "--out", folder, "--device", result.GetValue(device)!, "--stack", Invariant($"{stackSize}"), "--worker",
                    .. result.GetValue(shard) is { } part ? new[] { "--shard", part } : []];
                GridProgress.Show(context, cells.Count, report =>
                    WorkerPool.Run(arguments, workers, folder, cells, done => report(done, Invariant($"{done}/{cells.Count} cells finished by {workers} workers"))));
            }
            else
            {
                int code = RunInThisProcess(context, experiment, cells, folder, torchDevice, stackSize, isWorker);
                if (code != WorkbenchCli.Success)
                    return code;
            }
            if (isWorker)
                return WorkbenchCli.Success;
            var files = ExperimentReport.Write(folder, experiment.Name, ExperimentRunner.Collect([folder]), [folder]);
            WriteTable(context, ExperimentRunner.Collect([folder]));
            context.Console.WriteLine(Invariant($"report: {files[^1]}"));
            return WorkbenchCli.Success;
        });
        return command;
    }

    /// <summary>
    /// Runs the cells in this process (alone, or as a worker that claims them); a worker whose coordinator is gone stops at its
    /// next training step with <see cref="WorkerPool.CoordinatorGoneExitCode"/>.
    /// </summary>
    private static int RunInThisProcess(CliContext context, ExperimentSpec experiment, IReadOnlyList<Cell> cells, string folder, TorchSharp.torch.Device device, int stackSize, bool isWorker)
    {
        var coordinatorGone = isWorker ? WorkerPool.CoordinatorGone(Console.OpenStandardInput()) : CancellationToken.None;
        try
        {
            GridProgress.Show(context, cells.Count, report =>
            {
                var reporter = new Reporter(p =>
                {
                    string training = p.Training is { } s ? Invariant($" step {s.Step}/{s.Steps}, loss {s.Loss:F3}, ETA {(int)s.Remaining.TotalHours:00}:{s.Remaining:mm\\:ss}") : "";
                    string stacked = p.Stacked > 1 ? Invariant($" and {p.Stacked - 1} more in a stack") : "";
                    report(p.CellNumber - 1 + (p.Training is { } t ? (double)t.Step / t.Steps : 0),
                        Invariant($"cell {p.CellNumber}/{p.Cells} {p.Cell.Language} × {p.Cell.Architecture} (seed {p.Cell.Seed}){stacked}{training}"));
                });
                ExperimentRunner.Run(experiment, cells, folder, device, reporter, coordinatorGone, new RunnerOptions(stackSize, ClaimCells: isWorker));
            });
            return WorkbenchCli.Success;
        }
        catch (OperationCanceledException) when (coordinatorGone.IsCancellationRequested)
        {
            Console.Error.WriteLine(WorkerPool.CoordinatorGoneMessage);
            return WorkerPool.CoordinatorGoneExitCode;
        }
    }

    private static int Positive(int value, string option, string one) =>
        value >= 1 ? value : throw new Formal.Errors.WorkbenchException(Invariant($"{option} {value}: give 1 ({one}) or more"));

    public static Command CreateReport(CliContext context)
    {
        var folders = new Argument<DirectoryInfo[]>("DIR") { Description = "Run folders (one, or every shard's).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Where to write summary.csv, report.md and the plots (default: the first folder)." };
        var command = new Command("report", "Rebuild summary.csv, report.md and the plots from finished cells, without training; merges shard folders.") { folders, output };
        command.SetAction(result =>
        {
            string[] runs = result.GetValue(folders)!.Select(d => d.FullName).ToArray();
            var results = ExperimentRunner.Collect(runs);
            if (results.Count == 0)
                throw new Formal.Errors.WorkbenchException(Invariant($"no finished cells under {string.Join(", ", runs)}"));
            string target = result.GetValue(output)?.FullName ?? runs[0];
            var files = ExperimentReport.Write(target, Path.GetFileName(runs[0]), results, runs);
            WriteTable(context, results);
            context.Console.WriteLine(Invariant($"{results.Count} cells; report: {files[^1]}"));
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static void WriteTable(CliContext context, IReadOnlyList<CellResult> results)
    {
        var summaries = ExperimentReport.Summarise(results);
        WriteTable(context, summaries, "KL(p ‖ q) per symbol, nats (mean over seeds; 0 is perfect)", s => s.KlPerSymbol.ToString("G2", CultureInfo.InvariantCulture));
        WriteTable(context, summaries, "support accuracy: share of the model's finished samples in the language (samples cut by the length cap are counted apart)", s => s.SupportAccuracy?.ToString("P0", CultureInfo.InvariantCulture) ?? "–");
    }

    private static void WriteTable(CliContext context, IReadOnlyList<ExperimentReport.Summary> summaries, string caption, Func<ExperimentReport.Summary, string> value)
    {
        var architectures = ExperimentReport.Columns(summaries);
        var table = new Table().AddColumn("language").AddColumn("level");
        foreach (string architecture in architectures)
            table.AddColumn(new TableColumn(Markup.Escape(architecture)).RightAligned());
        foreach (var language in summaries.GroupBy(s => s.Language))
            table.AddRow([Markup.Escape(ExperimentReport.Display(language.Key)), Markup.Escape(language.First().Level), .. architectures.Select(a => language.FirstOrDefault(s => s.Architecture == a) is { } s ? value(s) : "–")]);
        table.Caption(Markup.Escape(caption));
        context.Console.Write(table);
    }

    private sealed class Reporter(Action<RunnerProgress> report) : IProgress<RunnerProgress>
    {
        public void Report(RunnerProgress value) => report(value);
    }
}
