using System.CommandLine;
using Workbench.Formal.Generation;
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
            var parsed = ModelSpecification.Parse(result.GetValue(model)!);
            RequireFeasible(result.GetValue(beam), "--beam", result.GetValue(maxLength));
            var (width, cap) = (result.GetValue(beam), result.GetValue(maxLength));
            IReadOnlyList<GeneratedString> decoded = width == 1 ? [Decoding.Greedy(parsed, cap)] : Decoding.Beam(parsed, width, cap);
            WriteStrings(context, parsed, decoded, seed: null, result.GetValue(json));
            return WorkbenchCli.Success;
        });
        return command;
    }
}
