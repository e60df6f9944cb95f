using System.Globalization;
using System.Text;
using System.Text.Json;
using Workbench.Experiments.Reports;
using Workbench.Experiments.Runner;
using Workbench.Formal.IO;

namespace Workbench.Experiments.Scaling;

/// <summary>The fits of a scaling run: E free, E fixed at the exact entropy rate, and the prediction check.</summary>
/// <param name="Cells">Finished cells (means over seeds form the points).</param>
/// <param name="EntropyRate">The source's exact entropy rate per symbol, where known.</param>
/// <param name="Free">The fit with E free.</param>
/// <param name="Fixed">The fit with E at the entropy rate (null without one, or when a cell's loss is not above it).</param>
/// <param name="FixedNote">Why there is no fixed-E fit, when there is none.</param>
/// <param name="Prediction">The fit on the cheaper cells and its errors on the dearer ones (null when either side has too few points).</param>
public sealed record ScalingAnalysis(int Cells, double? EntropyRate, ScalingFit Free, ScalingFit? Fixed, string? FixedNote, PredictionCheck? Prediction);

/// <summary>A fit on the cells with log C in the lowest share of the range, predicting the rest.</summary>
/// <param name="FitCells">Points the fit used.</param>
/// <param name="Errors">For every held-back point: its N, D, measured and predicted loss.</param>
/// <param name="MeanAbsoluteError">Mean |predicted − measured| in nats per symbol.</param>
/// <param name="MeanRelativeError">Mean |predicted − measured|/measured.</param>
public sealed record PredictionCheck(int FitCells, IReadOnlyList<(double Parameters, double Tokens, double Measured, double Predicted)> Errors, double MeanAbsoluteError, double MeanRelativeError);

/// <summary>Fits the law to a scaling run and writes report.md, fits.json and the plots.</summary>
public static class ScalingReport
{
    /// <summary>The fits of finished cells (seeds averaged per N and D).</summary>
    public static ScalingAnalysis Analyse(ScalingSpec spec, IReadOnlyList<ScalingResult> results)
    {
        var points = Points(results);
        double? rate = ScalingRunner.EntropyRate(Languages.LanguageSuite.Get(spec.Source));
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
        return new ScalingAnalysis(results.Count, rate, free, fixedFit, note, Predict(points, spec.FitFraction));
    }

    private static ScalingPoint[] Points(IReadOnlyList<ScalingResult> results) =>
        [.. results.GroupBy(r => (r.Hidden, r.TokenBudget)).Select(g => new ScalingPoint(g.Average(r => (double)r.Parameters), g.Average(r => (double)r.Tokens), g.Average(r => r.LossPerSymbol)))];

    private static PredictionCheck? Predict(ScalingPoint[] points, double fraction)
    {
        double[] logC = [.. points.Select(p => Math.Log(6 * p.Parameters * p.Tokens))];
        double cut = logC.Min() + fraction * (logC.Max() - logC.Min());
        var fit = points.Where((_, i) => logC[i] <= cut).ToArray();
        var held = points.Where((_, i) => logC[i] > cut).ToArray();
        if (fit.Length < 6 || held.Length == 0)
            return null;
        var law = ScalingLawFitter.Fit(fit).Law;
        var errors = held.Select(p => (p.Parameters, p.Tokens, p.Loss, law.Loss(p.Parameters, p.Tokens))).ToArray();
        return new PredictionCheck(fit.Length, errors, errors.Average(e => Math.Abs(e.Item4 - e.Loss)), errors.Average(e => Math.Abs(e.Item4 - e.Loss) / e.Loss));
    }

    /// <summary>Writes report.md, fits.json and the PNG plots into folder; returns report.md's path and the fits it reports.</summary>
    public static (string Report, ScalingAnalysis Analysis) Write(string folder, ScalingSpec spec, IReadOnlyList<ScalingResult> results)
    {
        var analysis = Analyse(spec, results);
        AtomicFile.Write(Path.Combine(folder, "fits.json"), JsonSerializer.Serialize(new
        {
            analysis.Cells, analysis.EntropyRate, free = Describe(analysis.Free), @fixed = analysis.Fixed is null ? null : Describe(analysis.Fixed), analysis.FixedNote,
            prediction = analysis.Prediction is { } p ? new { p.FitCells, p.MeanAbsoluteError, p.MeanRelativeError } : null,
        }, ExperimentSpec.Json));
        Plots(folder, results, analysis.Free.Law);
        string report = Path.Combine(folder, "report.md");
        AtomicFile.Write(report, Markdown(spec, results, analysis));
        return (report, analysis);
    }

    private static object Describe(ScalingFit fit) => new
    {
        fit.Law.E, fit.Law.A, alpha = fit.Law.Alpha, fit.Law.B, beta = fit.Law.Beta, fit.Objective, fit.EFixed, fit.Resamples,
        intervals = fit.Intervals.ToDictionary(p => p.Key, p => new[] { p.Value.Lower, p.Value.Upper }),
    };

    private static void Plots(string folder, IReadOnlyList<ScalingResult> results, ScalingLaw law)
    {
        var points = Points(results);
        var byTokens = points.GroupBy(p => p.Tokens).OrderBy(g => g.Key).ToArray();
        var series = new List<PlotSeries>();
        foreach (var group in byTokens)
        {
            var ordered = group.OrderBy(p => p.Parameters).ToArray();
            series.Add(new PlotSeries(Invariant($"D = {group.Key:G3}"), [.. ordered.Select(p => Math.Log10(p.Parameters))], [.. ordered.Select(p => p.Loss)]));
            series.Add(new PlotSeries(Invariant($"fit, D = {group.Key:G3}"), [.. ordered.Select(p => Math.Log10(p.Parameters))], [.. ordered.Select(p => law.Loss(p.Parameters, group.Key))]));
        }
        LinePlot.Save(Path.Combine(folder, "loss-by-parameters.png"), "held-out loss against N, with the fitted law (E free)", "log₁₀ N (non-embedding parameters)", "nats per symbol", series);
        var frontier = points.Select(p => 6 * p.Parameters * p.Tokens).Order().ToArray();
        LinePlot.Save(Path.Combine(folder, "loss-by-compute.png"), "held-out loss against compute, and the fitted compute-optimal frontier", "log₁₀ C (FLOPs)", "nats per symbol",
        [
            new PlotSeries("cells", [.. points.Select(p => Math.Log10(6 * p.Parameters * p.Tokens))], [.. points.Select(p => p.Loss)]),
            new PlotSeries("L(N*(C), D*(C))", [.. frontier.Select(Math.Log10)], [.. frontier.Select(c => law.ComputeOptimal(c) is var (n, d) ? law.Loss(n, d) : double.NaN)]),
        ]);
    }

    private static string Markdown(ScalingSpec spec, IReadOnlyList<ScalingResult> results, ScalingAnalysis analysis)
    {
        string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.AppendLine(Invariant($"# {spec.Name}: scaling of {spec.Model} on {spec.Source}"));
        text.AppendLine();
        text.AppendLine(Invariant($"{results.Count} cells of {spec.Cells().Count}. L is the final held-out cross-entropy per symbol (EOS included), N the non-embedding parameters, D the training tokens, C = 6ND."));
        text.AppendLine();
        text.AppendLine("| hidden | N | D | C | L (nats/symbol) | ± SE | seed | seconds |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in results.OrderBy(r => r.Hidden).ThenBy(r => r.TokenBudget).ThenBy(r => r.Seed))
            text.AppendLine(Invariant($"| {r.Hidden} | {r.Parameters} | {r.Tokens} | {r.Flops:G3} | {r.LossPerSymbol:F5} | {r.LossStandardError:F5} | {r.Seed} | {r.Seconds:F0} |"));
        text.AppendLine();
        void Fit(string title, ScalingFit fit)
        {
            text.AppendLine(Invariant($"## {title}"));
            text.AppendLine();
            text.AppendLine(Invariant($"L(N, D) = {G(fit.Law.E)} + {G(fit.Law.A)}/N^{G(fit.Law.Alpha)} + {G(fit.Law.B)}/D^{G(fit.Law.Beta)} (Huber objective {fit.Objective:G3})."));
            if (fit.Intervals.Count > 0)
                text.AppendLine(Invariant($"95% bootstrap intervals ({fit.Resamples} resamples): ") + string.Join("; ", fit.Intervals.Select(p => Invariant($"{p.Key} [{G(p.Value.Lower)}, {G(p.Value.Upper)}]"))) + ".");
            text.AppendLine();
        }
        Fit("Fit with E free", analysis.Free);
        if (analysis.EntropyRate is { } rate)
        {
            var interval = analysis.Free.Intervals.GetValueOrDefault("E");
            bool covered = analysis.Free.Intervals.ContainsKey("E") && interval.Lower <= rate && rate <= interval.Upper;
            text.AppendLine(Invariant($"The exact entropy rate of the source is {G(rate)} nats per symbol; the fitted E is {G(analysis.Free.Law.E)}") +
                (analysis.Free.Intervals.ContainsKey("E") ? Invariant($", and its interval [{G(interval.Lower)}, {G(interval.Upper)}] {(covered ? "covers" : "does not cover")} it.") : "."));
            text.AppendLine();
        }
        if (analysis.Fixed is { } fixedFit)
            Fit("Fit with E fixed at the exact entropy rate", fixedFit);
        else if (analysis.FixedNote is { } note)
            text.AppendLine(Invariant($"No fit with E fixed: {note}.\n"));
        if (analysis.Prediction is { } prediction)
        {
            text.AppendLine(Invariant($"## Prediction: fitted on the {prediction.FitCells} cheapest points (log C in the lowest {spec.FitFraction:P0} of the range)"));
            text.AppendLine();
            text.AppendLine("| N | D | measured L | predicted L |");
            text.AppendLine("|---|---|---|---|");
            foreach (var e in prediction.Errors)
                text.AppendLine(Invariant($"| {e.Parameters:G4} | {e.Tokens:G4} | {e.Measured:F5} | {e.Predicted:F5} |"));
            text.AppendLine();
            text.AppendLine(Invariant($"Mean absolute error {prediction.MeanAbsoluteError:G3} nats per symbol, mean relative error {prediction.MeanRelativeError:P2}."));
        }
        else
            text.AppendLine("No prediction check: fewer than 6 points below the compute cut, or none above it.");
        text.AppendLine();
        text.AppendLine("## Compute-optimal allocation (E free)");
        text.AppendLine();
        text.AppendLine("| C (FLOPs) | N* | D* | L(N*, D*) |");
        text.AppendLine("|---|---|---|---|");
        double top = results.Max(r => r.Flops);
        foreach (double c in new[] { top / 100, top, top * 100 })
        {
            var (n, d) = analysis.Free.Law.ComputeOptimal(c);
            text.AppendLine(Invariant($"| {c:G3} | {n:G3} | {d:G3} | {analysis.Free.Law.Loss(n, d):F5} |"));
        }
        text.AppendLine();
        text.AppendLine("![loss against N](loss-by-parameters.png)");
        text.AppendLine("![loss against compute](loss-by-compute.png)");
        return text.ToString();
    }
}
