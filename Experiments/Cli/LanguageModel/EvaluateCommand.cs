using System.CommandLine;
using Spectre.Console;
using Workbench.Formal.Evaluation;
using static Workbench.Experiments.Cli.LanguageModel.ModelOptions;

namespace Workbench.Experiments.Cli.LanguageModel;

/// <summary>`lm evaluate MODEL CORPUS`: cross-entropy and perplexity on a corpus file.</summary>
internal static class EvaluateCommand
{
    public static Command Create(CliContext context)
    {
        var model = Model();
        var corpus = new Argument<FileInfo>("CORPUS") { Description = "A text file with one string per line (ε for the empty string; blank lines and # comments skipped)." };
        var json = CommonOptions.Json();
        var command = new Command("evaluate", "Cross-entropy (per string and per symbol, EOS included) and perplexity on a corpus.") { model, corpus, json };
        command.SetAction(result =>
        {
            var parsed = ModelSpecification.Parse(result.GetValue(model)!);
            var path = result.GetValue(corpus)!.FullName;
            var strings = Corpus.Read(path, parsed.Alphabet);
            if (strings.Count == 0) throw new Formal.Errors.WorkbenchException($"The corpus {path} has no strings.");
            var score = CorpusEvaluation.Evaluate(parsed, strings);
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, new
                {
                    model = parsed.ToString(), corpus = path, score.Strings, score.Symbols, score.NegativeLogLikelihood,
                    score.CrossEntropyPerString, score.CrossEntropyPerSymbol, score.Perplexity,
                });
                return WorkbenchCli.Success;
            }
            var grid = new Grid().AddColumns(2);
            grid.AddRow("model", Markup.Escape(parsed.ToString() ?? ""));
            grid.AddRow("strings / symbols (EOS included)", Invariant($"{score.Strings} / {score.Symbols}"));
            grid.AddRow("cross-entropy per string (nats)", Invariant($"{score.CrossEntropyPerString:G10}"));
            grid.AddRow("cross-entropy per symbol (nats)", Invariant($"{score.CrossEntropyPerSymbol:G10}"));
            grid.AddRow("perplexity", Invariant($"{score.Perplexity:G10}"));
            context.Console.Write(grid);
            return WorkbenchCli.Success;
        });
        return command;
    }
}
