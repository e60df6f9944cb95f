using Workbench.Formal.IO;
using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Workbench.Automata.Formats;
using Workbench.Automata.NGrams;
using Workbench.Formal.Errors;
using Workbench.Formal.Evaluation;
using Workbench.Formal.Symbols;

namespace Workbench.Experiments.Cli.NGram;

/// <summary>`workbench ngram fit CORPUS`: estimate an n-gram LM and write it as a deterministic PFSA.</summary>
internal static class NGramCommands
{
    public static Command Create(CliContext context)
    {
        var ngram = new Command("ngram", "n-gram language models estimated from a corpus.");
        var corpus = new Argument<FileInfo>("CORPUS") { Description = "Training text: one string per line, symbols separated by spaces (single characters may run together)." };
        var order = new Option<int>("--order", "-n") { Description = "n, the order of the model.", DefaultValueFactory = _ => 3 };
        var smoothing = new Option<string>("--smoothing") { Description = "mle, add-lambda=λ or kneser-ney[=d] (default kneser-ney=0.75).", DefaultValueFactory = _ => "kneser-ney" };
        var output = new Option<FileInfo?>("-o", "--output") { Description = "Where to write the model as a deterministic PFSA in AT&T text (−ln p weights)." };
        var json = CommonOptions.Json();
        var fit = new Command("fit", "Estimate an n-gram LM (MLE, add-λ or interpolated Kneser–Ney) and write its deterministic PFSA; score held-out text with `lm evaluate fsa:FILE`.") { corpus, order, smoothing, output, json };
        fit.SetAction(result =>
        {
            var path = result.GetValue(corpus)!.FullName;
            var lines = TextFile.ReadLines(path);
            var alphabet = Corpus.AlphabetOf(lines);
            var strings = Corpus.Parse(lines, alphabet, path);
            var n = result.GetValue(order);
            if (n < 1) throw new WorkbenchException($"--order must be at least 1 (got {n}).");
            var model = Estimate(alphabet, n, strings, result.GetValue(smoothing)!);
            var fsa = model.ToDeterministicPfsa();
            if (result.GetValue(output) is { } target) AttFormat.WriteFile(fsa, target.FullName);
            var training = CorpusEvaluation.Evaluate(model, strings);
            if (result.GetValue(json))
                JsonOutput.Write(context.Output, new { order = n, smoothing = result.GetValue(smoothing), alphabet = alphabet.Symbols, histories = model.Histories.Count, states = fsa.StateCount, arcs = fsa.ArcCount, trainingPerplexity = training.Perplexity });
            else
                context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{model}: PFSA with {fsa.StateCount} states and {fsa.ArcCount} arcs; training perplexity {training.Perplexity:G6}{(result.GetValue(output) is { } o ? $"; written to {o.FullName}" : "")}"));
            return WorkbenchCli.Success;
        });
        ngram.Subcommands.Add(fit);
        return ngram;
    }

    /// <summary>Estimates an n-gram from strings with the named smoothing (mle, add-lambda=λ, kneser-ney[=d]).</summary>
    internal static NGramModel Estimate(Alphabet alphabet, int order, IReadOnlyList<int[]> strings, string smoothing)
    {
        var parts = smoothing.Split('=', 2);
        double Parameter(double fallback) =>
            parts.Length == 1 ? fallback
            : double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
            : throw new WorkbenchException($"'{parts[1]}' in --smoothing {smoothing} is not a number.");
        try
        {
            return parts[0] switch
            {
                "mle" => NGramEstimation.MaximumLikelihood(alphabet, order, strings),
                "add-lambda" => NGramEstimation.AddLambda(alphabet, order, strings, Parameter(1)),
                "kneser-ney" => NGramEstimation.InterpolatedKneserNey(alphabet, order, strings, Parameter(0.75)),
                _ => throw new WorkbenchException($"Unknown smoothing '{smoothing}'; use mle, add-lambda=λ or kneser-ney[=d]."),
            };
        }
        catch (ArgumentOutOfRangeException exception)
        {
            throw new WorkbenchException($"--smoothing {smoothing}: {exception.Message.Split(" (Parameter")[0]}");
        }
    }
}
