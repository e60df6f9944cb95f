using System.Globalization;
using System.Text;

namespace Workbench.Experiments.Scaling;

/// <summary>The text of a scaling run's report.md: the sources side by side, then each source's cells, fits, prediction check and frontier.</summary>
public static class ScalingMarkdown
{
    /// <summary>report.md for the finished cells and the fits of the sources that have enough of them.</summary>
    public static string Report(ScalingSpec spec, IReadOnlyList<ScalingResult> results, IReadOnlyList<ScalingAnalysis> analyses)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"# {spec.Name}: scaling of {spec.Model} on {string.Join(", ", spec.SourceNames)}"));
        text.AppendLine();
        text.AppendLine(Invariant($"{results.Count} cells of {spec.Cells().Count}. L is the final held-out cross-entropy per symbol (EOS included), N the non-embedding parameters, D the training tokens, C = 6ND."));
        text.AppendLine();
        var waiting = spec.SourceNames.Where(source => analyses.All(a => a.Source != source)).ToArray();
        foreach (string source in waiting)
            text.AppendLine(Invariant($"Not fitted yet: {source} has {ScalingReport.Points(results, source).Length} of the {ScalingReport.FewestPoints} (N, D) points a fit needs.\n"));
        if (spec.SourceNames.Count > 1 && analyses.Count > 0)
            Comparison(text, analyses);
        foreach (var analysis in analyses)
            Source(text, spec, results.Where(r => r.Source == analysis.Source).ToArray(), analysis, spec.SourceNames.Count > 1 ? "##" : "");
        return text.ToString();
    }

    private static string G(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Error(PredictionCheck? check) => check is null ? "–"
        : Invariant($"{check.MeanAbsoluteError:G3} ({check.MeanRelativeError:P2})") + (check.BelowEntropyRate > 0 ? Invariant($", {check.BelowEntropyRate} below the entropy rate") : "");

    private static string WithInterval(ScalingFit fit, string name, double value) =>
        fit.Intervals.TryGetValue(name, out var interval) ? Invariant($"{G(value)} [{G(interval.Lower)}, {G(interval.Upper)}]") : G(value);

    private static void Comparison(StringBuilder text, IReadOnlyList<ScalingAnalysis> analyses)
    {
        text.AppendLine("## The sources side by side");
        text.AppendLine();
        text.AppendLine("Each source is fitted on its own grid; intervals are 95% bootstrap intervals.");
        text.AppendLine();
        text.AppendLine("| source | exact entropy rate | E (free) | covers? | α (free) | β (free) | α, β (E fixed) | prediction error (E free) | prediction error (E fixed) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var a in analyses)
        {
            string rate = a.EntropyRate is { } r ? G(r) : "unknown";
            string covers = a.IntervalCoversEntropyRate switch { true => "yes", false => "no", null => "–" };
            string fixedExponents = a.Fixed is { } f ? Invariant($"{G(f.Law.Alpha)}, {G(f.Law.Beta)}") : "–";
            text.AppendLine(Invariant($"| {a.Source} | {rate} | {WithInterval(a.Free, "E", a.Free.Law.E)} | {covers} | {WithInterval(a.Free, "alpha", a.Free.Law.Alpha)} | {WithInterval(a.Free, "beta", a.Free.Law.Beta)} | {fixedExponents} | {Error(a.Prediction)} | {Error(a.FixedPrediction)} |"));
        }
        text.AppendLine();
    }

    // One source's section; level is "" for a one-source report (its sections are then top-level "##") or "##" under a comparison.
    private static void Source(StringBuilder text, ScalingSpec spec, IReadOnlyList<ScalingResult> results, ScalingAnalysis analysis, string level)
    {
        string section = level + "##";
        if (level.Length > 0)
        {
            text.AppendLine(Invariant($"{level} {analysis.Source}"));
            text.AppendLine();
        }
        text.AppendLine("| hidden | N | D | C | L (nats/symbol) | ± SE | learning rate | seed | seconds |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results.OrderBy(r => r.Hidden).ThenBy(r => r.TokenBudget).ThenBy(r => r.LearningRate).ThenBy(r => r.Seed))
            text.AppendLine(Invariant($"| {r.Hidden} | {r.Parameters} | {r.Tokens} | {r.Flops:G3} | {r.LossPerSymbol:F5} | {r.LossStandardError:F5} | {r.LearningRate?.ToString("G3", CultureInfo.InvariantCulture) ?? spec.Training.LearningRate.ToString("G3", CultureInfo.InvariantCulture)} | {r.Seed} | {r.Seconds:F0} |"));
        if (spec.Training.LearningRates.Length > 0)
            text.AppendLine().AppendLine("Each (N, D) point of the fits is the best learning rate's mean over seeds.");
        text.AppendLine();
        void Fit(string title, ScalingFit fit)
        {
            text.AppendLine(Invariant($"{section} {title}"));
            text.AppendLine();
            text.AppendLine(Invariant($"L(N, D) = {G(fit.Law.E)} + {G(fit.Law.A)}/N^{G(fit.Law.Alpha)} + {G(fit.Law.B)}/D^{G(fit.Law.Beta)} (Huber objective {fit.Objective:G3})."));
            if (fit.Intervals.Count > 0)
                text.AppendLine(Invariant($"95% bootstrap intervals ({fit.Resamples} resamples): ") + string.Join("; ", fit.Intervals.Select(p => Invariant($"{p.Key} [{G(p.Value.Lower)}, {G(p.Value.Upper)}]"))) + ".");
            text.AppendLine();
        }
        Fit("Fit with E free", analysis.Free);
        if (analysis.EntropyRate is { } rate)
        {
            text.AppendLine(Invariant($"The exact entropy rate of the source is {G(rate)} nats per symbol; the fitted E is {G(analysis.Free.Law.E)}") +
                (analysis.Free.Intervals.TryGetValue("E", out var interval)
                    ? Invariant($", and its interval [{G(interval.Lower)}, {G(interval.Upper)}] {(analysis.IntervalCoversEntropyRate == true ? "covers" : "does not cover")} it.")
                    : "."));
            text.AppendLine();
        }
        if (analysis.Fixed is { } fixedFit)
            Fit("Fit with E fixed at the exact entropy rate", fixedFit);
        else if (analysis.FixedNote is { } note)
            text.AppendLine(Invariant($"No fit with E fixed: {note}.\n"));
        Prediction(text, spec, analysis.Prediction, "E free", analysis.EntropyRate, section);
        if (analysis.FixedPrediction is { } fixedPrediction)
            Prediction(text, spec, fixedPrediction, "E fixed at the exact entropy rate", analysis.EntropyRate, section);
        Frontier(text, results, analysis.Free.Law, section);
        text.AppendLine(Invariant($"![loss against N]({ScalingReport.PlotFile("loss-by-parameters", analysis.Source)})"));
        text.AppendLine(Invariant($"![loss against compute]({ScalingReport.PlotFile("loss-by-compute", analysis.Source)})"));
        text.AppendLine();
    }

    private static void Prediction(StringBuilder text, ScalingSpec spec, PredictionCheck? prediction, string fit, double? rate, string section)
    {
        if (prediction is null)
        {
            text.AppendLine(Invariant($"No prediction check: fewer than {ScalingReport.FewestPoints} points below the compute cut, or none above it."));
            text.AppendLine();
            return;
        }
        text.AppendLine(Invariant($"{section} Prediction ({fit}): fitted on the {prediction.FitCells} cheapest points (log C in the lowest {spec.FitFraction:P0} of the range)"));
        text.AppendLine();
        text.AppendLine("| N | D | measured L | predicted L |");
        text.AppendLine("|---|---|---|---|");
        foreach (var e in prediction.Errors)
            text.AppendLine(Invariant($"| {e.Parameters:G4} | {e.Tokens:G4} | {e.Measured:F5} | {e.Predicted:F5} |"));
        text.AppendLine();
        text.AppendLine(Invariant($"Mean absolute error {prediction.MeanAbsoluteError:G3} nats per symbol, mean relative error {prediction.MeanRelativeError:P2}.") +
            (prediction.BelowEntropyRate > 0 && rate is { } r
                ? Invariant($" {prediction.BelowEntropyRate} of the {prediction.Errors.Count} predictions fall below the exact entropy rate {r:G4}, which no model's cross-entropy can reach.")
                : ""));
        text.AppendLine();
    }

    private static void Frontier(StringBuilder text, IReadOnlyList<ScalingResult> results, ScalingLaw law, string section)
    {
        text.AppendLine(Invariant($"{section} Compute-optimal allocation (E free)"));
        text.AppendLine();
        text.AppendLine("| C (FLOPs) | N* | D* | L(N*, D*) |");
        text.AppendLine("|---|---|---|---|");
        double top = results.Max(r => r.Flops);
        foreach (double c in new[] { top / 100, top, top * 100 })
        {
            var (n, d) = law.ComputeOptimal(c);
            text.AppendLine(Invariant($"| {c:G3} | {n:G3} | {d:G3} | {law.Loss(n, d):F5} |"));
        }
        text.AppendLine();
    }
}
