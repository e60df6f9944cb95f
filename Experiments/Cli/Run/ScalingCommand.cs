using System.CommandLine;
using Spectre.Console;
using Workbench.Experiments.Runner;
using Workbench.Experiments.Scaling;

namespace Workbench.Experiments.Cli.Run;

/// <summary>`workbench scaling SPEC`: a grid of model sizes × data sizes on a formal source, and the fitted scaling law.</summary>
internal static class ScalingCommand
{
    public static Command Create(CliContext context)
    {
        var spec = new Argument<FileInfo>("SPEC") { Description = "A scaling spec (JSON): source (or sources, compared side by side), model, hidden sizes, token budgets, seeds, training knobs (see experiments/scaling.json)." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Output folder (default runs/NAME). Finished cells are skipped and a killed cell resumes; shards may share one folder." };
        var shard = new Option<string?>("--shard") { Description = "Run only shard i/n of the cells (position i mod n)." };
        var device = new Option<string>("--device") { Description = "auto (CUDA when available), cpu or cuda[:N].", DefaultValueFactory = _ => "auto" };
        var command = new Command("scaling", "Train a grid of model sizes × token budgets on a formal source and fit L(N, D) = E + A/N^α + B/D^β, with E free and E fixed at the source's exact entropy rate; bootstrap intervals, a prediction check and the compute-optimal frontier.") { spec, output, shard, device };
        command.SetAction(result =>
        {
            var scaling = ScalingSpec.Read(result.GetValue(spec)!.FullName);
            string folder = result.GetValue(output)?.FullName ?? Path.GetFullPath(Path.Combine("runs", scaling.Name));
            var cells = ExperimentGrid.Shard(scaling.Cells(), result.GetValue(shard));
            var torchDevice = Neural.DeviceChoice.Resolve(result.GetValue(device)!);
            context.Console.MarkupLine(Markup.Escape(Invariant($"{scaling.Name}: {cells.Count} cells on {torchDevice.type} into {folder}")));
            IReadOnlyList<ScalingResult> results = [];
            GridProgress.Show(context, cells.Count, report =>
            {
                var reporter = new Reporter(p =>
                {
                    string training = p.Training is { } s ? Invariant($" step {s.Step}/{s.Steps}, loss {s.Loss:F3}") : "";
                    report(p.CellNumber - 1 + (p.Training is { } t ? (double)t.Step / t.Steps : 0),
                        Invariant($"cell {p.CellNumber}/{p.Cells} hidden {p.Cell.Hidden}, D {p.Cell.Tokens} (seed {p.Cell.Seed}){training}"));
                });
                results = ScalingRunner.Run(scaling, cells, folder, torchDevice, reporter);
            });
            if (scaling.SourceNames.All(source => ScalingReport.Points(results, source).Length < ScalingReport.FewestPoints))
            {
                context.Console.WriteLine(Invariant($"{results.Count} cells finished in {folder}: the fit waits for at least {ScalingReport.FewestPoints} (N, D) points of a source (run the other shards into the same folder)"));
                return WorkbenchCli.Success;
            }
            var (report, analyses) = ScalingReport.Write(folder, scaling, results);
            foreach (var analysis in analyses)
            {
                var fit = analysis.Free.Law;
                context.Console.WriteLine(Invariant($"{analysis.Source}: L(N, D) = {fit.E:G4} + {fit.A:G4}/N^{fit.Alpha:G3} + {fit.B:G4}/D^{fit.Beta:G3}"));
            }
            context.Console.WriteLine(Invariant($"report: {report}"));
            return WorkbenchCli.Success;
        });
        return command;
    }

    private sealed class Reporter(Action<ScalingProgress> report) : IProgress<ScalingProgress>
    {
        public void Report(ScalingProgress value) => report(value);
    }
}
