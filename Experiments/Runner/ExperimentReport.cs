using Workbench.Formal.IO;
using System.Globalization;
using System.Text;
using Workbench.Automata.Formats;
using Workbench.Experiments.Reports;

namespace Workbench.Experiments.Runner;

/// <summary>
/// Turns cell results into summary.csv (one row per cell), report.md (language × architecture tables of
/// KL per symbol, support accuracy and next-symbol-set accuracy, means over seeds at the best learning rate of a
/// sweep, and the best single cell, which is what Delétang et al. 2023 report) and PNG plots (KL per
/// symbol against length bin, and learning curves from the cells' metrics.jsonl). Rebuilding needs only
/// the results, so shards merge by listing their folders.
/// </summary>
public static class ExperimentReport
{
    /// <summary>
    /// One language × architecture entry: means over the seeds at the learning rate whose mean KL is lowest (the only
    /// rate without a sweep), and the lowest KL of any cell (over seeds and rates).
    /// </summary>
    public sealed record Summary(string Language, string Level, string Architecture, int KindOrder, int Seeds, double KlPerSymbol, double? SupportAccuracy, double NextSymbolSetAccuracy, double? LongestBinExcess,
        double LearningRate, double BestKlPerSymbol)
    {
        /// <summary>Recognizer cells (FLaRe): the mean test accuracy over every cell (seeds and rates: the paper's "inductive bias" column); null for language models.</summary>
        public double? MeanRecognitionAccuracy { get; init; }

        /// <summary>Recognizer cells: the best test accuracy of any cell (the paper's "expressivity" column).</summary>
        public double? BestRecognitionAccuracy { get; init; }
    }

    /// <summary>The architecture columns of a table: trained ones by name, then the constructed and sanity baselines.</summary>
    public static string[] Columns(IReadOnlyList<Summary> summaries) =>
        summaries.Select(s => (s.Architecture, s.KindOrder)).Distinct().OrderBy(c => c.KindOrder).ThenBy(c => c.Architecture, StringComparer.Ordinal).Select(c => c.Architecture).ToArray();

    /// <summary>Means over seeds per language and architecture: trained architectures first, then the constructed and sanity baselines.</summary>
    public static IReadOnlyList<Summary> Summarise(IReadOnlyList<CellResult> results) =>
        results.OrderBy(r => Rank(r.Language) ?? 0).ThenBy(r => r.Language, StringComparer.Ordinal)
            .ThenBy(r => KindOrder(r.Kind))
            .ThenBy(r => r.Architecture, StringComparer.Ordinal)
            .GroupBy(r => (r.Language, r.Architecture))
            .Select(g =>
            {
                var best = g.GroupBy(r => r.LearningRate).MinBy(rate => rate.Average(r => r.KlPerSymbol.Value))!.ToArray();
                return new Summary(g.Key.Language, ShortLevel(g.First().Level), g.Key.Architecture, KindOrder(g.First().Kind), best.Length,
                    best.Average(r => r.KlPerSymbol.Value), best.Average(r => r.SupportAccuracy), best.Average(r => r.NextSymbolSetAccuracy), LongestBinMean(best),
                    best[0].LearningRate, g.Min(r => r.KlPerSymbol.Value))
                {
                    MeanRecognitionAccuracy = g.All(r => r.Recognition is not null) ? g.Average(r => r.Recognition!.TestAccuracy) : null,
                    BestRecognitionAccuracy = g.All(r => r.Recognition is not null) ? g.Max(r => r.Recognition!.TestAccuracy) : null,
                };
            })
            .ToArray();

    private static int KindOrder(string kind) => kind == nameof(CellKind.Trained) ? 0 : kind == nameof(CellKind.Constructed) ? 1 : 2;

    private static string ShortLevel(string level) => level switch
    {
        nameof(Languages.ChomskyLevel.ContextFree) => "CF",
        nameof(Languages.ChomskyLevel.ContextSensitive) => "CS",
        _ => "R",
    };

    private static double? LongestBinMean(IEnumerable<CellResult> cells)
    {
        double[] values = cells.Select(r => r.LengthBins.LastOrDefault(b => b.ExcessSurprisalPerSymbol is not null)?.ExcessSurprisalPerSymbol?.Value)
            .OfType<double>().ToArray();
        return values.Length == 0 ? null : values.Average();
    }

    /// <summary>Writes summary.csv, report.md and the plots into the folder; returns the files written.</summary>
    public static IReadOnlyList<string> Write(string folder, string title, IReadOnlyList<CellResult> results, IEnumerable<string> runFolders)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        string csv = Path.Combine(folder, "summary.csv");
        AtomicFile.Write(csv, Csv(results));
        written.Add(csv);

        var plots = new List<(string File, string Caption)>();
        foreach (var language in results.Select(r => r.Language).Distinct())
        {
            var cells = results.Where(r => r.Language == language).ToArray();
            var series = cells.GroupBy(r => r.Architecture).Select(g =>
            {
                var bins = g.First().LengthBins.Select((b, i) => (Centre: (b.Min + b.Max) / 2.0, Values: g.Select(r => r.LengthBins[i].ExcessSurprisalPerSymbol?.Value).Where(v => v is not null).ToArray()))
                    .Where(b => b.Values.Length > 0).ToArray();
                return new PlotSeries(g.Key, bins.Select(b => b.Centre).ToArray(), bins.Select(b => b.Values.Average(v => v!.Value)).ToArray());
            }).ToArray();
            string file = Invariant($"kl-by-length-{Safe(language)}.png");
            LinePlot.Save(Path.Combine(folder, file), Invariant($"{language}: excess surprisal per symbol by string length"), "string length (bin centre)", "nats per symbol", series);
            plots.Add((file, Invariant($"{language}: KL contribution per symbol by length (mean over seeds)")));
            written.Add(Path.Combine(folder, file));
        }
        foreach (var language in results.Select(r => r.Language).Distinct())
        {
            var curves = new List<PlotSeries>();
            foreach (var cell in results.Where(r => r.Language == language && r.Kind == nameof(CellKind.Trained)))
                foreach (string run in runFolders)
                {
                    string metrics = Path.Combine(ExperimentRunner.CellFolder(run, new Cell(cell.Language, cell.Architecture, cell.Model, cell.Seed, CellKind.Trained, cell.Swept ? cell.LearningRate : null)), Neural.Training.Trainer.MetricsFile);
                    if (!File.Exists(metrics))
                        continue;
                    string label = cell.Swept ? Invariant($"{cell.Architecture} lr {cell.LearningRate:G3} seed {cell.Seed}") : Invariant($"{cell.Architecture} seed {cell.Seed}");
                    if (cell.Recognition is not null)
                    {
                        var records = Neural.Recognition.RecognizerTrainer.ReadEvaluations(metrics);
                        curves.Add(new PlotSeries(label, records.Select(e => (double)e.Step).ToArray(), records.Select(e => e.ValidationAccuracy).ToArray()));
                        break;
                    }
                    var evaluations = Neural.Training.Trainer.ReadEvaluations(metrics, long.MaxValue);
                    curves.Add(new PlotSeries(label, evaluations.Select(e => (double)e.Step).ToArray(), evaluations.Select(e => e.KlPerSymbol?.Value ?? double.NaN).ToArray()));
                    break;
                }
            if (curves.Count == 0)
                continue;
            string file = Invariant($"learning-curve-{Safe(language)}.png");
            bool recognizers = results.Any(r => r.Language == language && r.Recognition is not null);
            LinePlot.Save(Path.Combine(folder, file), Invariant($"{language}: {(recognizers ? "validation accuracy of the recognizers" : "held-out KL per symbol")} during training"), "step",
                recognizers ? "validation accuracy" : "KL (nats per symbol)", curves);
            plots.Add((file, Invariant($"{language}: learning curves")));
            written.Add(Path.Combine(folder, file));
        }
        var ranked = results.Where(r => r.Kind == nameof(CellKind.Trained) && Rank(r.Language) is not null).ToArray();
        if (ranked.Select(r => Rank(r.Language)).Distinct().Count() > 1)
        {
            var series = ranked.GroupBy(r => r.Architecture).Select(g =>
            {
                var points = g.GroupBy(r => Rank(r.Language)!.Value).OrderBy(p => p.Key).ToArray();
                return new PlotSeries(g.Key, points.Select(p => (double)p.Key).ToArray(), points.Select(p => p.Average(r => r.KlPerSymbol.Value)).ToArray());
            }).ToArray();
            const string file = "kl-by-rank.png";
            LinePlot.Save(Path.Combine(folder, file), "KL per symbol against the logit rank of the source PFSA", "rank", "KL (nats per symbol)", series);
            plots.Add((file, "KL per symbol against the source's logit rank"));
            written.Add(Path.Combine(folder, file));
        }
        string markdown = Path.Combine(folder, "report.md");
        AtomicFile.Write(markdown, Markdown(title, results, plots));
        written.Add(markdown);
        return written;
    }

    /// <summary>The language × architecture table of one quantity, as Markdown.</summary>
    public static string Table(IReadOnlyList<Summary> summaries, Func<Summary, string> cell)
    {
        var architectures = Columns(summaries);
        var text = new StringBuilder();
        text.AppendLine("| language | level | " + string.Join(" | ", architectures) + " |");
        text.AppendLine("|---|---|" + string.Concat(architectures.Select(_ => "---|")));
        foreach (var language in summaries.GroupBy(s => s.Language))
            text.AppendLine(Invariant($"| {Display(language.Key)} | {language.First().Level} | ") +
                string.Join(" | ", architectures.Select(a => language.FirstOrDefault(s => s.Architecture == a) is { } s ? cell(s) : "–")) + " |");
        return text.ToString();
    }

    private static string Markdown(string title, IReadOnlyList<CellResult> results, IReadOnlyList<(string File, string Caption)> plots)
    {
        var summaries = Summarise(results);
        var text = new StringBuilder();
        text.AppendLine(Invariant($"# {title}"));
        text.AppendLine();
        text.AppendLine(Invariant($"{results.Count} cells. KL(p ‖ q) per symbol on held-out samples of the source itself (mean over seeds, at the best learning rate of a sweep; 0 is perfect). Support accuracy: the share of the model's own finished samples in the language (samples cut by the length cap are left out and counted in summary.csv's support_truncated). Next-symbol sets: the share of held-out strings on which {{ȳ : q(ȳ | prefix) > {CellEvaluation.NextSetThreshold}}} equals the language's set at every prefix. The longest length bin's excess surprisal per symbol measures length generalisation."));
        text.AppendLine();
        if (summaries.Any(s => s.MeanRecognitionAccuracy is not null))
        {
            text.AppendLine("## Recognition accuracy on the test strings (FLaRe protocol): mean over cells / best cell");
            text.AppendLine();
            text.AppendLine("Butoi et al. (2025) report the mean over trials (inductive bias) and the best trial (expressivity). The KL tables below are of each network's LM head, which only a positive λ_LM trains.");
            text.AppendLine();
            text.Append(Table(summaries, s => s.MeanRecognitionAccuracy is { } mean ? Invariant($"{mean:F3} / {s.BestRecognitionAccuracy:F3}") : "–"));
            text.AppendLine();
        }
        text.AppendLine("## KL per symbol (nats)");
        text.AppendLine();
        text.Append(Table(summaries, s => s.KlPerSymbol.ToString("G3", CultureInfo.InvariantCulture)));
        text.AppendLine();
        text.AppendLine("## Lowest KL per symbol of any cell (the best seed and learning rate, as Delétang et al. report the best)");
        text.AppendLine();
        text.Append(Table(summaries, s => s.BestKlPerSymbol.ToString("G3", CultureInfo.InvariantCulture)));
        text.AppendLine();
        if (results.Any(r => r.Swept))
        {
            text.AppendLine("## Learning rate with the lowest mean KL (the rate of the tables above)");
            text.AppendLine();
            text.Append(Table(summaries, s => s.KindOrder == 0 ? s.LearningRate.ToString("G3", CultureInfo.InvariantCulture) : "–"));
            text.AppendLine();
        }
        text.AppendLine("## Support accuracy");
        text.AppendLine();
        text.Append(Table(summaries, s => s.SupportAccuracy?.ToString("P0", CultureInfo.InvariantCulture) ?? "–"));
        text.AppendLine();
        text.AppendLine("## Next-symbol-set accuracy");
        text.AppendLine();
        text.Append(Table(summaries, s => s.NextSymbolSetAccuracy.ToString("P0", CultureInfo.InvariantCulture)));
        text.AppendLine();
        text.AppendLine("## Excess surprisal per symbol in the longest length bin");
        text.AppendLine();
        text.Append(Table(summaries, s => s.LongestBinExcess?.ToString("G3", CultureInfo.InvariantCulture) ?? "–"));
        text.AppendLine();
        text.AppendLine("## Plots");
        text.AppendLine();
        foreach (var (file, caption) in plots)
            text.AppendLine(Invariant($"![{caption}]({file})"));
        return text.ToString();
    }

    private static string Csv(IReadOnlyList<CellResult> results)
    {
        var text = new StringBuilder("language,level,architecture,kind,seed,source_entropy,cross_entropy_per_symbol,kl_per_string,kl_per_string_lower,kl_per_string_upper,kl_per_symbol,kl_from_entropy,kl_from_entropy_lower,kl_from_entropy_upper,support_accuracy,support_truncated,next_symbol_set_accuracy,longest_bin_excess_per_symbol,tightness,steps,tokens,seconds,learning_rate,stopped_early,recognition_test_accuracy,recognition_validation_accuracy\n");
        foreach (var r in results)
        {
            var longest = r.LengthBins.LastOrDefault(b => b.ExcessSurprisalPerSymbol is not null)?.ExcessSurprisalPerSymbol;
            text.AppendLine(string.Join(",",
                r.Language, r.Level, r.Architecture, r.Kind, Number(r.Seed), Optional(r.SourceEntropyPerString), Number(r.CrossEntropyPerSymbol),
                Number(r.KlPerString.Value), Number(r.KlPerString.Lower), Number(r.KlPerString.Upper), Number(r.KlPerSymbol.Value),
                Optional(r.KlFromEntropy?.Value), Optional(r.KlFromEntropy?.Lower), Optional(r.KlFromEntropy?.Upper),
                r.SupportAccuracy is { } accuracy ? Number(accuracy) : "", Number(r.SupportTruncated), Number(r.NextSymbolSetAccuracy), longest is null ? "" : Number(longest.Value), r.Tightness, Number(r.Steps), Number(r.Tokens), Number(r.Seconds),
                Number(r.LearningRate), r.StoppedEarly ? "true" : "false", Optional(r.Recognition?.TestAccuracy), Optional(r.Recognition?.ValidationAccuracy)));
        }
        return text.ToString();
    }

    /// <summary>A language name shortened for tables (random-pfsa:states=32,symbols=16,rank=2,seed=1 → pfsa Q=32 Σ=16 r=2 s=1).</summary>
    public static string Display(string language) => language.StartsWith("random-pfsa:", StringComparison.Ordinal)
        ? "pfsa " + language["random-pfsa:".Length..].Replace("states=", "Q=", StringComparison.Ordinal).Replace("symbols=", "Σ=", StringComparison.Ordinal)
            .Replace("rank=", "r=", StringComparison.Ordinal).Replace("seed=", "s=", StringComparison.Ordinal).Replace(',', ' ')
        : language;

    /// <summary>The logit rank of a random-pfsa language, or null for other languages.</summary>
    private static int? Rank(string language)
    {
        if (!language.StartsWith("random-pfsa:", StringComparison.Ordinal))
            return null;
        string? rank = language["random-pfsa:".Length..].Split(',').FirstOrDefault(p => p.StartsWith("rank=", StringComparison.Ordinal));
        return rank is not null && int.TryParse(rank["rank=".Length..], out int value) ? value : null;
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    // An empty field where the value is not known (no exact source entropy).
    private static string Optional(double? value) => value is { } known ? Number(known) : "";

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c == '-' ? c : '_'));
}
