using Workbench.Formal.Errors;
using Workbench.Formal.Models;
using Workbench.Formal.Symbols;

namespace Workbench.Formal.Tests.Models;

/// <summary>The edges of the models' inputs: every parameter outside its domain is refused, every one at its edge accepted.</summary>
public sealed class ModelValidationTests
{
    private static readonly Alphabet Ab = new(["a", "b"]);

    [Fact]
    public void Eos_schedules_accept_the_edges_of_their_domains_and_refuse_what_lies_beyond()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EosSchedule.Constant(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => EosSchedule.Constant(1.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => EosSchedule.Constant(double.NaN));
        Assert.Equal(1.0, EosSchedule.Constant(0).SurvivalLimit);
        Assert.Equal(0.0, EosSchedule.Constant(1).SurvivalLimit);
        Assert.Equal((0.0, 0.0), EosSchedule.Constant(0).TailSum(5));
        Assert.Equal((double.PositiveInfinity, double.PositiveInfinity), EosSchedule.Constant(0.3).TailSum(5));
        foreach (var c in new[] { 0.0, -1, 1.0000001, double.NaN })
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => EosSchedule.Power(c, 2));
            Assert.Throws<ArgumentOutOfRangeException>(() => EosSchedule.Geometric(c, 0.5));
        }
        foreach (var alpha in new[] { 0.0, -1, double.PositiveInfinity, double.NaN })
            Assert.Throws<ArgumentOutOfRangeException>(() => EosSchedule.Power(0.5, alpha));
        foreach (var r in new[] { -0.01, 1.0, double.NaN })
            Assert.Throws<ArgumentOutOfRangeException>(() => EosSchedule.Geometric(0.5, r));
        Assert.Equal(1.0, EosSchedule.Power(1, 2).Probability(0));
        Assert.Equal(1.0, EosSchedule.Geometric(1, 0).Probability(0));
        Assert.Equal(0.0, EosSchedule.Geometric(1, 0).Probability(1));
        // Σ_{t≥T} c·rᵗ = c·r^T/(1 − r) exactly; Σ_{n≥T+1} c·n^(−α) lies between ∫_{T+1}^∞ and that plus its first term.
        var (low, high) = EosSchedule.Geometric(0.5, 0.5).TailSum(3);
        Assert.Equal((0.125, 0.125), (low, high));
        var (powerLow, powerHigh) = EosSchedule.Power(0.5, 2).TailSum(9);
        var exact = 0.5 * Enumerable.Range(10, 2_000_000).Sum(n => 1.0 / ((double)n * n));
        Assert.InRange(exact, powerLow, powerHigh);
        Assert.Equal(0.5 / 10, powerLow, 15);
        Assert.Equal((double.PositiveInfinity, double.PositiveInfinity), EosSchedule.Power(0.5, 1).TailSum(9));
        Assert.Equal("1/(t+2)^2", EosSchedule.InverseSquare().Name);
        Assert.Throws<InvalidOperationException>(() => EosSchedule.Custom("f", _ => 0.5).TailSum(0));
        Assert.Throws<InvalidModelException>(() => EosSchedule.Custom("bad", _ => 1.5).Probability(0));
    }

    [Fact]
    public void Tables_refuse_weights_outside_the_simplex_and_renormalise_only_from_weights()
    {
        Assert.Throws<InvalidModelException>(() => new TableLanguageModel(Ab, [([0], 1.2), ([1], -0.2)]));
        Assert.Throws<InvalidModelException>(() => new TableLanguageModel(Ab, [([0], 0.5), ([1], 0.49)]));
        Assert.Throws<InvalidModelException>(() => new TableLanguageModel(Ab, [([0], 0.5), ([0], 0.5)]));
        Assert.Equal(1.0, new TableLanguageModel(Ab, [([0], 1)]).PartitionFunction().Value);
        Assert.Equal(Math.Log(0.25), TableLanguageModel.FromWeights(Ab, [([0], 1), ([1], 3)]).LogProbability([0]), 15);
        Assert.Throws<InvalidModelException>(() => TableLanguageModel.FromWeights(Ab, [([0], 0), ([1], 0)]));
        Assert.Throws<InvalidModelException>(() => TableLanguageModel.FromWeights(Ab, [([0], -1), ([1], 2)]));
        Assert.Throws<InvalidModelException>(() => TableLanguageModel.FromWeights(Ab, [([0], double.PositiveInfinity)]));
        Assert.Throws<InvalidModelException>(() => TableLanguageModel.FromWeights(Ab, [([0], double.NaN)]));
        var table = new TableLanguageModel(Ab, [([0, 1, 1], 0.5), ([1], 0.5), ([0, 0, 0, 0], 0)]);
        Assert.Equal(3, table.MaxLength);
        Assert.Equal(0.5, table.ProbabilityOfLengthAtLeast(2).Value, 15);
        Assert.Equal(2.0, table.ExpectedLength().Value, 15);
        Assert.Equal(Math.Log(2), table.Entropy().Value, 15);
        Assert.Throws<UnknownSymbolException>(() => table.LogProbability([0, 7]));
        Assert.Throws<UnknownSymbolException>(() => table.Advance(table.InitialState, 5));
        Assert.Equal(double.NegativeInfinity, table.LogPrefixProbability([1, 1]));
    }
}
