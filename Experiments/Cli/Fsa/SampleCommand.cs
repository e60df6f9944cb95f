using System.CommandLine;
using Workbench.Experiments.Cli.LanguageModel;

namespace Workbench.Experiments.Cli.Fsa;

/// <summary>`fsa sample FILE -n N --seed S`: exact samples from a PFSA.</summary>
internal static class SampleCommand
{
    public static Command Create(CliContext context)
    {
        var file = MachineFile.Argument();
        var count = new Option<int>("-n", "--count") { Description = "Number of samples.", DefaultValueFactory = _ => 10 };
        var maxLength = ModelOptions.MaxLength(1_000);
        var seed = CommonOptions.Seed();
        var reading = new MachineReading();
        var json = CommonOptions.Json();
        var command = new Command("sample", "Exact ancestral samples from a PFSA.") { file, count, maxLength, seed, json };
        reading.AddTo(command);
        command.SetAction(result =>
        {
            ModelOptions.RequireFeasible(result.GetValue(count), "-n", result.GetValue(maxLength));
            var model = MachineFile.LanguageModel(reading.Read(result, result.GetValue(file)!.FullName, context.Error));
            var seedValue = CommonOptions.Resolve(result.GetValue(seed));
            var samples = Formal.Generation.AncestralSampler.SampleMany(model, result.GetValue(count), seedValue, result.GetValue(maxLength));
            ModelOptions.WriteStrings(context, model, samples, seedValue, result.GetValue(json));
            return WorkbenchCli.Success;
        });
        return command;
    }
}
