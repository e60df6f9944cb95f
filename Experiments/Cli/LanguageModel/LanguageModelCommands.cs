using System.CommandLine;

namespace Workbench.Experiments.Cli.LanguageModel;

/// <summary>`workbench lm …`: exact and estimated questions about language models.</summary>
internal static class LanguageModelCommands
{
    public static Command Create(CliContext context)
    {
        var lm = new Command("lm", $"Ask a language model exact questions. MODEL is one of: {ModelSpecification.Forms}.");
        lm.Subcommands.Add(TightnessCommand.Create(context));
        lm.Subcommands.Add(ScoreCommand.Create(context));
        lm.Subcommands.Add(EvaluateCommand.Create(context));
        lm.Subcommands.Add(SampleCommand.Create(context));
        lm.Subcommands.Add(DecodeCommand.Create(context));
        lm.Subcommands.Add(EstimateCommand.Create(context));
        lm.Subcommands.Add(CompareCommand.Create(context));
        return lm;
    }
}
