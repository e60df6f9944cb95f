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
        var command = new Command("tightness", "Decide whether the model is tight, with the finite-string mass and the evidence.") { model, json };
        command.SetAction(result =>
        {
            var handle = ModelSpecification.Parse(result.GetValue(model)!);
            var report = handle.Model is ITightnessAnalyzable analyzable
                ? analyzable.AnalyzeTightness()
                : throw new WorkbenchException($"{handle.Model} has no exact tightness analysis; `lm estimate` gives a Monte Carlo estimate of P(|y| ≥ T).");
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, new { model = handle.ToString(), report.Verdict, report.Mass, report.MassLowerBound, report.MassUpperBound, report.LeakedMass, report.Method, report.Evidence });
                return WorkbenchCli.Success;
            }
            var grid = new Grid().AddColumns(2);
            grid.AddRow("model", Markup.Escape(handle.ToString()));
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
