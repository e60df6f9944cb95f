using System.CommandLine;
using Spectre.Console;
using Workbench.Formal.Errors;
using Workbench.Formal.Estimation;
using Workbench.Formal.LanguageModels;
using static Workbench.Experiments.Cli.LanguageModel.ModelOptions;

namespace Workbench.Experiments.Cli.LanguageModel;

/// <summary>
/// `lm compare P Q`: H(p, q) and KL(p ‖ q) — exact wherever an exact method pairs the two models (a table against any
/// model, a PFSA or n-gram against a deterministic PFSA, a PCFG against a deterministic PFSA), and always estimated from
/// samples of P: the plain estimators and the Rao–Blackwellised KL (Amini, Vieira &amp; Cotterell 2025).
/// </summary>
internal static class CompareCommand
{
    public static Command Create(CliContext context)
    {
        var p = Model("P");
        var q = Model("Q");
        var samples = Samples(10_000);
        var maxLength = MaxLength(1_000);
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var command = new Command("compare", "Cross-entropy H(p, q) and KL(p ‖ q) of two models over one alphabet: exact where a method exists (table × any, PFSA × deterministic PFSA, PCFG × deterministic PFSA), and Monte Carlo from samples of P (plain and Rao–Blackwellised KL).") { p, q, samples, maxLength, seed, json };
        command.SetAction(result =>
        {
            var first = ModelSpecification.Parse(result.GetValue(p)!);
            var second = ModelSpecification.Parse(result.GetValue(q)!);
            if (!first.Alphabet.Symbols.SequenceEqual(second.Alphabet.Symbols))
                throw new WorkbenchException($"P and Q must share one alphabet; P has {first.Alphabet}, Q has {second.Alphabet}.");
            RequireFeasible(result.GetValue(samples), "--samples", result.GetValue(maxLength));
            var seedValue = CommonOptions.Resolve(result.GetValue(seed));
            var exact = first is IExactDivergenceModel divergences ? divergences.DivergencesFrom(second) : null;
            var n = result.GetValue(samples);
            var cap = result.GetValue(maxLength);
            EstimateRow[] rows =
            [
                new("H(p, q) (nats)", MonteCarlo.CrossEntropy(first, second, n, seedValue, cap), exact?.CrossEntropy),
                new("KL(p ‖ q) (nats), plain", MonteCarlo.KullbackLeibler(first, second, n, seedValue, cap), exact?.KullbackLeibler),
                new("KL(p ‖ q) (nats), Rao–Blackwellised", MonteCarlo.RaoBlackwellisedKullbackLeibler(first, second, n, seedValue, cap), exact?.KullbackLeibler),
            ];
            var sampledFrom = EstimateCommand.SampledDistribution(first);
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, new { p = first.ToString(), q = second.ToString(), seed = seedValue, sampledFrom, exactNote = exact?.Note, estimates = rows });
                return WorkbenchCli.Success;
            }
            WriteEstimates(context, rows, cap);
            context.Console.WriteLine($"samples of P from {sampledFrom}; exact values are of the models' own masses");
            if (exact?.Note is { } note) context.Console.WriteLine(note);
            if (exact is null) context.Console.WriteLine("no exact method pairs these models (exact: table × any, PFSA or n-gram × deterministic PFSA, PCFG × deterministic PFSA)");
            return WorkbenchCli.Success;
        });
        return command;
    }
}
