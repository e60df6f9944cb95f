using Workbench.Formal.Errors;
using Workbench.Formal.Models;
using Workbench.Formal.Numerics;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Formal.Tests.Models;

/// <summary>The table model's validation, dead states, length tails and certificates, checked against exact sums.</summary>
public sealed class TableCertificateTests
{
    private const double Epsilon = FloatingPoint.MachineEpsilon;

    [Fact]
    public void A_sum_of_exactly_one_passes_even_at_tolerance_zero()
    {
        var model = new TableLanguageModel(ExampleTables.Ab, [([0], 0.5), ([1], 0.5)], tolerance: 0);
        Assert.Equal(0.5, model.Entries[0].Probability);
        Assert.Throws<InvalidModelException>(() => new TableLanguageModel(ExampleTables.Ab, [([0], 0.5), ([1], 0.4)], tolerance: 0.01));
    }

    [Fact]
    public void Probabilities_are_divided_by_their_sum()
    {
        var model = new TableLanguageModel(ExampleTables.Ab, [([0], 0.6), ([1], 0.6)], tolerance: 0.5);
        Assert.Equal([0.5, 0.5], model.Entries.Select(e => e.Probability));
    }

    [Fact]
    public void Strings_that_concatenate_alike_are_still_distinct()
    {
        // With twelve symbols, "1 11" and "11 1" would collide if ids were joined without a separator.
        var alphabet = new Alphabet(Enumerable.Range(0, 12).Select(i => $"s{i}"));
        var model = new TableLanguageModel(alphabet, [([1, 11], 0.5), ([11, 1], 0.5)]);
        Assert.Equal(Math.Log(0.5), model.LogProbability([11, 1]));
        Assert.Throws<InvalidModelException>(() => new TableLanguageModel(alphabet, [([1, 11], 0.5), ([1, 11], 0.5)]));
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Weights_must_be_finite_and_non_negative(double weight)
    {
        var error = Assert.Throws<InvalidModelException>(() => TableLanguageModel.FromWeights(ExampleTables.Ab, [([0], 1.0), ([1], weight)]));
        Assert.Contains("Weight 1", error.Message);
    }

    [Fact]
    public void Zero_weights_are_allowed_unless_all_are_zero()
    {
        var model = TableLanguageModel.FromWeights(ExampleTables.Ab, [([0], 0.0), ([1], 3.0)]);
        Assert.Equal(0.0, model.LogProbability([1]));
        Assert.Equal(double.NegativeInfinity, model.LogProbability([0]));
        Assert.StartsWith("All weights are zero", Assert.Throws<InvalidModelException>(() => TableLanguageModel.FromWeights(ExampleTables.Ab, [([0], 0.0)])).Message);
        Assert.Throws<InvalidModelException>(() => TableLanguageModel.FromWeights(ExampleTables.Ab, []));
    }

    [Fact]
    public void The_dead_state_stops_with_probability_one_and_stays_dead()
    {
        var model = ExampleTables.P();
        var dead = model.Advance(model.Advance(model.InitialState, 1), 0); // "ba" has no continuation in the table
        Assert.Equal(TableLanguageModel.DeadState, dead);
        Assert.Equal(TableLanguageModel.DeadState, model.Advance(dead, 1));
        var next = new double[3];
        next.AsSpan().Fill(7);
        model.NextLogProbabilities(dead, next);
        Assert.Equal([double.NegativeInfinity, double.NegativeInfinity, 0.0], next);
        Assert.Throws<UnknownSymbolException>(() => model.Advance(model.InitialState, 5));
    }

    [Fact]
    public void Prefix_probabilities_sum_the_subtree()
    {
        var model = ExampleTables.P();
        Assert.Equal(Math.Log(0.7), model.LogPrefixProbability([0]), 14);
        Assert.Equal(Math.Log(0.2), model.LogPrefixProbability([0, 0]), 14);
        Assert.Equal(double.NegativeInfinity, model.LogPrefixProbability([1, 0]));
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(1, 0.9)]
    [InlineData(2, 0.65)]
    [InlineData(3, 0.2)]
    [InlineData(4, 0.0)]
    public void Length_tails_sum_the_long_strings(int length, double expected)
    {
        var tail = ExampleTables.P().ProbabilityOfLengthAtLeast(length);
        Assert.Equal(expected, tail.Value, 14);
        Assert.Equal(6 * Epsilon, tail.ErrorBound);
    }

    [Fact]
    public void Certificates_contain_the_exact_rational_sums_and_are_n_epsilon_wide()
    {
        var model = ExampleTables.P();
        var n = model.Entries.Count;
        var exactMass = model.Entries.Aggregate(Rational.Zero, (sum, e) => Rational.Add(sum, Rational.FromDouble(e.Probability)));
        var exactLength = model.Entries.Aggregate(Rational.Zero,
            (sum, e) => Rational.Add(sum, Rational.Multiply(Rational.FromDouble(e.Probability), Rational.Of(e.String.Length))));
        var z = model.PartitionFunction();
        Assert.Equal(n * Epsilon, z.ErrorBound);
        Assert.True(Math.Abs(z.Value - exactMass.ToDouble()) <= z.ErrorBound);
        Assert.Equal("finite sum over the table", z.Method);
        var length = model.ExpectedLength();
        Assert.Equal(2 * n * Epsilon * Math.Max(1, length.Value), length.ErrorBound);
        Assert.True(Math.Abs(length.Value - exactLength.ToDouble()) <= length.ErrorBound);
        Assert.Equal(1.75, length.Value, 14);
        var entropy = model.Entropy();
        Assert.Equal(4 * n * Epsilon * Math.Max(1, entropy.Value), entropy.ErrorBound);
        Assert.Equal("finite sum over the table", entropy.Method);
        Assert.Equal("finite sum over the table", length.Method);
        Assert.Equal("finite sum over the table", model.ProbabilityOfLengthAtLeast(1).Method);
        // A tiny table keeps the floor of one in the relative bounds.
        var small = new TableLanguageModel(ExampleTables.Ab, [([], 1.0)]);
        Assert.Equal(4 * Epsilon, small.Entropy().ErrorBound);
        Assert.Equal(2 * Epsilon, small.ExpectedLength().ErrorBound);
    }

    [Fact]
    public void Tightness_evidence_counts_the_support()
    {
        var model = new TableLanguageModel(ExampleTables.Ab, [([0], 0.5), ([0, 1], 0.5), ([1, 1, 1, 1], 0.0)]);
        Assert.Equal(2, model.MaxLength);
        var report = model.AnalyzeTightness();
        Assert.Equal("finite support: 2 strings, the longest of length 2, so the model stops by step 3", Assert.Single(report.Evidence));
        Assert.Equal(0.0, report.LeakedMass);
        Assert.Equal("table LM over {a, b} with 3 strings", model.ToString());
    }
}
