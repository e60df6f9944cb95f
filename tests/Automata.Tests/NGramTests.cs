using Workbench.Automata.NGrams;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Errors;
using Workbench.Formal.Evaluation;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Tests;

public sealed class NGramTests
{
    private static readonly Alphabet Ab = Alphabet.FromCharacters("ab");

    // "ab", "ab", "b": bigram events (BOS→a) ×2, (a→b) ×2, (b→EOS) ×3, (BOS→b) ×1.
    private static readonly int[][] Corpus = [[0, 1], [0, 1], [1]];

    [Fact]
    public void Maximum_likelihood_is_relative_frequency()
    {
        var model = NGramEstimation.MaximumLikelihood(Ab, 2, Corpus);
        Assert.Equal(Math.Log(2.0 / 3), model.LogProbability([0, 1]), 14);
        Assert.Equal(Math.Log(1.0 / 3), model.LogProbability([1]), 14);
        Assert.Equal(double.NegativeInfinity, model.LogProbability([1, 0]));
        Assert.Equal(3, model.Histories.Count);
    }

    [Fact]
    public void Add_lambda_gives_every_string_positive_probability()
    {
        var model = NGramEstimation.AddLambda(Ab, 2, Corpus, 1);
        // p(a | BOS) = (2 + 1)/(3 + 3), p(b | a) = (2 + 1)/(2 + 3), p(EOS | b) = (3 + 1)/(3 + 3).
        Assert.Equal(Math.Log(0.5 * 0.6 * (4.0 / 6)), model.LogProbability([0, 1]), 14);
        Assert.True(model.LogProbability([1, 0, 0]) > double.NegativeInfinity);
    }

    [Fact]
    public void Kneser_ney_distributions_sum_to_one_and_cover_unseen_events()
    {
        var model = NGramEstimation.InterpolatedKneserNey(Ab, 3, Corpus, 0.75);
        for (var h = 0; h < model.Histories.Count; h++)
            Assert.Equal(1.0, model.Conditional(h).ToArray().Sum(), 12);
        Assert.True(model.LogProbability([1, 1, 0, 0]) > double.NegativeInfinity);
        Assert.Equal(7, model.Histories.Count);
    }

    [Fact]
    public void Smoothing_makes_held_out_perplexity_finite_where_mle_is_infinite()
    {
        int[][] heldOut = [[0, 1], [1, 0]];
        Assert.Equal(double.PositiveInfinity, CorpusEvaluation.Evaluate(NGramEstimation.MaximumLikelihood(Ab, 2, Corpus), heldOut).Perplexity);
        var kn = CorpusEvaluation.Evaluate(NGramEstimation.InterpolatedKneserNey(Ab, 2, Corpus), heldOut).Perplexity;
        Assert.True(double.IsFinite(kn) && kn > 1);
    }

    [Fact]
    public void The_pfsa_of_an_ngram_scores_like_the_ngram()
    {
        var model = NGramEstimation.InterpolatedKneserNey(Ab, 3, Corpus);
        var pfsa = new DeterministicPfsaLanguageModel<Real>(model.ToDeterministicPfsa());
        foreach (var y in new[] { Array.Empty<int>(), [0], [1, 1], [0, 1, 0, 1] })
            Assert.Equal(model.LogProbability(y), pfsa.LogProbability(y), 12);
    }

    [Fact]
    public void Bad_tables_are_named()
    {
        var error = Assert.Throws<InvalidModelException>(() => new NGramModel(Ab, 2, [([Ab.Bos], [0.5, 0.4, 0.0])]));
        Assert.Contains("(<bos>)", error.Message);
        Assert.Throws<InvalidModelException>(() => new NGramModel(Ab, 3, [([0, Ab.Bos], [1.0, 0, 0])]));
    }
}
