using Workbench.Formal.Adapters;
using Workbench.Formal.Generation;
using Workbench.Formal.Models;
using Workbench.Formal.Symbols;

namespace Workbench.Formal.Tests.Adapters;

/// <summary>Each sampling adapter on a hand-worked distribution, p = (0.5, 0.2, 0.2, 0.1), and on its boundaries.</summary>
public sealed class AdapterTests
{
    private static readonly double[] P = [0.5, 0.2, 0.2, 0.1];

    private static double[] Adapt(ISamplingAdapter adapter, double[] probabilities)
    {
        var adapted = new double[probabilities.Length];
        adapter.Apply(probabilities.Select(p => Math.Log(p)).ToArray(), adapted);
        return adapted.Select(Math.Exp).ToArray();
    }

    private static void AssertDistribution(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 14);
    }

    [Fact]
    public void Top_k_keeps_the_k_most_probable_with_ties_to_the_lower_id()
    {
        AssertDistribution([5.0 / 7, 2.0 / 7, 0, 0], Adapt(new TopKAdapter(2), P));
        AssertDistribution([1, 0, 0, 0], Adapt(new TopKAdapter(1), P));
        AssertDistribution(P, Adapt(new TopKAdapter(10), P));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TopKAdapter(0));
        Assert.Equal("top-k (k = 2)", new TopKAdapter(2).Name);
    }

    [Theory]
    [InlineData(0.5, new[] { 1.0, 0, 0, 0 })]
    [InlineData(0.6, new[] { 5.0 / 7, 2.0 / 7, 0, 0 })]
    [InlineData(0.7, new[] { 5.0 / 7, 2.0 / 7, 0, 0 })]
    [InlineData(0.71, new[] { 5.0 / 9, 2.0 / 9, 2.0 / 9, 0 })]
    [InlineData(1.0, new[] { 0.5, 0.2, 0.2, 0.1 })]
    public void Top_p_keeps_the_shortest_prefix_reaching_p(double p, double[] expected) =>
        AssertDistribution(expected, Adapt(new TopPAdapter(p), P));

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.0000001)]
    [InlineData(double.NaN)]
    public void Masses_outside_the_unit_interval_are_refused(double mass)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TopPAdapter(mass));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LocallyTypicalAdapter(mass));
    }

    [Fact]
    public void Top_p_and_typical_accept_mass_one_and_name_themselves()
    {
        Assert.Equal("top-p (p = 1)", new TopPAdapter(1).Name);
        Assert.Equal("locally typical (τ = 0.3)", new LocallyTypicalAdapter(0.3).Name);
        AssertDistribution(P, Adapt(new LocallyTypicalAdapter(1), P));
    }

    [Fact]
    public void Locally_typical_sampling_admits_surprisals_closest_to_the_entropy()
    {
        // H = 1.2206 nats; surprisals 0.693, 1.609, 1.609, 2.303 lie 0.527, 0.389, 0.389, 1.082 from it.
        Assert.Equal([1, 2, 0, 3], LocallyTypicalAdapter.TypicalityOrder(P.Select(p => Math.Log(p)).ToArray()));
        AssertDistribution([0, 0.5, 0.5, 0], Adapt(new LocallyTypicalAdapter(0.3), P));
        AssertDistribution([5.0 / 9, 2.0 / 9, 2.0 / 9, 0], Adapt(new LocallyTypicalAdapter(0.8), P));
        // Outcomes of probability zero never enter the order.
        Assert.Equal([0, 1], LocallyTypicalAdapter.TypicalityOrder([Math.Log(0.5), Math.Log(0.5), double.NegativeInfinity]));
    }

    [Fact]
    public void Temperature_raises_probabilities_to_the_inverse_temperature()
    {
        var roots = P.Select(Math.Sqrt).ToArray();
        AssertDistribution(roots.Select(r => r / roots.Sum()).ToArray(), Adapt(new TemperatureAdapter(2), P));
        var squares = P.Select(p => p * p).ToArray();
        AssertDistribution(squares.Select(s => s / squares.Sum()).ToArray(), Adapt(new TemperatureAdapter(0.5), P));
        Assert.Equal("temperature (τ = 2)", new TemperatureAdapter(2).Name);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void Temperatures_must_be_positive_and_finite(double temperature) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TemperatureAdapter(temperature));

    [Fact]
    public void Truncation_works_on_distributions_wider_than_the_stack_buffer()
    {
        // 2,000 outcomes with p ∝ i + 1: top-k keeps the last k, renormalised.
        var weights = Enumerable.Range(1, 2000).Select(i => (double)i).ToArray();
        var probabilities = weights.Select(w => w / weights.Sum()).ToArray();
        var adapted = Adapt(new TopKAdapter(3), probabilities);
        Assert.Equal(2000.0 / (1998 + 1999 + 2000), adapted[1999], 13);
        Assert.Equal(0.0, adapted[..1997].Sum());
        Assert.Equal(1.0, adapted.Sum(), 13);
    }

    [Fact]
    public void An_adapted_model_applies_the_adapter_at_every_prefix()
    {
        var inner = ExampleTables.P();
        var adapter = new TopKAdapter(1);
        var model = inner.WithAdapter(adapter);
        Assert.Same(inner, model.Inner);
        Assert.Same(adapter, model.Adapter);
        Assert.Equal(inner.Alphabet, model.Alphabet);
        Assert.Equal(inner.InitialState, model.InitialState);
        var original = new double[3];
        var expected = new double[3];
        var actual = new double[3];
        var state = model.InitialState;
        foreach (var symbol in new[] { 0, 1 })
        {
            inner.NextLogProbabilities(state, original);
            adapter.Apply(original, expected);
            actual.AsSpan().Fill(123);
            model.NextLogProbabilities(state, actual);
            Assert.Equal(expected, actual);
            state = model.Advance(state, symbol);
        }
        // Greedy under top-1: ε → a (0.7), a → b (π(ab) = 0.3 is the largest), ab → EOS; probability 1.
        Assert.Equal(0.0, model.LogProbability([0, 1]), 14);
        Assert.Equal(double.NegativeInfinity, model.LogProbability([0]));
        Assert.Equal("top-k (k = 1) of table LM over {a, b} with 6 strings", model.ToString());
    }

    [Fact]
    public void Adapters_apply_to_wide_alphabets()
    {
        var alphabet = new Alphabet(Enumerable.Range(0, 400).Select(i => $"s{i}"));
        var model = new UniformLanguageModel(alphabet).WithAdapter(new TopKAdapter(1));
        // Uniform ties go to the lowest id: the top-1 model puts all mass on s0 forever.
        var next = new double[alphabet.SizeWithEos];
        model.NextLogProbabilities(model.InitialState, next);
        Assert.Equal(0.0, next[0]);
        Assert.Equal(double.NegativeInfinity, next[1]);
        Assert.Equal(double.NegativeInfinity, model.LogProbability([0, 0]));
    }
}
