using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Models;

namespace Workbench.Formal.Tests.Models;

public sealed class UnaryLanguageModelTests
{
    [Fact]
    public void The_leak_fixture_has_mass_one_half_and_is_not_tight()
    {
        var report = new UnaryLanguageModel(EosSchedule.InverseSquare()).AnalyzeTightness();
        Assert.Equal(TightnessVerdict.NotTight, report.Verdict);
        Assert.True(Math.Abs(report.Mass - 0.5) <= 1e-9, $"mass {report.Mass}");
        Assert.Equal(TightnessMethod.ClosedForm, report.Method);
    }

    [Fact]
    public void The_harmonic_schedule_is_tight()
    {
        var model = new UnaryLanguageModel(EosSchedule.Harmonic());
        var report = model.AnalyzeTightness();
        Assert.Equal(TightnessVerdict.Tight, report.Verdict);
        Assert.Equal(1.0, report.Mass);
        Assert.Equal(Math.Log(1.0 / 12), model.LogProbability([0, 0]), 14);
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Power_two_schedules_bound_the_euler_product(double c)
    {
        // ∏_{n≥1} (1 − c/n²) = sin(π√c)/(π√c) (Euler's product for the sine).
        var x = Math.Sqrt(c);
        var exactMass = 1 - Math.Sin(Math.PI * x) / (Math.PI * x);
        var report = new UnaryLanguageModel(EosSchedule.Power(c, 2)).AnalyzeTightness();
        Assert.Equal(TightnessVerdict.NotTight, report.Verdict);
        Assert.InRange(exactMass, report.MassLowerBound, report.MassUpperBound);
        Assert.True(report.MassUpperBound - report.MassLowerBound < 1e-4, report.ToString());
    }

    [Fact]
    public void Geometric_schedules_bound_the_q_pochhammer_product()
    {
        const double c = 0.5, r = 0.9;
        var survival = 1.0;
        for (var t = 0; t < 2000; t++) survival *= 1 - c * Math.Pow(r, t);
        var report = new UnaryLanguageModel(EosSchedule.Geometric(c, r)).AnalyzeTightness();
        Assert.Equal(TightnessVerdict.NotTight, report.Verdict);
        Assert.InRange(1 - survival, report.MassLowerBound - 1e-15, report.MassUpperBound + 1e-15);
    }

    [Theory]
    [InlineData(0.5, 1.0)]
    [InlineData(0.3, 0.5)]
    public void Divergent_power_schedules_are_tight(double c, double alpha) =>
        Assert.Equal(TightnessVerdict.Tight, new UnaryLanguageModel(EosSchedule.Power(c, alpha)).AnalyzeTightness().Verdict);

    [Fact]
    public void A_custom_schedule_without_tail_information_is_unknown_with_a_lower_bound()
    {
        var report = new UnaryLanguageModel(EosSchedule.Custom("0.1/(t+1)", t => 0.1 / (t + 1))).AnalyzeTightness();
        Assert.Equal(TightnessVerdict.Unknown, report.Verdict);
        Assert.Equal(1.0, report.MassUpperBound);
        Assert.True(report.MassLowerBound > 0.5);
    }

    [Fact]
    public void A_step_with_certain_stopping_makes_the_model_tight()
    {
        var report = new UnaryLanguageModel(EosSchedule.Custom("stop at 3", t => t >= 3 ? 1 : 0.1)).AnalyzeTightness();
        Assert.Equal(TightnessVerdict.Tight, report.Verdict);
        Assert.Contains("length at most 3", report.Evidence[0]);
    }

    [Fact]
    public void A_schedule_that_leaves_zero_to_one_is_reported_with_the_step()
    {
        var model = new UnaryLanguageModel(EosSchedule.Custom("broken", t => t == 2 ? 1.5 : 0.1));
        var error = Assert.Throws<InvalidModelException>(() => model.LogProbability([0, 0, 0]));
        Assert.Contains("a^2", error.Message);
        Assert.Throws<InvalidModelException>(() => new UnaryLanguageModel(EosSchedule.Custom("nan", _ => double.NaN)).AnalyzeTightness());
    }

    [Fact]
    public void Prefix_probability_counts_the_leaked_mass()
    {
        // P(|y| ≥ T) = (T+2)/(2(T+1)) → 1/2: the cylinder keeps the infinite strings' half.
        var model = new UnaryLanguageModel(EosSchedule.InverseSquare());
        Assert.Equal(Math.Log(1002.0 / 2002.0), model.LogPrefixProbability(new int[1000]), 11);
    }
}

public sealed class UnaryTightnessEdgeTests
{
    [Fact]
    public void A_tiny_leak_is_measured_without_cancellation()
    {
        // f(t) = 1e-12·0.5^t: the finite-string mass is about Σ f = 2e-12, far below 1 − (1 − ε).
        var report = new UnaryLanguageModel(EosSchedule.Geometric(1e-12, 0.5)).AnalyzeTightness();
        Assert.Equal(TightnessVerdict.NotTight, report.Verdict);
        Assert.InRange(2e-12 * (1 - 1e-9), report.MassLowerBound, report.MassUpperBound);
        Assert.True(Math.Abs(report.Mass - 2e-12) < 1e-20, report.ToString());
    }

    [Fact]
    public void A_leak_whose_product_underflows_is_still_not_tight()
    {
        // Σ_{t≥0} 0.999·0.9999999^t converges, so the model leaks although ∏ (1 − f(t)) < e^(−1000).
        var report = new UnaryLanguageModel(EosSchedule.Geometric(0.999, 0.9999999)).AnalyzeTightness();
        Assert.Equal(TightnessVerdict.NotTight, report.Verdict);
        Assert.Equal(1.0, report.MassUpperBound);
    }
}
