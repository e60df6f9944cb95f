using System.CommandLine;
using Workbench.Formal.Errors;
using Workbench.Formal.Estimation;
using Workbench.Formal.LanguageModels;
using static Workbench.Experiments.Cli.LanguageModel.ModelOptions;
using Workbench.Formal.Numerics;

namespace Workbench.Experiments.Cli.LanguageModel;

/// <summary>`lm compare P Q`: cross-entropy H(p, q) and KL(p ‖ q), estimated from samples of P, exact when P has finite support.</summary>
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
        var command = new Command("compare", "Cross-entropy H(p, q) and KL(p ‖ q) of two models over one alphabet: Monte Carlo from samples of P, exact when P is a table.") { p, q, samples, maxLength, seed, json };
        command.SetAction(result =>
        {
            var first = ModelSpecification.Parse(result.GetValue(p)!);
            var second = ModelSpecification.Parse(result.GetValue(q)!);
            if (!first.Alphabet.Symbols.SequenceEqual(second.Alphabet.Symbols))
                throw new WorkbenchException($"P and Q must share one alphabet; P has {first.Alphabet}, Q has {second.Alphabet}.");
            RequireFeasible(result.GetValue(samples), "--samples", result.GetValue(maxLength));
            var seedValue = CommonOptions.Resolve(result.GetValue(seed));
            var rows = Compare(first, second, result.GetValue(samples), seedValue, result.GetValue(maxLength));
            if (result.GetValue(json)) JsonOutput.Write(context.Output, new { p = first.ToString(), q = second.ToString(), seed = seedValue, estimates = rows });
            else WriteEstimates(context, rows, result.GetValue(maxLength));
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static IReadOnlyList<EstimateRow> Compare(ILanguageModel p, ILanguageModel q, int samples, int seed, int maxLength)
    {
        // With finite support both quantities are finite sums over P's support.
        var support = (p as IFiniteSupportModel)?.Support;
        CertifiedValue? Exact(Func<int[], double, double> term)
        {
            if (support is null) return null;
            var terms = support.Where(e => e.Probability > 0).Select(e => term(e.String, e.Probability)).ToArray();
            var sum = terms.Sum();
            // Each term is within a few ulps, and naive summation adds n·ε·Σ|term|.
            var bound = double.IsFinite(sum) ? 4 * terms.Length * FloatingPoint.MachineEpsilon * terms.Sum(Math.Abs) : 0;
            return new CertifiedValue(sum, bound, "finite sum over P's support");
        }
        return
        [
            new("H(p, q) (nats)", MonteCarlo.CrossEntropy(p, q, samples, seed, maxLength), Exact((y, py) => -py * q.LogProbability(y))),
            new("KL(p ‖ q) (nats)", MonteCarlo.KullbackLeibler(p, q, samples, seed, maxLength), Exact((y, py) => py * (Math.Log(py) - q.LogProbability(y)))),
        ];
    }
}
