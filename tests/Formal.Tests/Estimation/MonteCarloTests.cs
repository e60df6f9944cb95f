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
