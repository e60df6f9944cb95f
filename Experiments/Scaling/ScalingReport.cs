using System.Text.Json;
using Workbench.Experiments.Reports;
using Workbench.Experiments.Runner;
using Workbench.Formal.IO;

namespace Workbench.Experiments.Scaling;

/// <summary>The fits of one source of a scaling run: E free, E fixed at the exact entropy rate, and the prediction check.</summary>
/// <param name="Source">The source.</param>
/// <param name="Cells">Finished cells (means over seeds form the points).</param>
/// <param name="EntropyRate">The source's exact entropy rate per symbol, where known.</param>
/// <param name="Free">The fit with E free.</param>
/// <param name="Fixed">The fit with E at the entropy rate (null without one, or when a cell's loss is not above it).</param>
/// <param name="FixedNote">Why there is no fixed-E fit, when there is none.</param>
/// <param name="Prediction">The fit (E free) on the cheaper cells and its errors on the dearer ones (null when either side has too few points).</param>
/// <param name="FixedPrediction">The same with E fixed at the entropy rate (null without a fixed-E fit).</param>
public sealed record ScalingAnalysis(string Source, int Cells, double? EntropyRate, ScalingFit Free, ScalingFit? Fixed, string? FixedNote, PredictionCheck? Prediction,
    PredictionCheck? FixedPrediction)
{
    /// <summary>Whether the bootstrap interval of the free fit's E contains the exact entropy rate (null without either).</summary>
    public bool? IntervalCoversEntropyRate =>
        EntropyRate is { } rate && Free.Intervals.TryGetValue("E", out var interval) ? interval.Lower <= rate && rate <= interval.Upper : null;
}

/// <summary>A fit on the cells with log C in the lowest share of the range, predicting the rest.</summary>
/// <param name="FitCells">Points the fit used.</param>
/// <param name="Errors">For every held-back point: its N, D, measured and predicted loss.</param>
/// <param name="MeanAbsoluteError">Mean |predicted − measured| in nats per symbol.</param>
/// <param name="MeanRelativeError">Mean |predicted − measured|/measured.</param>
/// <param name="BelowEntropyRate">Predictions below the source's exact entropy rate, which no model's cross-entropy can reach (0 without a rate).</param>
public sealed record PredictionCheck(int FitCells, IReadOnlyList<(double Parameters, double Tokens, double Measured, double Predicted)> Errors, double MeanAbsoluteError, double MeanRelativeError,
    int BelowEntropyRate);

/// <summary>Fits the law to each source of a scaling run and writes report.md, fits.json and the plots.</summary>
public static class ScalingReport
{
    /// <summary>The fewest (N, D) points a fit of the five constants takes.</summary>
    public const int FewestPoints = 6;

    /// <summary>The (N, D) points of a source's finished cells: seeds averaged at each learning rate, then the best rate's mean.</summary>
    public static ScalingPoint[] Points(IEnumerable<ScalingResult> results, string source) =>
        [.. results.Where(r => r.Source == source).GroupBy(r => (r.Hidden, r.TokenBudget))
            .Select(cell => cell.GroupBy(r => r.LearningRate)
                .Select(g => new ScalingPoint(g.Average(r => (double)r.Parameters), g.Average(r => (double)r.Tokens), g.Average(r => r.LossPerSymbol)))
                .MinBy(p => p.Loss)!)];

    /// <summary>The fits of every source of the spec that has at least <see cref="FewestPoints"/> finished points, in the spec's order.</summary>
    public static IReadOnlyList<ScalingAnalysis> Analyse(ScalingSpec spec, IReadOnlyList<ScalingResult> results) =>
        [.. spec.SourceNames.Where(source => Points(results, source).Length >= FewestPoints).Select(source => Analyse(spec, source, results))];

    private static ScalingAnalysis Analyse(ScalingSpec spec, string source, IReadOnlyList<ScalingResult> results)
    {
        var points = Points(results, source);
        double? rate = ScalingRunner.EntropyRate(Languages.LanguageSuite.Get(source));
        var free = ScalingLawFitter.Fit(points, resamples: spec.Resamples);
        ScalingFit? fixedFit = null;
        string? note = rate is null ? "the source has no exact entropy rate (its entropy or expected length is not known exactly)" : null;
        if (rate is { } e)
        {
            if (points.Any(p => p.Loss <= e))
                note = Invariant($"a measured loss is at or below the exact entropy rate {e:G6} (held-out noise): the law with E fixed there cannot fit it");
            else
                fixedFit = ScalingLawFitter.Fit(points, fixedE: e, resamples: spec.Resamples);
        }
        return new ScalingAnalysis(source, results.Count(r => r.Source == source), rate, free, fixedFit, note, Predict(points, spec.FitFraction, rate, fixedE: null),
            fixedFit is null ? null : Predict(points, spec.FitFraction, rate, fixedE: rate));
    }

    private static PredictionCheck? Predict(ScalingPoint[] points, double fraction, double? rate, double? fixedE)
    {
        double[] logC = [.. points.Select(p => Math.Log(6 * p.Parameters * p.Tokens))];
        double cut = logC.Min() + fraction * (logC.Max() - logC.Min());
        var fit = points.Where((_, i) => logC[i] <= cut).ToArray();
        var held = points.Where((_, i) => logC[i] > cut).ToArray();
        if (fit.Length < FewestPoints || held.Length == 0)
            return null;
        var law = ScalingLawFitter.Fit(fit, fixedE).Law;
        var errors = held.Select(p => (p.Parameters, p.Tokens, p.Loss, law.Loss(p.Parameters, p.Tokens))).ToArray();
        return new PredictionCheck(fit.Length, errors, errors.Average(e => Math.Abs(e.Item4 - e.Loss)), errors.Average(e => Math.Abs(e.Item4 - e.Loss) / e.Loss),
            rate is { } r ? errors.Count(e => e.Item4 < r) : 0);
    }

    /// <summary>
    /// Writes report.md, fits.json and two PNG plots per fitted source (loss-by-parameters-SOURCE.png, loss-by-compute-SOURCE.png)
    /// into folder; returns report.md's path and the fits it reports.
    /// </summary>
    public static (string Report, IReadOnlyList<ScalingAnalysis> Analyses) Write(string folder, ScalingSpec spec, IReadOnlyList<ScalingResult> results)
    {
        var analyses = Analyse(spec, results);
        AtomicFile.Write(Path.Combine(folder, "fits.json"), JsonSerializer.Serialize(new
        {
            sources = analyses.Select(a => new
            {
                a.Source, a.Cells, a.EntropyRate, free = Describe(a.Free), @fixed = a.Fixed is null ? null : Describe(a.Fixed), a.FixedNote,
                a.IntervalCoversEntropyRate, prediction = Describe(a.Prediction), fixedPrediction = Describe(a.FixedPrediction),
            }),
        }, ExperimentSpec.Json));
        foreach (var analysis in analyses)
            Plots(folder, Points(results, analysis.Source), analysis);
        string report = Path.Combine(folder, "report.md");
        AtomicFile.Write(report, ScalingMarkdown.Report(spec, results, analyses));
        return (report, analyses);
    }

    /// <summary>The file name of a source's plot of one kind ("loss-by-parameters" or "loss-by-compute").</summary>
    public static string PlotFile(string kind, string source) => Invariant($"{kind}-{ScalingCell.SourceFolder(source)}.png");

    private static object? Describe(PredictionCheck? check) =>
        check is null ? null : new { check.FitCells, check.MeanAbsoluteError, check.MeanRelativeError, check.BelowEntropyRate };

    private static object Describe(ScalingFit fit) => new
    {
        fit.Law.E, fit.Law.A, alpha = fit.Law.Alpha, fit.Law.B, beta = fit.Law.Beta, fit.Objective, fit.EFixed, fit.Resamples,
        intervals = fit.Intervals.ToDictionary(p => p.Key, p => new[] { p.Value.Lower, p.Value.Upper }),
    };

    private static void Plots(string folder, ScalingPoint[] points, ScalingAnalysis analysis)
    {
        var law = analysis.Free.Law;
        var series = new List<PlotSeries>();
        foreach (var group in points.GroupBy(p => p.Tokens).OrderBy(g => g.Key))
        {
            var ordered = group.OrderBy(p => p.Parameters).ToArray();
            series.Add(new PlotSeries(Invariant($"D = {group.Key:G3}"), [.. ordered.Select(p => Math.Log10(p.Parameters))], [.. ordered.Select(p => p.Loss)]));
            series.Add(new PlotSeries(Invariant($"fit, D = {group.Key:G3}"), [.. ordered.Select(p => Math.Log10(p.Parameters))], [.. ordered.Select(p => law.Loss(p.Parameters, group.Key))]));
        }
        double[] logN = [.. points.Select(p => Math.Log10(p.Parameters))];
        if (analysis.EntropyRate is { } rate)
            series.Add(new PlotSeries("exact entropy rate", [logN.Min(), logN.Max()], [rate, rate]));
        LinePlot.Save(Path.Combine(folder, PlotFile("loss-by-parameters", analysis.Source)), Invariant($"{analysis.Source}: held-out loss against N, with the fitted law (E free)"),
            "log₁₀ N (non-embedding parameters)", "nats per symbol", series);
        var frontier = points.Select(p => 6 * p.Parameters * p.Tokens).Order().ToArray();
        List<PlotSeries> compute =
        [
            new PlotSeries("cells", [.. points.Select(p => Math.Log10(6 * p.Parameters * p.Tokens))], [.. points.Select(p => p.Loss)], MarkersOnly: true),
            new PlotSeries("L(N*(C), D*(C))", [.. frontier.Select(Math.Log10)], [.. frontier.Select(c => law.ComputeOptimal(c) is var (n, d) ? law.Loss(n, d) : double.NaN)]),
        ];
        if (analysis.EntropyRate is { } exact)
            compute.Add(new PlotSeries("exact entropy rate", [Math.Log10(frontier[0]), Math.Log10(frontier[^1])], [exact, exact]));
        LinePlot.Save(Path.Combine(folder, PlotFile("loss-by-compute", analysis.Source)), Invariant($"{analysis.Source}: held-out loss against compute, and the fitted compute-optimal frontier"),
            "log₁₀ C (FLOPs)", "nats per symbol", compute);
    }
}
