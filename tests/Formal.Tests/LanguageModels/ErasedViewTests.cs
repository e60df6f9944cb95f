using Workbench.Formal.Adapters;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Models;

namespace Workbench.Formal.Tests.LanguageModels;

/// <summary>The erased autoregressive view (<see cref="ILanguageModel.Start"/>) against each model's typed state.</summary>
public sealed class ErasedViewTests
{
    public static TheoryData<string> Models() => ["table", "unary", "uniform", "adapted"];

    private static ILanguageModel Make(string name) => name switch
    {
        "table" => ExampleTables.P(),
        "unary" => new UnaryLanguageModel(EosSchedule.InverseSquare()),
        "uniform" => new UniformLanguageModel(ExampleTables.Ab),
        _ => ExampleTables.P().WithAdapter(new TopKAdapter(2)),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void The_erased_chain_rule_is_the_models_own_probability(string name)
    {
        var model = Make(name);
        var symbols = model.Alphabet.Size;
        var random = new Random(3);
        for (var i = 0; i < 50; i++)
        {
            var y = Enumerable.Range(0, random.Next(5)).Select(_ => random.Next(symbols)).ToArray();
            Assert.Equal(model.LogProbability(y), ChainRule.LogProbability(model, y), 12);
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Prefixes_are_values_that_count_their_symbols(string name)
    {
        var model = Make(name);
        var start = model.Start();
        Assert.Equal(0, start.Length);
        var a = start.Advance(0);
        var ab = a.Advance(model.Alphabet.Size - 1);
        Assert.Equal((1, 2), (a.Length, ab.Length));
        // Forking a prefix leaves it as it was: its distribution is the same before and after.
        var before = new double[model.Alphabet.SizeWithEos];
        var after = new double[before.Length];
        a.NextLogProbabilities(before);
        _ = a.Advance(0);
        a.NextLogProbabilities(after);
        Assert.Equal(before, after);
        Assert.Equal(1.0, before.Sum(Math.Exp), 12);
    }

    [Fact]
    public void Erased_sampling_draws_what_typed_sampling_draws()
    {
        var model = ExampleTables.P();
        var typed = AncestralSampler.SampleMany(model, 200, 5, 10);
        var erased = AncestralSampler.SampleMany((ILanguageModel)model, 200, 5, 10);
        Assert.Equal(typed.Select(s => s.Symbols), erased.Select(s => s.Symbols));
        Assert.Equal(typed.Select(s => s.LogProbability), erased.Select(s => s.LogProbability));
    }

    [Fact]
    public void A_prefix_view_is_the_model_with_prefixes_as_states()
    {
        var model = new UnaryLanguageModel(EosSchedule.Constant(0.25));
        var view = PrefixView.Of(model);
        Assert.Same(model, view.Model);
        Assert.Equal(model.Alphabet, view.Alphabet);
        var next = new double[2];
        view.NextLogProbabilities(view.Advance(view.InitialState, 0), next);
        Assert.Equal([Math.Log(0.75), Math.Log(0.25)], next);
        Assert.Equal(model.LogProbability([0, 0]), view.LogProbability([0, 0]));
        Assert.Equal(model.ToString(), view.ToString());
        Assert.Throws<ArgumentNullException>(() => PrefixView.Of(null!));
    }

    [Fact]
    public void Batch_scoring_defaults_to_one_call_per_string()
    {
        ILanguageModel model = ExampleTables.P();
        int[][] strings = [[], [0, 1], [1, 0]];
        Assert.Equal(strings.Select(y => model.LogProbability(y)), model.LogProbabilities(strings));
        Assert.Empty(model.LogProbabilities([]));
    }

    [Fact]
    public void A_finite_table_lists_its_support()
    {
        IFiniteSupportModel table = ExampleTables.P();
        Assert.Equal(6, table.Support.Count);
        Assert.Equal(1.0, table.Support.Sum(e => e.Probability), 14);
    }
}
