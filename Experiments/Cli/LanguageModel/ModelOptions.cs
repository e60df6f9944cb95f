using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;

namespace Workbench.Experiments.Cli.LanguageModel;

/// <summary>Arguments, options and output shared by the `lm` commands.</summary>
internal static class ModelOptions
{
    public static Argument<string> Model(string name = "MODEL") =>
        new(name) { Description = $"The model: {ModelSpecification.Forms}." };

    public static Option<int> MaxLength(int defaultValue) =>
        new("--max-length") { Description = "Length cap for generation; strings cut by it are reported as truncated.", DefaultValueFactory = _ => defaultValue };

    public static Option<int> Samples(int defaultValue) =>
        new("--samples") { Description = "Number of Monte Carlo samples.", DefaultValueFactory = _ => defaultValue };

    /// <summary>The most model steps a sampling command may ask for (samples × length cap) before it is refused as a likely hang.</summary>
    public const long StepBudget = 10_000_000_000;

    /// <summary>Rejects a sample count or length cap out of range, and a product of both beyond <see cref="StepBudget"/>.</summary>
    /// <exception cref="Formal.Errors.WorkbenchException">A value is out of range, or the work would exceed the budget.</exception>
    public static void RequireFeasible(int samples, string samplesOption, int maxLength)
    {
        if (samples < 1) throw new Formal.Errors.WorkbenchException($"{samplesOption} must be at least 1 (got {samples}).");
        if (maxLength < 0) throw new Formal.Errors.WorkbenchException($"--max-length must be non-negative (got {maxLength}).");
        if ((long)samples * Math.Max(maxLength, 1) > StepBudget)
            throw new Formal.Errors.WorkbenchException(
                Invariant($"{samplesOption} {samples} × --max-length {maxLength} could take {(double)samples * maxLength:G3} model steps (a non-tight model runs every draw to the cap); the limit is {StepBudget:G3}. Lower one of them."));
    }

    /// <summary>Prints generated strings as a table or as JSON.</summary>
    public static void WriteStrings(CliContext context, ILanguageModel model, IReadOnlyList<GeneratedString> strings, int? seed, bool json)
    {
        var alphabet = model.Alphabet;
        // The view's log-probabilities are of p/Z where the view is renormalised; adding log Z gives the model's own
        // log p(y) (for a truncated draw, its own prefix mass log π(y)).
        var sampledFrom = EstimateCommand.SampledDistribution(model);
        double Own(GeneratedString s) => s.LogProbability + model.LogViewNormaliser;
        if (json)
        {
            JsonOutput.Write(context.Output, new
            {
                model = model.ToString(),
                seed,
                sampledFrom,
                strings = strings.Select(s => new { String = alphabet.Format(s.Symbols), s.Symbols.Length, LogProbability = Own(s), s.Truncated }),
            });
            return;
        }
        var table = new Table().AddColumns("string", "length", "log p (log π if truncated)", "truncated");
        foreach (var s in strings)
            table.AddRow(Markup.Escape(alphabet.Format(s.Symbols)), s.Symbols.Length.ToString(CultureInfo.InvariantCulture),
                Invariant($"{Own(s):G10}"), s.Truncated ? "[yellow]yes[/]" : "no");
        context.Console.Write(table);
        context.Console.WriteLine($"autoregressive view: {sampledFrom}{(seed is { } value ? $"; seed {value}" : "")}");
    }

    /// <summary>Prints Monte Carlo estimates next to exact values.</summary>
    public static void WriteEstimates(CliContext context, IReadOnlyList<EstimateRow> rows, int maxLength)
    {
        var table = new Table().AddColumns("quantity", "estimate", "95% CI", "exact");
        foreach (var row in rows)
            table.AddRow(Markup.Escape(row.Quantity), Invariant($"{row.Estimate.Value:G6} ± {row.Estimate.StandardError:G3}"),
                Markup.Escape(Invariant($"[{row.Estimate.Lower:G6}, {row.Estimate.Upper:G6}]")), Markup.Escape(row.Exact?.ToString() ?? "n/a"));
        context.Console.Write(table);
        var first = rows[0].Estimate;
        var truncated = rows.Max(r => r.Estimate.TruncatedSamples);
        context.Console.WriteLine(Invariant($"n = {first.SampleSize}, seed {first.Seed}{(truncated > 0 ? $", {truncated} samples hit the length cap {maxLength}" : "")}"));
    }
}

/// <summary>One line of an estimate table: a Monte Carlo estimate and, where the model has one, the exact value.</summary>
internal sealed record EstimateRow(string Quantity, Formal.Estimation.Estimate Estimate, CertifiedValue? Exact);
