using System.CommandLine;
using Spectre.Console;
using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using static Workbench.Experiments.Cli.LanguageModel.ModelOptions;

namespace Workbench.Experiments.Cli.LanguageModel;

/// <summary>`lm tightness MODEL`: the model's own tightness analysis.</summary>
internal static class TightnessCommand
{
    public static Command Create(CliContext context)
    {
        var model = Model();
        var json = CommonOptions.Json();
        var adapter = new Option<string?>("--adapter") { Description = "Decide the tightness of the model under a sampling adapter (temperature=T, top-k=K, top-p=P or typical=TAU; exact for deterministic PFSAs, P8.6)." };
        var command = new Command("tightness", "Decide whether the model is tight, with the finite-string mass and the evidence.") { model, json, adapter };
        command.SetAction(result =>
        {
            var parsed = ModelSpecification.Parse(result.GetValue(model)!);
            var sampling = result.GetValue(adapter) is { } adapterText ? ModelSpecification.ParseAdapter(adapterText) : null;
            var report = sampling is not null
                ? parsed is IAdaptedTightnessAnalyzable adaptable
                    ? adaptable.AnalyzeTightness(sampling)
                    : throw new WorkbenchException($"{parsed} has no exact tightness analysis under a sampling adapter (deterministic PFSAs have one); `lm estimate` after `lm sample --adapter` estimates it.")
                : parsed is ITightnessAnalyzable analyzable
                    ? analyzable.AnalyzeTightness()
                    : throw new WorkbenchException($"{parsed} has no exact tightness analysis; `lm estimate` gives a Monte Carlo estimate of P(|y| ≥ T).");
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, new { model = parsed.ToString(), adapter = sampling?.Name, report.Verdict, report.Mass, report.MassLowerBound, report.MassUpperBound, report.LeakedMass, report.Method, report.Evidence });
                return WorkbenchCli.Success;
            }
            var grid = new Grid().AddColumns(2);
            grid.AddRow("model", Markup.Escape(parsed.ToString() ?? ""));
            if (sampling is not null) grid.AddRow("adapter", Markup.Escape(sampling.Name));
            grid.AddRow("verdict", report.Verdict switch
            {
                TightnessVerdict.Tight => "[green]tight[/]",
                TightnessVerdict.NotTight => "[red]not tight[/]",
                _ => "[yellow]unknown[/]",
            });
            grid.AddRow("finite-string mass", Markup.Escape(Invariant($"{report.Mass:G15} ∈ [{report.MassLowerBound:G15}, {report.MassUpperBound:G15}]")));
            grid.AddRow("leaked mass", Invariant($"{report.LeakedMass:G15}"));
            grid.AddRow("method", report.Method.ToString());
            foreach (var line in report.Evidence) grid.AddRow("evidence", Markup.Escape(line));
            context.Console.Write(grid);
            return WorkbenchCli.Success;
        });
        return command;
    }
}
