using System.CommandLine;
using Workbench.Formal.Errors;
using Workbench.Formal.Estimation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Models;
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
            if (!first.Model.Alphabet.Symbols.SequenceEqual(second.Model.Alphabet.Symbols))
                throw new WorkbenchException($"P and Q must share one alphabet; P has {first.Model.Alphabet}, Q has {second.Model.Alphabet}.");
            RequireFeasible(result.GetValue(samples), "--samples", result.GetValue(maxLength));
            var seedValue = CommonOptions.Resolve(result.GetValue(seed));
            var rows = first.Accept(new CompareWith(second.Model, result.GetValue(samples), seedValue, result.GetValue(maxLength)));
            if (result.GetValue(json)) JsonOutput.Write(context.Output, new { p = first.ToString(), q = second.ToString(), seed = seedValue, estimates = rows });
            else WriteEstimates(context, rows, result.GetValue(maxLength));
            return WorkbenchCli.Success;
        });
        return command;
    }

    private sealed class CompareWith(ILanguageModel q, int samples, int seed, int maxLength) : IAutoregressiveModelVisitor<IReadOnlyList<EstimateRow>>
    {
        public IReadOnlyList<EstimateRow> Visit<TState>(IAutoregressiveLanguageModel<TState> p)
        {
            // With finite support both quantities are finite sums over P's table.
            var table = p as TableLanguageModel;
            CertifiedValue? Exact(Func<int[], double, double> term)
            {
                if (table is null) return null;
                var terms = table.Entries.Where(e => e.Probability > 0).Select(e => term(e.String, e.Probability)).ToArray();
                var sum = terms.Sum();
                // Each term is within a few ulps, and naive summation adds n·ε·Σ|term|.
                var bound = double.IsFinite(sum) ? 4 * terms.Length * FloatingPoint.MachineEpsilon * terms.Sum(Math.Abs) : 0;
                return new CertifiedValue(sum, bound, "finite sum over P's table");
            }
            return
            [
                new("H(p, q) (nats)", MonteCarlo.CrossEntropy(p, q, samples, seed, maxLength), Exact((y, py) => -py * q.LogProbability(y))),
                new("KL(p ‖ q) (nats)", MonteCarlo.KullbackLeibler(p, q, samples, seed, maxLength), Exact((y, py) => py * (Math.Log(py) - q.LogProbability(y)))),
            ];
        }
    }
}
