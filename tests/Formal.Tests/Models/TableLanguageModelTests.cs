using Workbench.Formal.Errors;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Models;
using Workbench.Formal.Symbols;

namespace Workbench.Formal.Tests.Models;

public sealed class TableLanguageModelTests
{
    private static readonly Alphabet Ab = Alphabet.FromCharacters("ab");

    private static TableLanguageModel Example() =>
        new(Ab, [([], 0.25), ([0], 0.25), ([0, 1], 0.5)]);

    [Fact]
    public void Conditionals_come_from_prefix_probabilities()
    {
        var model = Example();
        var next = new double[3];
        model.NextLogProbabilities(model.Advance(model.InitialState, 0), next);
        // After "a": π(a) = 0.75, p(a) = 0.25, π(ab) = 0.5.
        Assert.Equal(1.0 / 3, Math.Exp(next[Ab.Eos]), 15);
        Assert.Equal(2.0 / 3, Math.Exp(next[1]), 15);
        Assert.Equal(0.0, Math.Exp(next[0]));
        Assert.Equal(Math.Log(0.5), ChainRule.LogProbability(model, [0, 1]), 15);
    }

    [Fact]
    public void Exact_quantities_are_finite_sums()
    {
        var model = Example();
        Assert.Equal(1.5 * Math.Log(2), model.Entropy().Value, 14);
        Assert.Equal(0.25 + 1.0, model.ExpectedLength().Value, 14);
        Assert.Equal(1.0, model.PartitionFunction().Value, 14);
        Assert.Equal(TightnessVerdict.Tight, model.AnalyzeTightness().Verdict);
        Assert.Equal(double.NegativeInfinity, model.LogProbability([1]));
    }

    [Fact]
    public void Off_support_prefixes_stop_with_certainty()
    {
        var model = Example();
        var state = model.Advance(model.InitialState, 1);
        Assert.Equal(TableLanguageModel.DeadState, state);
        var next = new double[3];
        model.NextLogProbabilities(state, next);
        Assert.Equal(0.0, next[Ab.Eos]);
    }

    [Fact]
    public void Bad_tables_are_rejected_with_the_offending_entry()
    {
        Assert.Contains("Entry 1", Assert.Throws<InvalidModelException>(() => new TableLanguageModel(Ab, [([], 0.5), ([0], double.NaN)])).Message);
        Assert.Contains("sum to 0.9", Assert.Throws<InvalidModelException>(() => new TableLanguageModel(Ab, [([], 0.5), ([0], 0.4)])).Message);
        Assert.Contains("twice", Assert.Throws<InvalidModelException>(() => new TableLanguageModel(Ab, [([0], 0.5), ([0], 0.5)])).Message);
        Assert.Throws<UnknownSymbolException>(() => new TableLanguageModel(Ab, [([2], 1.0)]));
        Assert.Throws<InvalidModelException>(() => TableLanguageModel.FromWeights(Ab, [([0], 0.0)]));
    }
}
