using System.CommandLine;
using Workbench.Formal.Estimation;
using Workbench.Formal.LanguageModels;
using static Workbench.Experiments.Cli.LanguageModel.ModelOptions;

namespace Workbench.Experiments.Cli.LanguageModel;

/// <summary>`lm estimate MODEL`: Monte Carlo estimates next to the exact values the model has.</summary>
internal static class EstimateCommand
{
    public static Command Create(CliContext context)
    {
        var model = Model();
        var samples = Samples(10_000);
        var maxLength = MaxLength(1_000);
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var command = new Command("estimate", "Monte Carlo estimates with confidence intervals, next to exact values where the model has them.") { model, samples, maxLength, seed, json };
        command.SetAction(result =>
        {
            var parsed = ModelSpecification.Parse(result.GetValue(model)!);
            RequireFeasible(result.GetValue(samples), "--samples", result.GetValue(maxLength));
            var seedValue = CommonOptions.Resolve(result.GetValue(seed));
            var rows = EstimateAll(parsed, result.GetValue(samples), seedValue, result.GetValue(maxLength));
            if (result.GetValue(json)) JsonOutput.Write(context.Output, new { model = parsed.ToString(), seed = seedValue, estimates = rows });
            else WriteEstimates(context, rows, result.GetValue(maxLength));
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static IReadOnlyList<EstimateRow> EstimateAll(ILanguageModel model, int samples, int seed, int maxLength)
    {
        // Capped samples describe the capped distribution; the exact E|y| and H(p) of a model that is
        // not tight sum its finite strings only, a different quantity, so they are not shown beside them.
        var tight = model is ITightnessAnalyzable analyzable && analyzable.AnalyzeTightness().Verdict == TightnessVerdict.Tight;
        return
        [
            new(Invariant($"P(|y| ≥ {maxLength})"), MonteCarlo.ProbabilityOfNotStopping(model, maxLength, samples, seed),
                (model as ILengthTailModel)?.ProbabilityOfLengthAtLeast(maxLength)),
            new("E|y|", MonteCarlo.ExpectedLength(model, samples, seed, maxLength), tight ? (model as IExpectedLengthModel)?.ExpectedLength() : null),
            new("H(p) (nats)", MonteCarlo.Entropy(model, samples, seed, maxLength), tight ? (model as IExactEntropyModel)?.Entropy() : null),
        ];
    }
}
