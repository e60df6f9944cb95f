using System.CommandLine;
using Spectre.Console;

namespace Workbench.Experiments.Cli.Bench;

/// <summary>`workbench bench …`: performance measurements (run on a Release build).</summary>
internal static class BenchCommands
{
    public static Command Create(CliContext context)
    {
        var bench = new Command("bench", "Performance measurements; build with -c Release for meaningful figures.");
        var seed = new Option<int>("--seed") { Description = "Seed of the random machines.", DefaultValueFactory = _ => 1 };
        var sizes = new Option<int[]>("--allsum-states") { Description = "Machine sizes for the allsum scaling curve.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000] };
        var json = CommonOptions.Json();
        var fsa = new Command("fsa", "Scoring and sampling throughput on a deterministic PFSA, and the allsum as states grow (10 symbols, 10 arcs per state).") { seed, sizes, json };
        fsa.SetAction(result =>
        {
            var outcome = FsaBenchmark.Run(result.GetValue(seed), result.GetValue(sizes)!, line => context.Error.WriteLine(line));
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, outcome);
                return WorkbenchCli.Success;
            }
            context.Console.WriteLine(Invariant($"scoring (deterministic PFSA, {outcome.ScoringStates} states): {outcome.ScoringSymbolsPerSecond / 1e6:F1} M symbols/s"));
            context.Console.WriteLine(Invariant($"sampling (alias tables): {outcome.SamplingSymbolsPerSecond / 1e6:F1} M symbols/s"));
            var table = new Table().AddColumns("states", "arcs", "seconds", "solver", "sweeps", "Z", "certified error");
            foreach (var p in outcome.Allsum)
                table.AddRow(Invariant($"{p.States}"), Invariant($"{p.Arcs}"), Invariant($"{p.Seconds:F3}"), p.Solver, Invariant($"{p.Sweeps}"), Invariant($"{p.Allsum:R}"), Invariant($"{p.ErrorBound:G3}"));
            context.Console.Write(table);
            return WorkbenchCli.Success;
        });
        bench.Subcommands.Add(fsa);
        return bench;
    }
}
