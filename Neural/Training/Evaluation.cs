using Workbench.Formal.Estimation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Numerics;

namespace Workbench.Neural.Training;

/// <summary>
/// One evaluation of a training run, written as a JSON line: held-out cross-entropy per string and per
/// symbol (EOS counted as a symbol), the source entropy where the source computes it exactly, and, when the data come from an exact source, the KL divergence
/// KL(p_source ‖ p_model) = E_source[log p_source(y) − log p_model(y)] per string and per symbol, with
/// 95% confidence intervals from the held-out sample; and the training compute so far, C = 6·N·D (<see cref="ModelSize"/>).
/// </summary>
public sealed record EvaluationRecord(
    long Step,
    long Tokens,
    double LearningRate,
    double TrainingLoss,
    double CrossEntropyPerString,
    double CrossEntropyPerStringStandardError,
    double CrossEntropyPerSymbol,
    double? SourceEntropyPerString,
    Estimate? KlPerString,
    Estimate? KlPerSymbol,
    double TokensPerSecond,
    double ElapsedSeconds,
    double? TrainingFlops = null);

/// <summary>Held-out metrics of a model against a data set (and its exact source where known).</summary>
public static class HeldOutEvaluation
{
    /// <summary>
    /// Cross-entropy and (with a source) KL of the model on the held-out strings. KL per string is the
    /// mean of the paired differences log p_source(y) − log p_model(y) over y ~ p_source; per symbol it is
    /// the ratio Σ differences / Σ (|y| + 1), with a delta-method interval that counts the variance of the lengths too.
    /// </summary>
    public static (double CrossEntropy, double StandardError, double PerSymbol, double? SourceEntropy, Estimate? Kl, Estimate? KlPerSymbol) Measure(
        NeuralLanguageModel model, TrainingData data, int seed)
    {
        IReadOnlyList<int[]> strings = data.HeldOut;
        double[] modelLog = model.LogProbabilities(strings);
        double predictions = strings.Sum(s => s.Length + 1.0);
        (double crossEntropy, double standardError) = MeanAndError(modelLog.Select(l => -l).ToArray());
        double perSymbol = -modelLog.Sum() / predictions;
        if (data.Source is not { } source)
            return (crossEntropy, standardError, perSymbol, null, null, null);
        double[] sourceLog = strings.Select(s => source.LogProbability(s)).ToArray();
        double[] differences = sourceLog.Zip(modelLog, (p, q) => p - q).ToArray();
        (double kl, double klError) = MeanAndError(differences);
        double z = NormalDistribution.Quantile(0.975);
        var perString = new Estimate(kl, klError, kl - z * klError, kl + z * klError, 0.95, strings.Count, seed, 0);
        var perSymbolKl = strings.Count >= 2 ? Estimate.OfRatio(differences, strings.Select(s => s.Length + 1.0).ToArray(), seed) : null;
        double? entropy = data.SourceEntropy;
        return (crossEntropy, standardError, perSymbol, entropy, perString, perSymbolKl);
    }

    private static (double Mean, double StandardError) MeanAndError(double[] values)
    {
        double mean = values.Average();
        if (values.Length < 2 || double.IsInfinity(mean))
            return (mean, double.PositiveInfinity);
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        return (mean, Math.Sqrt(variance / values.Length));
    }
}
