using System.CommandLine;

namespace Workbench.Experiments.Cli.Fsa;

/// <summary>`workbench fsa …`: weighted finite-state automata and PFSAs from files.</summary>
internal static class FsaCommands
{
    public static Command Create(CliContext context)
    {
        var fsa = new Command("fsa", "Weighted finite-state automata and PFSA language models read from AT&T text or JSON.");
        fsa.Subcommands.Add(InfoCommand.Create(context));
        fsa.Subcommands.Add(AllsumCommand.Create(context));
        fsa.Subcommands.Add(ProbCommand.Create(context));
        fsa.Subcommands.Add(SampleCommand.Create(context));
        fsa.Subcommands.Add(DrawCommand.Create(context));
        fsa.Subcommands.Add(CompareCommand.Create(context));
        foreach (var transform in TransformCommand.CreateAll(context)) fsa.Subcommands.Add(transform);
        return fsa;
    }
}
