using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Workbench.Formal.Errors;
using Workbench.Proofs;

namespace Workbench.Experiments.Cli;

/// <summary>`workbench theorems list|check`: the executable theorem catalogue.</summary>
internal static class TheoremsCommands
{
    public static Command Create(CliContext context)
    {
        var theorems = new Command("theorems", "The theorem catalogue of the notes as executable properties.");
        theorems.Subcommands.Add(List(context));
        theorems.Subcommands.Add(Check(context));
        return theorems;
    }

    private static Command List(CliContext context)
    {
        var json = CommonOptions.Json();
        var command = new Command("list", "List the theorems of the catalogue.") { json };
        command.SetAction(result =>
        {
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, new
                {
                    theorems = TheoremCatalogue.All.Select(t => new { t.Id, t.Statement, t.Reference, t.DefaultTrials }),
                });
                return WorkbenchCli.Success;
            }
            var table = new Table().AddColumns("id", "statement", "notes");
            foreach (var theorem in TheoremCatalogue.All)
                table.AddRow(Markup.Escape(theorem.Id), Markup.Escape(theorem.Statement), Markup.Escape(theorem.Reference));
            context.Console.Write(table);
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static Command Check(CliContext context)
    {
        var ids = new Option<string[]>("--id") { Description = "Check only these theorems (repeatable), e.g. --id P2.3.", AllowMultipleArgumentsPerToken = true };
        var trials = new Option<int?>("--trials") { Description = "Random instances per theorem (default: each theorem's own)." };
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var command = new Command("check", "Check theorems on random instances; exits 1 if any fails.") { ids, trials, seed, json };
        command.SetAction(result =>
        {
            var selected = Select(result.GetValue(ids) ?? []);
            var trialCount = result.GetValue(trials);
            if (trialCount is < 1) throw new WorkbenchException($"--trials must be at least 1 (got {trialCount}).");
            var seedValue = CommonOptions.Resolve(result.GetValue(seed));
            var outcomes = new List<TheoremOutcome>();
            foreach (var theorem in selected)
            {
                if (!result.GetValue(json)) context.Error.Write($"checking {theorem.Id} … ");
                var outcome = TheoremChecker.Check(theorem, trialCount ?? theorem.DefaultTrials, (ulong)seedValue);
                if (!result.GetValue(json)) context.Error.WriteLine(outcome.Passed ? "ok" : "FAILED");
                outcomes.Add(outcome);
            }
            if (result.GetValue(json)) WriteJson(context, outcomes, seedValue);
            else WriteTable(context, outcomes, seedValue);
            return outcomes.All(o => o.Passed) ? WorkbenchCli.Success : WorkbenchCli.CheckFailed;
        });
        return command;
    }

    private static IReadOnlyList<Theorem> Select(string[] ids)
    {
        if (ids.Length == 0) return TheoremCatalogue.All;
        return ids.Select(id => TheoremCatalogue.Find(id)
            ?? throw new WorkbenchException($"Unknown theorem '{id}'. Known: {string.Join(", ", TheoremCatalogue.All.Select(t => t.Id))}.")).ToList();
    }

    private static void WriteJson(CliContext context, List<TheoremOutcome> outcomes, int seed) =>
        JsonOutput.Write(context.Output, new
        {
            seed,
            passed = outcomes.Count(o => o.Passed),
            failed = outcomes.Count(o => !o.Passed),
            theorems = outcomes.Select(o => new
            {
                o.Theorem.Id,
                o.Theorem.Statement,
                o.Theorem.Reference,
                o.Trials,
                o.Passed,
                o.Seconds,
                o.Counterexample,
                o.Message,
            }),
        });

    private static void WriteTable(CliContext context, List<TheoremOutcome> outcomes, int seed)
    {
        var table = new Table().AddColumns("id", "statement", "trials", "result", "seconds");
        foreach (var o in outcomes)
            table.AddRow(
                Markup.Escape(o.Theorem.Id),
                Markup.Escape(o.Theorem.Statement),
                o.Trials.ToString(CultureInfo.InvariantCulture),
                o.Passed ? "[green]pass[/]" : "[red]FAIL[/]",
                o.Seconds.ToString("F2", CultureInfo.InvariantCulture));
        context.Console.Write(table);
        foreach (var failure in outcomes.Where(o => !o.Passed))
        {
            context.Console.Write(new Panel(new Rows(
                    new Text($"counterexample: {failure.Counterexample ?? "(none)"}"),
                    new Text($"why: {failure.Message}")))
                .Header($"{failure.Theorem.Id} failed"));
            context.Console.WriteLine();
        }
        context.Console.WriteLine($"seed {seed} (pass --seed {seed} to replay)");
        context.Console.WriteLine($"{outcomes.Count(o => o.Passed)} passed, {outcomes.Count(o => !o.Passed)} failed");
    }
}
