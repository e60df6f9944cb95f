using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Workbench.Formal.Adapters;
using Workbench.Formal.Estimation;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;

namespace Workbench.Experiments.Cli;

/// <summary>`workbench lm tightness|score|sample|decode|estimate MODEL`: exact and estimated questions about one model.</summary>
internal static class LanguageModelCommands
{
    public static Command Create(CliContext context)
    {
        var lm = new Command("lm", $"Ask a language model exact questions. MODEL is one of: {ModelSpecification.Forms}.");
        lm.Subcommands.Add(Tightness(context));
        lm.Subcommands.Add(Score(context));
        lm.Subcommands.Add(Sample(context));
        lm.Subcommands.Add(Decode(context));
        lm.Subcommands.Add(Estimate(context));
        return lm;
    }

    private static Argument<string> ModelArgument() => new("MODEL") { Description = $"The model: {ModelSpecification.Forms}." };

    private static Option<int> MaxLength(int defaultValue) =>
        new("--max-length") { Description = "Length cap for generation; strings cut by it are reported as truncated.", DefaultValueFactory = _ => defaultValue };

    private static Command Tightness(CliContext context)
    {
        var model = ModelArgument();
        var json = CommonOptions.Json();
        var command = new Command("tightness", "Decide whether the model is tight, with the finite-string mass and the evidence.") { model, json };
        command.SetAction(result =>
        {
            var handle = ModelSpecification.Parse(result.GetValue(model)!);
            var report = handle.Model is ITightnessAnalyzable analyzable
                ? analyzable.AnalyzeTightness()
                : throw new Formal.Errors.WorkbenchException($"{handle.Model} has no exact tightness analysis; use `lm estimate` for a Monte Carlo leak estimate.");
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, new { model = handle.ToString(), report.Verdict, report.Mass, report.MassLowerBound, report.MassUpperBound, report.LeakedMass, report.Method, report.Evidence });
                return WorkbenchCli.Success;
            }
            var grid = new Grid().AddColumns(2);
            grid.AddRow("model", Markup.Escape(handle.ToString()));
            grid.AddRow("verdict", report.Verdict == TightnessVerdict.Tight ? "[green]tight[/]" : report.Verdict == TightnessVerdict.NotTight ? "[red]not tight[/]" : "[yellow]unknown[/]");
            grid.AddRow("finite-string mass", Markup.Escape(Invariant($"{report.Mass:G15} ∈ [{report.MassLowerBound:G15}, {report.MassUpperBound:G15}]")));
            grid.AddRow("leaked mass", Invariant($"{report.LeakedMass:G15}"));
            grid.AddRow("method", report.Method.ToString());
            foreach (var line in report.Evidence) grid.AddRow("evidence", Markup.Escape(line));
            context.Console.Write(grid);
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static Command Score(CliContext context)
    {
        var model = ModelArgument();
        var strings = new Argument<string[]>("STRING") { Description = "Strings to score (ε for the empty string).", Arity = ArgumentArity.OneOrMore };
        var json = CommonOptions.Json();
        var command = new Command("score", "Exact log-probability (and prefix probability, where available) of strings.") { model, strings, json };
        command.SetAction(result =>
        {
            var handle = ModelSpecification.Parse(result.GetValue(model)!);
            var rows = result.GetValue(strings)!.Select(text =>
            {
                var y = handle.Model.Alphabet.Parse(text);
                var logP = handle.Model.LogProbability(y);
                double? logPrefix = handle.Model is IPrefixProbabilityModel prefix ? prefix.LogPrefixProbability(y) : null;
                return new { String = handle.Model.Alphabet.Format(y), LogProbability = logP, Probability = Math.Exp(logP), LogPrefixProbability = logPrefix };
            }).ToList();
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, new { model = handle.ToString(), strings = rows });
                return WorkbenchCli.Success;
            }
            var table = new Table().AddColumns("string", "log p(y)", "p(y)", "log π(y)");
            foreach (var row in rows)
                table.AddRow(Markup.Escape(row.String), Invariant($"{row.LogProbability:G12}"), Invariant($"{row.Probability:G12}"),
                    row.LogPrefixProbability is { } lp ? Invariant($"{lp:G12}") : "n/a");
            context.Console.Write(table);
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static Command Sample(CliContext context)
    {
        var model = ModelArgument();
        var count = new Option<int>("--count") { Description = "Number of samples.", DefaultValueFactory = _ => 10 };
        var adapter = new Option<string?>("--adapter") { Description = "Sampling adapter: temperature=T, top-k=K, top-p=P or typical=TAU." };
        var maxLength = MaxLength(100);
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var command = new Command("sample", "Exact ancestral samples, optionally through a sampling adapter.") { model, count, adapter, maxLength, seed, json };
        command.SetAction(result =>
        {
            var handle = ModelSpecification.Parse(result.GetValue(model)!);
            if (result.GetValue(adapter) is { } adapterText) handle = handle.Accept(new WithAdapter(ModelSpecification.ParseAdapter(adapterText)));
            var seedValue = CommonOptions.Resolve(result.GetValue(seed));
            var samples = handle.Accept(new SampleMany(result.GetValue(count), seedValue, result.GetValue(maxLength)));
            WriteStrings(context, handle, samples, seedValue, result.GetValue(json));
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static Command Decode(CliContext context)
    {
        var model = ModelArgument();
        var beam = new Option<int>("--beam") { Description = "Beam width; 1 is greedy decoding.", DefaultValueFactory = _ => 1 };
        var maxLength = MaxLength(100);
        var json = CommonOptions.Json();
        var command = new Command("decode", "Greedy or beam-search decoding.") { model, beam, maxLength, json };
        command.SetAction(result =>
        {
            var handle = ModelSpecification.Parse(result.GetValue(model)!);
            var decoded = handle.Accept(new BeamDecode(result.GetValue(beam), result.GetValue(maxLength)));
            WriteStrings(context, handle, decoded, seed: null, result.GetValue(json));
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static Command Estimate(CliContext context)
    {
        var model = ModelArgument();
        var samples = new Option<int>("--samples") { Description = "Number of samples.", DefaultValueFactory = _ => 10_000 };
        var maxLength = MaxLength(1_000);
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var command = new Command("estimate", "Monte Carlo estimates with confidence intervals, next to exact values where the model has them.") { model, samples, maxLength, seed, json };
        command.SetAction(result =>
        {
            var handle = ModelSpecification.Parse(result.GetValue(model)!);
            var seedValue = CommonOptions.Resolve(result.GetValue(seed));
            var rows = handle.Accept(new EstimateAll(result.GetValue(samples), seedValue, result.GetValue(maxLength)));
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, new { model = handle.ToString(), seed = seedValue, estimates = rows });
                return WorkbenchCli.Success;
            }
            var table = new Table().AddColumns("quantity", "estimate", "95% CI", "exact");
            foreach (var row in rows)
                table.AddRow(Markup.Escape(row.Quantity), Invariant($"{row.Estimate.Value:G6} ± {row.Estimate.StandardError:G3}"),
                    Markup.Escape(Invariant($"[{row.Estimate.Lower:G6}, {row.Estimate.Upper:G6}]")), Markup.Escape(row.Exact?.ToString() ?? "n/a"));
            context.Console.Write(table);
            var truncated = rows.Max(r => r.Estimate.TruncatedSamples);
            context.Console.WriteLine(Invariant($"n = {result.GetValue(samples)}, seed {seedValue}{(truncated > 0 ? $", {truncated} samples hit the length cap {result.GetValue(maxLength)}" : "")}"));
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static void WriteStrings(CliContext context, AutoregressiveModelHandle handle, IReadOnlyList<GeneratedString> strings, int? seed, bool json)
    {
        var alphabet = handle.Model.Alphabet;
        if (json)
        {
            JsonOutput.Write(context.Output, new
            {
                model = handle.ToString(),
                seed,
                strings = strings.Select(s => new { String = alphabet.Format(s.Symbols), s.Symbols.Length, s.LogProbability, s.Truncated }),
            });
            return;
        }
        var table = new Table().AddColumns("string", "length", "log p", "truncated");
        foreach (var s in strings)
            table.AddRow(Markup.Escape(alphabet.Format(s.Symbols)), s.Symbols.Length.ToString(CultureInfo.InvariantCulture),
                Invariant($"{s.LogProbability:G10}"), s.Truncated ? "[yellow]yes[/]" : "no");
        context.Console.Write(table);
        if (seed is { } value) context.Console.WriteLine($"seed {value}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>One line of `lm estimate`: a Monte Carlo estimate and, where the model has one, the exact value.</summary>
    internal sealed record EstimateRow(string Quantity, Estimate Estimate, CertifiedValue? Exact);

    private sealed class WithAdapter(ISamplingAdapter adapter) : IAutoregressiveModelVisitor<AutoregressiveModelHandle>
    {
        public AutoregressiveModelHandle Visit<TState>(IAutoregressiveLanguageModel<TState> model) =>
            AutoregressiveModelHandle.Of(model.WithAdapter(adapter));
    }

    private sealed class SampleMany(int count, int seed, int maxLength) : IAutoregressiveModelVisitor<IReadOnlyList<GeneratedString>>
    {
        public IReadOnlyList<GeneratedString> Visit<TState>(IAutoregressiveLanguageModel<TState> model) =>
            AncestralSampler.SampleMany(model, count, seed, maxLength);
    }

    private sealed class BeamDecode(int width, int maxLength) : IAutoregressiveModelVisitor<IReadOnlyList<GeneratedString>>
    {
        public IReadOnlyList<GeneratedString> Visit<TState>(IAutoregressiveLanguageModel<TState> model) =>
            width == 1 ? [Decoding.Greedy(model, maxLength)] : Decoding.Beam(model, width, maxLength);
    }

    private sealed class EstimateAll(int samples, int seed, int maxLength) : IAutoregressiveModelVisitor<IReadOnlyList<EstimateRow>>
    {
        public IReadOnlyList<EstimateRow> Visit<TState>(IAutoregressiveLanguageModel<TState> model)
        {
            CertifiedValue? leak = model is ITightnessAnalyzable analyzable
                ? CertifiedValue.Exact(analyzable.AnalyzeTightness().LeakedMass, "tightness analysis (the limit of P(|y| ≥ T))")
                : null;
            CertifiedValue? stopping = model is IPrefixProbabilityModel prefix && model.Alphabet.Size == 1
                ? CertifiedValue.Exact(Math.Exp(prefix.LogPrefixProbability(new int[maxLength])), "prefix probability π(a^T)")
                : null;
            return
            [
                new(Invariant($"P(|y| ≥ {maxLength})"), MonteCarlo.ProbabilityOfNotStopping(model, maxLength, samples, seed), stopping ?? leak),
                new("E|y|", MonteCarlo.ExpectedLength(model, samples, seed, maxLength), (model as IExpectedLengthModel)?.ExpectedLength()),
                new("H(p) (nats)", MonteCarlo.Entropy(model, samples, seed, maxLength), (model as IExactEntropyModel)?.Entropy()),
            ];
        }
    }
}
