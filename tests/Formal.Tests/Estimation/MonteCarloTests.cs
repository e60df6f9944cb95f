using Workbench.Formal.Estimation;
using Workbench.Formal.Evaluation;
using Workbench.Formal.Models;
using Workbench.Formal.Numerics;
using Workbench.Formal.Symbols;

namespace Workbench.Formal.Tests.Estimation;

public sealed class MonteCarloTests
{
    private static readonly Alphabet Ab = ExampleTables.Ab;



    [Fact]
    public void Intervals_cover_exact_expected_length_and_entropy()
    {
        var table = ExampleTables.P();
        var uniform = new UniformLanguageModel(Ab);
        Assert.True(MonteCarlo.ExpectedLength(table, 20_000, 1, 50, 0.999).Covers(table.ExpectedLength().Value));
        Assert.True(MonteCarlo.Entropy(table, 20_000, 2, 50, 0.999).Covers(table.Entropy().Value));
        Assert.True(MonteCarlo.ExpectedLength(uniform, 20_000, 3, 500, 0.999).Covers(uniform.ExpectedLength().Value));
        Assert.True(MonteCarlo.Entropy(uniform, 20_000, 4, 500, 0.999).Covers(uniform.Entropy().Value));
    }

    [Fact]
    public void Intervals_cover_exact_cross_entropy_and_kl()
    {
        var (p, q) = (ExampleTables.P(), ExampleTables.Q());
        var pVector = p.Entries.Select(e => e.Probability).ToArray();
        var qVector = q.Entries.Select(e => e.Probability).ToArray();
        Assert.True(MonteCarlo.KullbackLeibler(p, q, 20_000, 5, 50, 0.999).Covers(DiscreteDistributions.KullbackLeibler(pVector, qVector)));
        Assert.True(MonteCarlo.CrossEntropy(p, q, 20_000, 6, 50, 0.999).Covers(DiscreteDistributions.CrossEntropy(pVector, qVector)));
    }

    [Fact]
    public void The_not_stopping_probability_estimates_the_leak()
    {
        // Under p(EOS | aᵗ) = 1/(t+2)², P(|y| ≥ 200) = 202/402, close to the leaked mass 1/2.
        var model = new UnaryLanguageModel(EosSchedule.InverseSquare());
        var estimate = MonteCarlo.ProbabilityOfNotStopping(model, 200, 20_000, 7, 0.999);
        Assert.True(estimate.Covers(202.0 / 402.0), estimate.ToString());
        Assert.Equal(7, estimate.Seed);
        Assert.Equal(20_000, estimate.SampleSize);
    }

    [Fact]
    public void Ninety_five_percent_intervals_cover_about_ninety_five_percent_of_the_time()
    {
        // Over 200 independent seeds the coverage count is Binomial(200, 0.95): mean 190, sd 3.1.
        var table = ExampleTables.P();
        var exact = table.Entropy().Value;
        var covered = Enumerable.Range(0, 200).Count(seed => MonteCarlo.Entropy(table, 400, seed, 50).Covers(exact));
        Assert.InRange(covered, 178, 200);
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.5)]
    public void Standard_errors_and_intervals_match_a_known_variance(double stop)
    {
        // Geometric lengths: p(EOS | aᵗ) = c, E|y| = (1 − c)/c, Var|y| = (1 − c)/c². With n = 40,000 draws the standard
        // error must be √(Var/n) to a few percent, and the interval exactly mean ± z·SE.
        var model = new UnaryLanguageModel(EosSchedule.Constant(stop));
        const int n = 40_000;
        var estimate = MonteCarlo.ExpectedLength(model, n, 17, 100_000);
        var expected = Math.Sqrt((1 - stop) / (stop * stop) / n);
        Assert.InRange(estimate.StandardError / expected, 0.95, 1.05);
        var z = NormalDistribution.TwoSidedCriticalValue(0.95);
        Assert.Equal(estimate.Value - z * estimate.StandardError, estimate.Lower, 12);
        Assert.Equal(estimate.Value + z * estimate.StandardError, estimate.Upper, 12);
        Assert.True(estimate.Covers((1 - stop) / stop) || Math.Abs(estimate.Value - (1 - stop) / stop) < 4 * expected);
        // The exact entropy of the geometric, −log c − ((1 − c)/c)·log(1 − c), against its estimate.
        var entropy = -Math.Log(stop) - (1 - stop) / stop * Math.Log(1 - stop);
        Assert.True(Math.Abs(MonteCarlo.Entropy(model, n, 18, 100_000).Value - entropy) < 5 * estimate.StandardError * Math.Abs(Math.Log(1 - stop)) + 1e-9);
        // KL(p ‖ p) = 0 exactly: every paired difference is 0.
        var self = MonteCarlo.KullbackLeibler(model, model, 500, 19, 100_000);
        Assert.Equal((0.0, 0.0), (self.Value, self.StandardError));
    }

    [Fact]
    public void The_wilson_interval_of_not_stopping_covers_the_exact_survival_at_its_level()
    {
        // P(|y| ≥ T) = (1 − c)^T for geometric lengths; over 200 seeds the 95% Wilson interval covers it 178–200 times,
        // stays inside [0, 1], and its point is the share of draws that did not stop.
        var model = new UnaryLanguageModel(EosSchedule.Constant(0.3));
        var exact = Math.Pow(0.7, 3);
        var estimates = Enumerable.Range(0, 200).Select(seed => MonteCarlo.ProbabilityOfNotStopping(model, 3, 300, seed)).ToArray();
        Assert.InRange(estimates.Count(e => e.Covers(exact)), 178, 200);
        Assert.All(estimates, e => Assert.True(e.Lower >= 0 && e.Upper <= 1 && e.Lower <= e.Value && e.Value <= e.Upper));
        Assert.All(estimates, e => Assert.Equal(Math.Sqrt(e.Value * (1 - e.Value) / 300), e.StandardError, 12));
        // Every string has |y| ≥ 0.
        var zero = MonteCarlo.ProbabilityOfNotStopping(model, 0, 50, 1);
        Assert.Equal(1.0, zero.Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => MonteCarlo.ProbabilityOfNotStopping(model, -1, 50, 1));
    }

    [Fact]
    public void Truncated_samples_are_counted()
    {
        var model = new UnaryLanguageModel(EosSchedule.InverseSquare());
        var estimate = MonteCarlo.ExpectedLength(model, 1000, 1, 20);
        Assert.InRange(estimate.TruncatedSamples, 400, 700);
    }

    [Fact]
    public void Perplexity_is_infinite_for_a_string_the_model_excludes()
    {
        var score = CorpusEvaluation.Evaluate(ExampleTables.P(), [[0], [0, 0]]);
        Assert.Equal(double.PositiveInfinity, score.Perplexity);
        Assert.Equal(3, score.Symbols - 2);
    }
}

public sealed class CorpusTests
{
    [Fact]
    public void Corpus_lines_parse_skipping_blanks_and_comments()
    {
        var corpus = Corpus.Parse(["ab", "", "  # note", "ε", "b a"], Alphabet.FromCharacters("ab"), "memory");
        Assert.Equal([[0, 1], [], [1, 0]], corpus);
    }

    [Fact]
    public void Corpus_errors_name_source_line_and_column()
    {
        var error = Assert.Throws<Workbench.Formal.Errors.ParseException>(() =>
            Corpus.Parse(["ab", " a z"], Alphabet.FromCharacters("ab"), "train.txt"));
        Assert.StartsWith("train.txt:2:4: unknown symbol 'z'", error.Message);
    }
}
