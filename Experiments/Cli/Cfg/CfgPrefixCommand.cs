using System.CommandLine;
using Spectre.Console;
using Workbench.Automata.Grammars;
using Workbench.Formal.Generation;

namespace Workbench.Experiments.Cli.Cfg;

/// <summary>`workbench cfg prefix FILE "a b"`: the prefix probability and the next-symbol distribution of a PCFG.</summary>
internal static class CfgPrefixCommand
{
    /// <summary>One row of the next-symbol distribution.</summary>
    internal sealed record NextSymbol(string Symbol, double Probability, double LogProbability);

    /// <summary>What the command reports.</summary>
    internal sealed record PrefixReport(string Prefix, double PrefixProbability, double LogPrefixProbability, double StringProbability, IReadOnlyList<NextSymbol> Next);

    public static Command Create(CliContext context)
    {
        var file = CfgCommands.GrammarFileArgument();
        var prefix = new Argument<string>("PREFIX") { Description = "The prefix, symbols separated by spaces (ε or \"\" for the empty prefix)." };
        var json = CommonOptions.Json();
        var command = new Command("prefix",
            "The prefix probability π(y) = Σ_y′ p(yy′) and the next-symbol distribution p(· | y) (EOS included) of a PCFG, converted to CNF if needed; π and p are the grammar's own mass, not divided by Z(S) when it is not tight (π(ε) = Z(S)).")
            { file, prefix, json };
        command.SetAction(result =>
        {
            var model = new PcfgLanguageModel(CfgCommands.ReadGrammar(result.GetValue(file)!, weighted: false));
            var alphabet = model.Alphabet;
            var y = alphabet.Parse(result.GetValue(prefix)!);
            var state = ChainRule.StateAfter(model, y);
            var logPrefix = model.LogPrefixProbability(state);
            var next = new double[alphabet.SizeWithEos];
            model.NextLogProbabilities(state, next);
            // p(y) = p(EOS | y)·π(y).
            var report = new PrefixReport(alphabet.Format(y), Math.Exp(logPrefix), logPrefix, Math.Exp(next[alphabet.Eos] + logPrefix),
                next.Select((logP, a) => new NextSymbol(a == alphabet.Eos ? "EOS" : alphabet.NameOf(a), Math.Exp(logP), logP)).ToList());
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, report);
                return WorkbenchCli.Success;
            }
            context.Console.WriteLine(Invariant($"π({report.Prefix}) = {report.PrefixProbability:G12}   (log {report.LogPrefixProbability:G12})"));
            context.Console.WriteLine(Invariant($"p({report.Prefix}) = {report.StringProbability:G12}"));
            var table = new Table().AddColumns("next", "p(next | prefix)");
            foreach (var row in report.Next) table.AddRow(Markup.Escape(row.Symbol), Invariant($"{row.Probability:G12}"));
            context.Console.Write(table);
            return WorkbenchCli.Success;
        });
        return command;
    }
}
