using Workbench.Automata.Formats;
using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Workbench.Automata.Grammars;
using Workbench.Automata.Grammars.Parsing;
using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;

namespace Workbench.Experiments.Cli.Cfg;

/// <summary>`workbench cfg info|prob|prefix|cnf|sample FILE`: PCFGs in NLTK notation or JSON.</summary>
internal static class CfgCommands
{
    public static Command Create(CliContext context)
    {
        var cfg = new Command("cfg", "Weighted context-free grammars and PCFGs in NLTK notation (S -> NP VP [0.9] | 'a' [0.1]).");
        cfg.Subcommands.Add(Info(context));
        cfg.Subcommands.Add(Prob(context));
        cfg.Subcommands.Add(CfgPrefixCommand.Create(context));
        cfg.Subcommands.Add(Cnf(context));
        cfg.Subcommands.Add(Sample(context));
        return cfg;
    }

    internal static Argument<FileInfo> GrammarFileArgument() => new("FILE") { Description = "A grammar in NLTK's PCFG notation, or the workbench's JSON grammar format (*.json)." };

    /// <summary>What `cfg info` reports; <c>allsum</c> is the start symbol's finite-tree mass, <c>tight</c> the verdict.</summary>
    internal sealed record GrammarInfo(
        int Nonterminals, int Rules, IReadOnlyList<string> Terminals, string Start, bool ChomskyNormalForm, bool Pcfg, string? PcfgProblem,
        double Allsum, double Leak, string? Tight, IReadOnlyList<string> Evidence, double SpectralRadiusLower, double SpectralRadiusUpper,
        CertifiedValue? ExpectedLength, CertifiedValue? ExpectedDerivationSize, CertifiedValue? DerivationalEntropy);

    private static Command Info(CliContext context)
    {
        var file = GrammarFileArgument();
        var json = CommonOptions.Json();
        var command = new Command("info", "Nonterminals, rules, CNF?, the treesum of the start symbol (Newton), tightness with evidence, and for subcritical PCFGs expected length, derivation size and derivational entropy.") { file, json };
        command.SetAction(result =>
        {
            var grammar = GrammarFile.Read(result.GetValue(file)!.FullName);
            var info = Analyse(grammar);
            if (result.GetValue(json)) JsonOutput.Write(context.Output, info);
            else Print(context, info);
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static GrammarInfo Analyse(Cfg<Real> grammar)
    {
        var treesum = Treesum.Newton(grammar);
        string? problem = null;
        try
        {
            PcfgValidation.Validate(grammar);
        }
        catch (InvalidModelException exception)
        {
            problem = exception.Message;
        }
        TightnessReport? report = problem is null ? PcfgAnalysis.Tightness(grammar) : null;
        var (lower, upper) = problem is null ? PcfgAnalysis.SpectralRadiusOfMoments(grammar) : (double.NaN, double.NaN);
        var subcritical = problem is null && upper < 1;
        return new GrammarInfo(
            grammar.Nonterminals.Count, grammar.Rules.Count, grammar.Terminals.Symbols, grammar.Nonterminals[grammar.Start], grammar.IsChomskyNormalForm,
            problem is null, problem, treesum.Values[grammar.Start], treesum.Leaks[grammar.Start],
            report is null ? null : report.Verdict == TightnessVerdict.Tight ? "tight" : "not-tight", report?.Evidence ?? [],
            lower, upper,
            subcritical ? PcfgAnalysis.ExpectedLength(grammar) : null,
            subcritical ? PcfgAnalysis.ExpectedDerivationSize(grammar) : null,
            subcritical ? PcfgAnalysis.DerivationalEntropy(grammar) : null);
    }

    private static void Print(CliContext context, GrammarInfo info)
    {
        var grid = new Grid().AddColumns(2);
        void Row(string name, string value) => grid.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("nonterminals / rules", $"{info.Nonterminals} / {info.Rules} (start {info.Start}; {(info.ChomskyNormalForm ? "" : "not ")}in CNF)");
        Row("terminals", string.Join(" ", info.Terminals));
        Row("PCFG", info.Pcfg ? "yes" : $"no — {info.PcfgProblem}");
        Row("treesum Z(start)", Invariant($"{info.Allsum:G15} (1 − Z = {info.Leak:G6})"));
        if (info.Tight is { } tight) Row("tight", tight == "tight" ? "yes" : "no");
        foreach (var line in info.Evidence) Row("evidence", line);
        if (info.ExpectedLength is { } length) Row("expected length", length.ToString());
        if (info.ExpectedDerivationSize is { } size) Row("expected derivation size", size.ToString());
        if (info.DerivationalEntropy is { } entropy) Row("derivational entropy (nats)", entropy.ToString());
        context.Console.Write(grid);
    }

    internal static Option<bool> Weighted() =>
        new("--weighted") { Description = "The grammar is a weighted CFG, not a PCFG: skip the check that each nonterminal's rules are probabilities summing to 1 (results are weights, not probabilities)." };

    /// <summary>The grammar in the file, refused unless it is a PCFG or <paramref name="weighted"/> says it need not be.</summary>
    internal static Cfg<Real> ReadGrammar(FileInfo file, bool weighted)
    {
        var grammar = GrammarFile.Read(file.FullName);
        if (!weighted && PcfgValidation.Problem(grammar) is { } problem)
            throw new InvalidModelException($"{file.FullName}: {problem} This command reads a PCFG; pass --weighted for a weighted CFG.");
        return grammar;
    }

    private static Command Prob(CliContext context)
    {
        var file = GrammarFileArgument();
        var strings = new Argument<string[]>("STRING") { Description = "Strings to score, symbols separated by spaces (ε for the empty string).", Arity = ArgumentArity.OneOrMore };
        var json = CommonOptions.Json();
        var weighted = Weighted();
        var command = new Command("prob", "The probability of strings under a PCFG, or their weight under a weighted CFG with --weighted (converted to Chomsky normal form if needed; inside algorithm in log space).") { file, strings, json, weighted };
        command.SetAction(result =>
        {
            var isWeighted = result.GetValue(weighted);
            var grammar = ReadGrammar(result.GetValue(file)!, isWeighted);
            // A PCFG's CNF form is renormalised; its language model gives the grammar's own p(y), not p(y)/Z(S).
            Func<int[], double> score;
            if (isWeighted)
            {
                var empty = InsideChart.Empty(ChomskyNormalForm.Convert(grammar));
                score = y => empty.ExtendAll(y).LogWeight;
            }
            else
            {
                var model = new PcfgLanguageModel(grammar);
                score = y => model.LogProbability(y);
            }
            var scored = result.GetValue(strings)!.Select(text =>
            {
                var y = grammar.Terminals.Parse(text);
                return (Text: grammar.Terminals.Format(y), Log: score(y));
            }).ToList();
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, isWeighted
                    ? new { strings = scored.Select(s => (object)new { String = s.Text, LogWeight = s.Log, Weight = Math.Exp(s.Log) }).ToList() }
                    : new { strings = scored.Select(s => (object)new { String = s.Text, LogProbability = s.Log, Probability = Math.Exp(s.Log) }).ToList() });
                return WorkbenchCli.Success;
            }
            var table = isWeighted ? new Table().AddColumns("string", "log G(y)", "G(y)") : new Table().AddColumns("string", "log p(y)", "p(y)");
            foreach (var (text, log) in scored) table.AddRow(Markup.Escape(text), Invariant($"{log:G12}"), Invariant($"{Math.Exp(log):G12}"));
            context.Console.Write(table);
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static Command Cnf(CliContext context)
    {
        var file = GrammarFileArgument();
        var output = new Option<FileInfo?>("-o", "--output") { Description = "Where to write the converted grammar (JSON for *.json, NLTK notation otherwise); standard output (NLTK notation) when omitted." };
        var weighted = Weighted();
        var command = new Command("cnf", "Convert to Chomsky normal form with the same string probabilities (terminal lifting, binarisation, ε- and unary-rule removal); --weighted for a weighted CFG.") { file, output, weighted };
        command.SetAction(result =>
        {
            var converted = ChomskyNormalForm.Convert(ReadGrammar(result.GetValue(file)!, result.GetValue(weighted)));
            if (result.GetValue(output) is { } target) Formal.IO.AtomicFile.Write(target.FullName, GrammarFile.Write(converted, target.FullName));
            else context.Output.Write(CfgTextFormat.Write(converted));
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static Command Sample(CliContext context)
    {
        var file = GrammarFileArgument();
        var count = new Option<int>("-n", "--count") { Description = "Number of samples.", DefaultValueFactory = _ => 10 };
        var maxRules = new Option<int>("--max-rules") { Description = "Cap on rule applications; derivations cut by it are reported as truncated.", DefaultValueFactory = _ => 10_000 };
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var command = new Command("sample", "Exact top-down samples of a PCFG's yields.") { file, count, maxRules, seed, json };
        command.SetAction(result =>
        {
            var grammar = GrammarFile.Read(result.GetValue(file)!.FullName);
            LanguageModel.ModelOptions.RequireFeasible(result.GetValue(count), "-n", result.GetValue(maxRules));
            var sampler = new PcfgSampler(grammar);
            var seedValue = CommonOptions.Resolve(result.GetValue(seed));
            var random = new Random(seedValue);
            var samples = Enumerable.Range(0, result.GetValue(count)).Select(_ => sampler.Sample(random, result.GetValue(maxRules))).ToList();
            var rows = samples.Select(s => new { String = grammar.Terminals.Format(s.Yield), Rules = s.Rules.Length, s.LogProbability, s.Truncated }).ToList();
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, new { seed = seedValue, samples = rows });
                return WorkbenchCli.Success;
            }
            var table = new Table().AddColumns("yield", "rules", "truncated");
            foreach (var row in rows) table.AddRow(Markup.Escape(row.String), row.Rules.ToString(CultureInfo.InvariantCulture), row.Truncated ? "[yellow]yes[/]" : "no");
            context.Console.Write(table);
            context.Console.WriteLine($"seed {seedValue}");
            return WorkbenchCli.Success;
        });
        return command;
    }
}
