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
        var beam = new Option<int?>("--beam")
        {
            Description = "Bound p(y) and π(y) from the WIDTH heaviest coverings at each position instead of all of them (character models of token networks and tables, whose coverings grow exponentially); each value is printed with the interval that contains the exact one.",
        }.Requiring(w => w is null or >= 1, "must be at least 1");
        var command = new Command("score", "Exact log-probability (and prefix probability, where available) of strings.") { model, strings, json, beam };
        command.SetAction(result =>
        {
            var parsed = ModelSpecification.Parse(result.GetValue(model)!);
            if (result.GetValue(beam) is { } width)
            {
                if (parsed is not IBeamBoundedModel bounded)
                    throw new Formal.Errors.WorkbenchException("--beam bounds the scores of a model whose exact scores enumerate coverings (char:TOKENIZER:MODEL over a network or table); this model scores exactly.");
                WriteBeam(context, bounded, result.GetValue(strings)!, width, result.GetValue(json));
            }
            else Write(context, parsed, result.GetValue(strings)!, result.GetValue(json));
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static void WriteBeam(CliContext context, IBeamBoundedModel model, string[] strings, int width, bool json)
    {
        var rows = strings.Select(text =>
        {
            var y = model.Alphabet.Parse(text);
            var (p, prefix) = model.BeamScore(y, width);
            return new { String = model.Alphabet.Format(y), Probability = p.Value, ProbabilityErrorBound = p.ErrorBound, PrefixProbability = prefix.Value, PrefixErrorBound = prefix.ErrorBound, Method = p.Method };
        }).ToList();
        if (json)
        {
            JsonOutput.Write(context.Output, new { model = model.ToString(), beam = width, strings = rows });
            return;
        }
        var table = new Table().AddColumns("string", "p(y)", "π(y)", "method");
        foreach (var row in rows)
            table.AddRow(Markup.Escape(row.String), Invariant($"{row.Probability:G9} ± {row.ProbabilityErrorBound:G3}"), Invariant($"{row.PrefixProbability:G9} ± {row.PrefixErrorBound:G3}"), Markup.Escape(row.Method));
        context.Console.Write(table);
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
