using System.CommandLine;
using Workbench.Experiments.Cli.LanguageModel;

namespace Workbench.Experiments.Cli.Fsa;

/// <summary>`fsa prob FILE STRING…`: exact string and prefix probabilities under a PFSA.</summary>
internal static class ProbCommand
{
    public static Command Create(CliContext context)
    {
        var file = MachineFile.Argument();
        var strings = new Argument<string[]>("STRING") { Description = "Strings to score, symbols separated by spaces (ε for the empty string).", Arity = ArgumentArity.OneOrMore };
        var format = MachineFile.Format();
        var weights = MachineFile.Weights();
        var json = CommonOptions.Json();
        var command = new Command("prob", "Exact probability and prefix probability of strings under a PFSA.") { file, strings, format, weights, json };
        command.SetAction(result =>
        {
            var fsa = MachineFile.Read(result.GetValue(file)!.FullName, result.GetValue(format)!, result.GetValue(weights));
            ScoreCommand.Write(context, MachineFile.LanguageModel(fsa), result.GetValue(strings)!, result.GetValue(json));
            return WorkbenchCli.Success;
        });
        return command;
    }
}
