using System.CommandLine;
using Spectre.Console;
using Workbench.Formal.Errors;
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
            var derivational = parsed is IDerivationalEntropyModel derivations ? Exact(derivations.DerivationalEntropy) : null;
            var sampledFrom = SampledDistribution(parsed);
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, new { model = parsed.ToString(), seed = seedValue, sampledFrom, estimates = rows, derivationalEntropy = derivational });
                return WorkbenchCli.Success;
            }
            WriteEstimates(context, rows, result.GetValue(maxLength));
            context.Console.WriteLine($"samples from {sampledFrom}");
            if (derivational is not null)
                context.Console.WriteLine($"derivational entropy H_D = {derivational}");
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static IReadOnlyList<EstimateRow> EstimateAll(ILanguageModel model, int samples, int seed, int maxLength)
    {
        // The samples come from the autoregressive view. Its exact values are the model's own only when the view is the
        // model (no normaliser); capped samples describe the capped distribution, and the exact E|y| and H(p) of a model
        // that is not tight sum its finite strings only, a different quantity, so they are not shown beside them.
        var ownView = model.LogViewNormaliser == 0;
        var tight = ownView && model is ITightnessAnalyzable analyzable && analyzable.AnalyzeTightness().Verdict == TightnessVerdict.Tight;
        return
        [
            new(Invariant($"P(|y| ≥ {maxLength})"), MonteCarlo.ProbabilityOfNotStopping(model, maxLength, samples, seed),
                ownView && model is ILengthTailModel tail ? Exact(() => tail.ProbabilityOfLengthAtLeast(maxLength)) : null),
            new("E|y|", MonteCarlo.ExpectedLength(model, samples, seed, maxLength), tight && model is IExpectedLengthModel length ? Exact(length.ExpectedLength) : null),
            new("H(p) (nats)", MonteCarlo.Entropy(model, samples, seed, maxLength), tight && model is IExactEntropyModel entropy ? Exact(entropy.Entropy) : null),
        ];
    }

    /// <summary>The distribution the samples come from: the model, or p/Z when its view is renormalised.</summary>
    internal static string SampledDistribution(ILanguageModel model) =>
        model.LogViewNormaliser == 0 ? "the model itself" : Invariant($"p(y)/Z, the model renormalised by Z = {Math.Exp(model.LogViewNormaliser):G15}");

    // An exact value the model may refuse to give (an infinite expectation it cannot certify) shows as n/a.
    private static CertifiedValue? Exact(Func<CertifiedValue> compute)
    {
        try
        {
            return compute();
        }
        catch (WorkbenchException)
        {
            return null;
        }
    }
}
