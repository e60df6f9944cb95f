using System.CommandLine;
using Workbench.Formal.Adapters;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using static Workbench.Experiments.Cli.LanguageModel.ModelOptions;

namespace Workbench.Experiments.Cli.LanguageModel;

/// <summary>`lm sample MODEL`: exact ancestral samples, optionally through a sampling adapter.</summary>
internal static class SampleCommand
{
    public static Command Create(CliContext context)
    {
        var model = Model();
        var count = new Option<int>("--count") { Description = "Number of samples.", DefaultValueFactory = _ => 10 };
        var adapter = new Option<string?>("--adapter") { Description = "Sampling adapter: temperature=T, top-k=K, top-p=P or typical=TAU." };
        var maxLength = MaxLength(100);
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var command = new Command("sample", "Exact ancestral samples, optionally through a sampling adapter.") { model, count, adapter, maxLength, seed, json };
        command.SetAction(result =>
        {
            ILanguageModel parsed = ModelSpecification.Parse(result.GetValue(model)!);
            if (result.GetValue(adapter) is { } adapterText) parsed = parsed.WithAdapter(ModelSpecification.ParseAdapter(adapterText));
            RequireFeasible(result.GetValue(count), "--count", result.GetValue(maxLength));
            var seedValue = CommonOptions.Resolve(result.GetValue(seed));
            var samples = AncestralSampler.SampleMany(parsed, result.GetValue(count), seedValue, result.GetValue(maxLength));
            WriteStrings(context, parsed, samples, seedValue, result.GetValue(json));
            return WorkbenchCli.Success;
        });
        return command;
    }
}
