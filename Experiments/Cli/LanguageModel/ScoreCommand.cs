using System.CommandLine;
using Spectre.Console;
using Workbench.Formal.LanguageModels;
using static Workbench.Experiments.Cli.LanguageModel.ModelOptions;

namespace Workbench.Experiments.Cli.LanguageModel;

/// <summary>`lm score MODEL STRING…`: exact string and prefix probabilities.</summary>
internal static class ScoreCommand
{
    public static Command Create(CliContext context)
    {
        var model = Model();
        var strings = new Argument<string[]>("STRING") { Description = "Strings to score (ε for the empty string).", Arity = ArgumentArity.OneOrMore };
        var json = CommonOptions.Json();
        var command = new Command("score", "Exact log-probability (and prefix probability, where available) of strings.") { model, strings, json };
        command.SetAction(result =>
        {
            Write(context, ModelSpecification.Parse(result.GetValue(model)!), result.GetValue(strings)!, result.GetValue(json));
            return WorkbenchCli.Success;
        });
        return command;
    }

    /// <summary>Scores the strings (parsed in the model's alphabet) and prints a table or one JSON object.</summary>
    public static void Write(CliContext context, ILanguageModel model, string[] strings, bool json)
    {
        var rows = strings.Select(text =>
        {
            var y = model.Alphabet.Parse(text);
            var logP = model.LogProbability(y);
            double? logPrefix = model is IPrefixProbabilityModel prefix ? prefix.LogPrefixProbability(y) : null;
            return new { String = model.Alphabet.Format(y), LogProbability = logP, Probability = Math.Exp(logP), LogPrefixProbability = logPrefix };
        }).ToList();
        if (json)
        {
            JsonOutput.Write(context.Output, new { model = model.ToString(), strings = rows });
            return;
        }
        var table = new Table().AddColumns("string", "log p(y)", "p(y)", "log π(y)");
        foreach (var row in rows)
            table.AddRow(Markup.Escape(row.String), Invariant($"{row.LogProbability:G12}"), Invariant($"{row.Probability:G12}"),
                row.LogPrefixProbability is { } lp ? Invariant($"{lp:G12}") : "n/a");
        context.Console.Write(table);
    }
}
