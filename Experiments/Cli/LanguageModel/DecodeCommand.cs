using System.CommandLine;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using static Workbench.Experiments.Cli.LanguageModel.ModelOptions;

namespace Workbench.Experiments.Cli.LanguageModel;

/// <summary>`lm decode MODEL`: greedy or beam-search decoding.</summary>
internal static class DecodeCommand
{
    public static Command Create(CliContext context)
    {
        var model = Model();
        var beam = new Option<int>("--beam") { Description = "Beam width; 1 is greedy decoding.", DefaultValueFactory = _ => 1 };
        var maxLength = MaxLength(100);
        var json = CommonOptions.Json();
        var command = new Command("decode", "Greedy or beam-search decoding.") { model, beam, maxLength, json };
        command.SetAction(result =>
        {
            var handle = ModelSpecification.Parse(result.GetValue(model)!);
            RequireFeasible(result.GetValue(beam), "--beam", result.GetValue(maxLength));
            var decoded = handle.Accept(new BeamDecode(result.GetValue(beam), result.GetValue(maxLength)));
            WriteStrings(context, handle, decoded, seed: null, result.GetValue(json));
            return WorkbenchCli.Success;
        });
        return command;
    }

    private sealed class BeamDecode(int width, int maxLength) : IAutoregressiveModelVisitor<IReadOnlyList<GeneratedString>>
    {
        public IReadOnlyList<GeneratedString> Visit<TState>(IAutoregressiveLanguageModel<TState> model) =>
            width == 1 ? [Decoding.Greedy(model, maxLength)] : Decoding.Beam(model, width, maxLength);
    }
}
