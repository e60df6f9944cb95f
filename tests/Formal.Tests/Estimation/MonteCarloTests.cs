using Workbench.Formal.Estimation;
using Workbench.Formal.Evaluation;
using Workbench.Formal.Generation;
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
    public void Means_are_over_exactly_the_draws_of_sample_many()
    {
        // Draw i is the i-th draw of SampleMany with the same seed: the mean, its two-pass standard error and the
        // truncation count must be those of the same n draws, not n ± 1.
        var model = new UnaryLanguageModel(EosSchedule.Constant(0.3));
        const int n = 50;
        var draws = AncestralSampler.SampleMany(model, n, 23, 4);
        var lengths = draws.Select(d => (double)d.Symbols.Length).ToArray();
        var mean = lengths.Average();
        var variance = lengths.Sum(x => (x - mean) * (x - mean)) / (n - 1);
        var estimate = MonteCarlo.ExpectedLength(model, n, 23, 4);
        Assert.Equal(mean, estimate.Value, 12);
        Assert.Equal(Math.Sqrt(variance / n), estimate.StandardError, 12);
        Assert.Equal(draws.Count(d => d.Truncated), estimate.TruncatedSamples);
        Assert.True(estimate.TruncatedSamples > 0);
        var entropy = MonteCarlo.Entropy(model, n, 23, 4);
        Assert.Equal(draws.Average(d => -d.LogProbability), entropy.Value, 12);
    }

    [Fact]
    public void One_draw_has_an_infinite_standard_error()
    {
        var estimate = MonteCarlo.ExpectedLength(new UnaryLanguageModel(EosSchedule.Constant(0.5)), 1, 3, 100);
        Assert.Equal(double.PositiveInfinity, estimate.StandardError);
        Assert.Equal(1, estimate.SampleSize);
        Assert.True(MonteCarlo.ExpectedLength(new UnaryLanguageModel(EosSchedule.Constant(0.5)), 2, 3, 100).StandardError < double.PositiveInfinity);
    }

    [Fact]
    public void The_wilson_interval_is_the_textbook_one()
    {
        // (k + z²/2 ± z·√(k(n − k)/n + z²/4)) / (n + z²) for k hits of n, written in counts rather than shares.
        var model = new UnaryLanguageModel(EosSchedule.Constant(0.3));
        const int n = 120, length = 2;
        var k = AncestralSampler.SampleMany(model, n, 41, length - 1).Count(d => d.Truncated);
        var estimate = MonteCarlo.ProbabilityOfNotStopping(model, length, n, 41, 0.9);
        var z = NormalDistribution.TwoSidedCriticalValue(0.9);
        var root = z * Math.Sqrt(k * (n - k) / (double)n + z * z / 4);
        Assert.Equal((double)k / n, estimate.Value, 14);
        Assert.Equal((k + z * z / 2 - root) / (n + z * z), estimate.Lower, 12);
        Assert.Equal((k + z * z / 2 + root) / (n + z * z), estimate.Upper, 12);
        // All hits or none: the interval is clipped to [0, 1] and stays one-sided.
        var always = MonteCarlo.ProbabilityOfNotStopping(new UnaryLanguageModel(EosSchedule.Constant(1e-9)), 1, 30, 1);
        Assert.Equal(1.0, always.Value);
        Assert.Equal(1.0, always.Upper, 14);
        Assert.Equal(30 / (30 + z0() * z0()), always.Lower, 12);
        var never = MonteCarlo.ProbabilityOfNotStopping(new UnaryLanguageModel(EosSchedule.Constant(1.0)), 1, 30, 1);
        Assert.Equal((0.0, 0.0), (never.Value, never.Lower));
        Assert.Equal(z0() * z0() / (30 + z0() * z0()), never.Upper, 12);

        static double z0() => NormalDistribution.TwoSidedCriticalValue(0.95);
    }

    [Theory]
    [InlineData(0, 0.95)]
    [InlineData(10, 0.0)]
    [InlineData(10, 1.0)]
    [InlineData(10, -0.5)]
    [InlineData(10, double.NaN)]
    public void Sample_sizes_and_confidence_levels_are_checked(int samples, double confidence)
    {
        var model = new UnaryLanguageModel(EosSchedule.Constant(0.5));
        var parameter = samples < 1 ? "samples" : "confidence";
        Assert.Equal(parameter, Assert.ThrowsAny<ArgumentOutOfRangeException>(() => MonteCarlo.ExpectedLength(model, samples, 1, 10, confidence)).ParamName);
        Assert.Equal(parameter, Assert.ThrowsAny<ArgumentOutOfRangeException>(() => MonteCarlo.ProbabilityOfNotStopping(model, 3, samples, 1, confidence)).ParamName);
    }

    [Fact]
    public void Models_over_alphabets_of_different_sizes_are_refused()
    {
        var p = ExampleTables.P();
        var q = new UniformLanguageModel(Alphabet.FromCharacters("abc"));
        Assert.Throws<ArgumentException>(() => MonteCarlo.CrossEntropy(p, q, 10, 1, 10));
        Assert.Throws<ArgumentException>(() => MonteCarlo.KullbackLeibler(p, q, 10, 1, 10));
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

    [Fact]
    public void Corpus_alphabets_collect_tokens_or_characters_in_ordinal_order()
    {
        var alphabet = Corpus.AlphabetOf(["ba", "# c d", "", "  ", "ε", "x yy", "a"]);
        Assert.Equal(["a", "b", "x", "yy"], alphabet.Symbols);
    }

    [Fact]
    public void Corpus_files_are_read_with_their_path_in_errors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"workbench-corpus-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(path, ["ab", "ba", "c"]);
        try
        {
            var alphabet = Alphabet.FromCharacters("ab");
            var error = Assert.Throws<Workbench.Formal.Errors.ParseException>(() => Corpus.Read(path, alphabet));
            Assert.StartsWith($"{path}:3:1: unknown symbol 'c'", error.Message);
            File.WriteAllLines(path, ["ab", "ba"]);
            Assert.Equal([[0, 1], [1, 0]], Corpus.Read(path, alphabet));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Corpus_scores_count_strings_predictions_and_nats()
    {
        // Uniform over {a, b}: p(y) = 3^−(|y|+1); the corpus {ε, ab} has 1 + 3 predictions and 4·ln 3 nats.
        var score = CorpusEvaluation.Evaluate(new UniformLanguageModel(Alphabet.FromCharacters("ab")), [[], [0, 1]]);
        Assert.Equal((2, 4L), (score.Strings, score.Symbols));
        Assert.Equal(4 * Math.Log(3), score.NegativeLogLikelihood, 14);
        Assert.Equal(2 * Math.Log(3), score.CrossEntropyPerString, 14);
        Assert.Equal(Math.Log(3), score.CrossEntropyPerSymbol, 14);
        Assert.Equal(3.0, score.Perplexity, 13);
        Assert.Throws<ArgumentException>(() => CorpusEvaluation.Evaluate(new UniformLanguageModel(Alphabet.FromCharacters("ab")), []));
    }
}
