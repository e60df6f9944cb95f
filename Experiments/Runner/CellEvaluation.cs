using Workbench.Experiments.Languages;
using Workbench.Formal.Estimation;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Numerics;

namespace Workbench.Experiments.Runner;

/// <summary>
/// The measurements of one model against one language: held-out cross-entropy and KL (Rao–Blackwellised over the
/// held-out strings, and via the exact entropy), length generalisation by bin, support accuracy of the model's own samples,
/// next-symbol-set accuracy and the tightness verdict. Every sample is drawn from a seed.
/// </summary>
public static class CellEvaluation
{
    /// <summary>A symbol is in the model's next-symbol set when its probability exceeds this.</summary>
    public const double NextSetThreshold = 0.01;

    /// <summary>
    /// The length cap of held-out draws, the trainer's own (<see cref="Workbench.Neural.Training.SampledTrainingData.HeldOutCap"/>). Every
    /// language of the suite has geometric-like length tails with means below 30, so draws beyond it are vanishingly rare; they are redrawn.
    /// </summary>
    public const int HeldOutCap = Workbench.Neural.Training.SampledTrainingData.HeldOutCap;

    /// <summary>Measures a model (any autoregressive LM over the language's alphabet).</summary>
    public static CellResult Measure(FormalLanguage language, ILanguageModel candidate, ExperimentSpec spec, Cell cell)
    {
        var random = new Random(cell.Seed * 7919 + 17);
        // KL(p ‖ q) needs samples of p itself, not of the training distribution p(· | |y| ≤ maxLength).
        int[][] heldOut = Draw(language, random, spec.Evaluation.HeldOut, HeldOutCap);
        // One pass of each model along the held-out strings gives the candidate's scores and the Rao–Blackwellised KL:
        // per string the exact KL of the next-symbol distributions along it.
        double[][,] sourceRows = language.Model.NextLogProbabilitiesAlong(heldOut);
        double[][,] candidateRows = candidate.NextLogProbabilitiesAlong(heldOut);
        double[] modelLog = heldOut.Select((y, i) => ChainRule.LogProbability(candidateRows[i], y)).ToArray();
        double[] stepwise = heldOut.Select((_, i) => MonteCarlo.StepwiseKullbackLeibler(sourceRows[i], candidateRows[i])).ToArray();
        double predictions = heldOut.Average(y => y.Length + 1.0);
        var (crossEntropy, crossError) = MeanAndError(modelLog.Select(l => -l));
        var (kl, klError) = MeanAndError(stepwise);
        var bins = spec.Evaluation.LengthBins.Select(bin => LengthBin(language, candidate, random, bin[0], bin[1], spec.Evaluation.StringsPerBin, cell.Seed)).ToArray();
        var tightness = candidate is ITightnessAnalyzable analyzable ? analyzable.AnalyzeTightness() : null;
        var support = SupportAccuracy(language, candidate, spec.Evaluation.ModelSamples, 4 * spec.Training.MaxLength, cell.Seed);
        return new CellResult
        {
            Language = language.Name,
            Level = language.Level.ToString(),
            Architecture = cell.Architecture,
            Model = cell.Model,
            Seed = cell.Seed,
            Kind = cell.Kind.ToString(),
            SourceEntropyPerString = language.Entropy,
            CrossEntropyPerString = crossEntropy,
            CrossEntropyPerSymbol = crossEntropy / predictions,
            KlPerString = Interval(kl, klError, heldOut.Length, cell.Seed),
            KlPerSymbol = Estimate.OfRatio(stepwise, heldOut.Select(y => y.Length + 1.0).ToArray(), cell.Seed),
            KlFromEntropy = language.Entropy is { } entropy ? Interval(crossEntropy - entropy, crossError, heldOut.Length, cell.Seed) : null,
            LengthBins = bins,
            SupportAccuracy = support.Accuracy,
            SupportTruncated = support.Truncated,
            NextSymbolSetAccuracy = NextSetAccuracy(sourceRows.Take(200).ToArray(), candidateRows),
            Tightness = tightness?.Verdict.ToString() ?? "not analysed",
            TightnessMethod = tightness?.Method.ToString() ?? "none",
        };
    }

    /// <summary>count strings of the language with length at most max (rejection from the language's sampler, at most 2000 tries per string).</summary>
    private static int[][] Draw(FormalLanguage language, Random random, int count, int max)
    {
        var strings = new List<int[]>(count);
        for (long tries = 0; strings.Count < count && tries < 2000L * count; tries++)
            if (language.Draw(random, max) is { } y)
                strings.Add(y);
        return strings.ToArray();
    }

    private static LengthBinResult LengthBin(FormalLanguage language, ILanguageModel model, Random random, int min, int max, int count, int seed)
    {
        // Exact draws from p(y | min ≤ |y| ≤ max): every bin the language can fill is filled, however rare its lengths.
        int[][] strings = language.LengthSampler.SampleInRange(random, count, min, max);
        if (strings.Length < 2)
            return new LengthBinResult(min, max, strings.Length, null);
        double[] excess = strings.Select(y => language.Model.LogProbability(y)).Zip(model.LogProbabilities(strings), (p, q) => p - q).ToArray();
        double predictions = strings.Average(y => y.Length + 1.0);
        var (mean, error) = MeanAndError(excess);
        return new LengthBinResult(min, max, strings.Length, Interval(mean / predictions, error / predictions, strings.Length, seed));
    }

    private static (double Mean, double StandardError) MeanAndError(IEnumerable<double> values)
    {
        double[] v = values.ToArray();
        double mean = v.Average();
        if (v.Length < 2 || !double.IsFinite(mean))
            return (mean, double.PositiveInfinity);
        return (mean, Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1) / v.Length));
    }

    private static Estimate Interval(double value, double error, int size, int seed)
    {
        double z = NormalDistribution.TwoSidedCriticalValue(0.95);
        return new Estimate(value, error, value - z * error, value + z * error, 0.95, size, seed, 0);
    }

    // Samples cut by the length cap are no strings of the model, neither in the language nor out of it: they are
    // counted apart, and the accuracy is over the finished ones (null when none finished).
    private static (double? Accuracy, int Truncated) SupportAccuracy(FormalLanguage language, ILanguageModel model, int samples, int maxLength, int seed)
    {
        var drawn = AncestralSampler.SampleMany(model, samples, seed, maxLength);
        var finished = drawn.Where(s => !s.Truncated).ToArray();
        return (finished.Length == 0 ? null : finished.Count(s => language.Accepts(s.Symbols)) / (double)finished.Length, drawn.Count - finished.Length);
    }

    /// <summary>
    /// The share of strings on which the candidate's next-symbol sets equal the source's at every prefix, from both models'
    /// next-symbol rows along the strings (row t: log p(· | y&lt;t), t ≤ |y|); candidateRows may hold more strings than sourceRows.
    /// </summary>
    internal static double NextSetAccuracy(double[][,] sourceRows, double[][,] candidateRows)
    {
        if (sourceRows.Length == 0) return double.NaN;
        int correct = 0;
        for (int i = 0; i < sourceRows.Length; i++)
        {
            double[,] p = sourceRows[i], q = candidateRows[i];
            bool agrees = true;
            for (int t = 0; t < p.GetLength(0) && agrees; t++)
                for (int a = 0; a < p.GetLength(1) && agrees; a++)
                    agrees = (p[t, a] > double.NegativeInfinity) == (Math.Exp(q[t, a]) > NextSetThreshold);
            correct += agrees ? 1 : 0;
        }
        return correct / (double)sourceRows.Length;
    }
}
