using System.CommandLine;
using Workbench.Automata.Formats;
using Workbench.Automata.Operations;

namespace Workbench.Experiments.Cli.Fsa;

/// <summary>`fsa push FILE [-o OUT]`: weight pushing, written as AT&amp;T text (−ln p weights).</summary>
internal static class PushCommand
{
    public static Command Create(CliContext context)
    {
        var file = MachineFile.Argument();
        var output = new Option<FileInfo?>("-o", "--output") { Description = "Where to write the pushed machine (AT&T text); standard output when omitted." };
        var format = MachineFile.Format();
        var weights = MachineFile.Weights();
        var command = new Command("push", "Weight pushing: the tight PFSA with p(y) = A(y)/Z on the useful states, as AT&T text with −ln p weights.") { file, output, format, weights };
        command.SetAction(result =>
        {
            var pushed = WeightPushing.Push(MachineFile.Read(result.GetValue(file)!.FullName, result.GetValue(format)!, result.GetValue(weights)));
            if (result.GetValue(output) is { } target) AttFormat.WriteFile(pushed, target.FullName);
            else context.Output.Write(AttFormat.Write(pushed));
            return WorkbenchCli.Success;
        });
        return command;
    }
}
