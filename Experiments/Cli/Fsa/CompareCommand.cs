using System.CommandLine;
using Spectre.Console;
using Workbench.Automata.Pfsa;
using Workbench.Formal.LanguageModels;

namespace Workbench.Experiments.Cli.Fsa;

/// <summary>`fsa compare P Q`: exact cross-entropy H(p, q) against a deterministic q, and KL(p ‖ q) when p is deterministic too.</summary>
internal static class CompareCommand
{
    public static Command Create(CliContext context)
    {
        var first = new Argument<FileInfo>("P") { Description = "The reference PFSA p." };
        var second = new Argument<FileInfo>("Q") { Description = "The model PFSA q (deterministic)." };
        var reading = new MachineReading();
        var json = CommonOptions.Json();
        var command = new Command("compare", "Exact cross-entropy H(p, q) over the finite strings (q deterministic) and KL(p ‖ q) (p deterministic too), with certified bounds.") { first, second, json };
        reading.AddTo(command);
        command.SetAction(result =>
        {
            var p = reading.Read(result, result.GetValue(first)!.FullName, context.Error);
            var q = reading.Read(result, result.GetValue(second)!.FullName, context.Error);
            var crossEntropy = PfsaDivergences.CrossEntropy(p, q, MachineFile.PfsaTolerance);
            CertifiedValue? kl = p.IsDeterministic ? PfsaDivergences.KullbackLeibler(p, q, MachineFile.PfsaTolerance) : null;
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, new { crossEntropy, kullbackLeibler = kl });
                return WorkbenchCli.Success;
            }
            var grid = new Grid().AddColumns(2);
            grid.AddRow("H(p, q) (nats)", Markup.Escape(crossEntropy.ToString()));
            grid.AddRow("KL(p ‖ q) (nats)", Markup.Escape(kl?.ToString() ?? "n/a (p is not deterministic, so H(p) is not exact)"));
            context.Console.Write(grid);
            return WorkbenchCli.Success;
        });
        return command;
    }
}
