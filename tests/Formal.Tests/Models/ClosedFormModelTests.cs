using System.Globalization;
using Workbench.Formal.Errors;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Models;
using Workbench.Formal.Numerics;
using Workbench.Formal.Symbols;

namespace Workbench.Formal.Tests.Models;

/// <summary>The uniform and unary models' closed forms, certificates and evidence, and the EOS schedules' tail bounds.</summary>
public sealed class ClosedFormModelTests
{
    private static readonly Alphabet Ab = ExampleTables.Ab;

    [Fact]
    public void The_uniform_model_states_its_closed_forms()
    {
        var model = new UniformLanguageModel(Ab);
        Assert.Equal(CertifiedValue.Exact(1, "closed form"), model.PartitionFunction());
        Assert.Equal(CertifiedValue.Exact(3 * Math.Log(3), "closed form"), model.Entropy());
        Assert.Equal(CertifiedValue.Exact(2, "closed form"), model.ExpectedLength());
        Assert.Equal(CertifiedValue.Exact(4.0 / 9, "closed form"), model.ProbabilityOfLengthAtLeast(2));
        var report = model.AnalyzeTightness();
        Assert.Equal(TightnessVerdict.Tight, report.Verdict);
        Assert.Contains("p(EOS | y) = 1/3 at every prefix", report.Evidence[0]);
        Assert.Equal("uniform LM over {a, b}", model.ToString());
        // The state is the prefix length.
        Assert.Equal(3, ChainRule.StateAfter(model, [0, 1, 0]));
        Assert.Throws<UnknownSymbolException>(() => model.Advance(0, Ab.Eos));
    }

    [Fact]
    public void Scoring_validates_symbols_before_reading_conditionals()
    {
        // The uniform model's conditionals ignore the symbol, so only validation can catch EOS inside a string.
        var model = new UniformLanguageModel(Ab);
        Assert.Throws<UnknownSymbolException>(() => ChainRule.LogProbability(model, [0, Ab.Eos]));
        Assert.Throws<UnknownSymbolException>(() => ChainRule.LogPrefixProbability(model, [Ab.Eos]));
        Assert.Throws<UnknownSymbolException>(() => ChainRule.StateAfter(model, [7]));
        Assert.Throws<ArgumentOutOfRangeException>(() => AncestralSampler.Sample(model, new Random(1), -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => AncestralSampler.SampleMany(model, -1, 1, 5));
        // A model that does not check symbols itself still gets them checked by the chain rule.
        var unchecked_ = new UncheckedModel(Ab);
        Assert.Throws<UnknownSymbolException>(() => ChainRule.LogProbability(unchecked_, [Ab.Eos]));
        Assert.Throws<UnknownSymbolException>(() => ChainRule.StateAfter(unchecked_, [Ab.Eos]));
    }

    /// <summary>Uniform conditionals and an Advance that accepts any id.</summary>
    private sealed class UncheckedModel(Alphabet alphabet) : IAutoregressiveLanguageModel<int>
    {
        public Alphabet Alphabet => alphabet;
        public int InitialState => 0;
        public void NextLogProbabilities(int state, Span<double> logProbabilities) => logProbabilities.Fill(-Math.Log(alphabet.SizeWithEos));
        public int Advance(int state, int symbol) => state + 1;
        public double LogProbability(ReadOnlySpan<int> symbols) => ChainRule.LogProbability(this, symbols);
    }

    [Fact]
    public void Wide_alphabets_score_through_heap_buffers()
    {
        var alphabet = new Alphabet(Enumerable.Range(0, 300).Select(i => $"s{i}"));
        var model = new UniformLanguageModel(alphabet);
        Assert.Equal(-3 * Math.Log(301), ChainRule.LogProbability(model, [4, 299]), 12);
        Assert.Equal(-2 * Math.Log(301), ChainRule.LogPrefixProbability(model, [4, 299]), 12);
        Assert.InRange(AncestralSampler.Sample(model, new Random(3), 1000).Symbols.Length, 0, 1000);
    }

    [Fact]
    public void The_unary_model_certifies_its_length_tails()
    {
        var model = new UnaryLanguageModel(EosSchedule.Constant(0.25));
        Assert.Throws<UnknownSymbolException>(() => model.Advance(0, model.Alphabet.Eos));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.ProbabilityOfLengthAtLeast(-1));
        var tail = model.ProbabilityOfLengthAtLeast(10);
        var exact = Math.Pow(0.75, 10);
        Assert.Equal(exact, tail.Value, 15);
        Assert.Equal(1.0, tail.ErrorBound / (exact * FloatingPoint.MachineEpsilon * 42), 12);
        Assert.True(Math.Abs(tail.Value - exact) <= tail.ErrorBound);
        Assert.Equal("∏_{t<T} (1 − f(t))", tail.Method);
    }

    [Fact]
    public void The_unary_partition_function_is_the_midpoint_of_the_tightness_bounds()
    {
        var model = new UnaryLanguageModel(EosSchedule.Power(0.5, 2));
        var report = model.AnalyzeTightness();
        var z = model.PartitionFunction();
        Assert.Equal(report.Mass, z.Value);
        Assert.Equal((report.MassUpperBound - report.MassLowerBound) / 2, z.ErrorBound);
        Assert.True(z.ErrorBound > 0);
        Assert.Equal(nameof(TightnessMethod.EosScheduleBounds), z.Method);
        // ∏_{n≥1} (1 − 1/(2n²)) = sin(π/√2)/(π/√2).
        var exactMass = 1 - Math.Sin(Math.PI / Math.Sqrt(2)) / (Math.PI / Math.Sqrt(2));
        Assert.InRange(exactMass, z.Value - z.ErrorBound, z.Value + z.ErrorBound);
        Assert.Equal(1 - report.Mass, report.LeakedMass);
        Assert.Contains(report.Evidence, e => e.StartsWith("Σ_{t≥65536} f(t) ∈ [", StringComparison.Ordinal));
        Assert.Contains(report.Evidence, e => e.StartsWith("exp(−U/(1 − f(T)))", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_tail_bounds_only_a_lower_bound_on_the_mass_is_certain()
    {
        // f(t) = 1/(t+2)² written as a custom schedule: ∏_{t<T} (1 − f(t)) = (T + 2)/(2(T + 1)) exactly.
        var model = new UnaryLanguageModel(EosSchedule.Custom("inverse square", t => 1.0 / ((t + 2.0) * (t + 2.0))));
        var report = model.AnalyzeTightness();
        const double horizon = UnaryLanguageModel.AnalysisHorizon;
        var partialMass = 1 - (horizon + 2) / (2 * (horizon + 1));
        Assert.Equal(TightnessVerdict.Unknown, report.Verdict);
        Assert.Equal(1.0, report.MassUpperBound);
        Assert.InRange(partialMass, report.MassLowerBound, report.Mass + 1e-15);
        Assert.True(report.Mass - report.MassLowerBound < 1e-14);
        Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"partial product ∏_{{t<{UnaryLanguageModel.AnalysisHorizon}}} (1 − f(t)) = exp("), report.Evidence[0]);
        Assert.Contains("only a lower bound on the mass is certain", report.Evidence[1]);
        Assert.Equal("unary LM with p(EOS | a^t) = inverse square", model.ToString());
    }

    [Fact]
    public void Schedules_bound_their_tails()
    {
        Assert.Equal((1.0 / 12, 1.0 / 11), EosSchedule.InverseSquare().TailSum(10));
        Assert.Equal((0.05, 0.055), EosSchedule.Power(0.5, 2).TailSum(9));
        var (lower, upper) = EosSchedule.Power(0.5, 3).TailSum(9); // c·(T+1)^(1−α)/(α − 1) and the first term c·(T+1)^−α
        Assert.Equal(0.0025, lower, 15);
        Assert.Equal(0.003, upper, 15);
        Assert.Equal((double.PositiveInfinity, double.PositiveInfinity), EosSchedule.Power(0.5, 1).TailSum(9));
        Assert.Equal((double.PositiveInfinity, double.PositiveInfinity), EosSchedule.Harmonic().TailSum(3));
        Assert.Equal("1/(t+2)", EosSchedule.Harmonic().Name);
        Assert.Throws<InvalidOperationException>(() => EosSchedule.Custom("c", _ => 0.5).TailSum(1));
    }

    [Fact]
    public void Certified_values_print_their_bound_only_when_there_is_one()
    {
        Assert.Equal("0.5 (closed form)", CertifiedValue.Exact(0.5, "closed form").ToString());
        Assert.Equal("0.5 ± 1E-10 (sum)", new CertifiedValue(0.5, 1e-10, "sum").ToString());
    }
}
