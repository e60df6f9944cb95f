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
        var reading = new MachineReading();
        var json = CommonOptions.Json();
        var command = new Command("prob", "Exact probability and prefix probability of strings under a PFSA.") { file, strings, json };
        reading.AddTo(command);
        command.SetAction(result =>
        {
            var fsa = reading.Read(result, result.GetValue(file)!.FullName, context.Error);
            ScoreCommand.Write(context, MachineFile.LanguageModel(fsa), result.GetValue(strings)!, result.GetValue(json));
            return WorkbenchCli.Success;
        });
        return command;
    }
}
