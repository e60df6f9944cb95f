using Workbench.Formal.LanguageModels;

namespace Workbench.Formal.Evaluation;

/// <summary>
/// A model's fit to a corpus. Symbols are counted with one EOS per string, the convention of
/// locally normalised models (every string costs |y| + 1 predictions). A string of probability zero
/// makes the cross-entropy and perplexity +∞, never NaN.
/// </summary>
/// <param name="Strings">N, the number of strings.</param>
/// <param name="Symbols">Σ(|y| + 1), the number of predictions including EOS.</param>
/// <param name="NegativeLogLikelihood">−Σ log p(y), in nats.</param>
public sealed record CorpusScore(int Strings, long Symbols, double NegativeLogLikelihood)
{
    /// <summary>−(1/N) Σ log p(y): the cross-entropy H(p̃_D, p) of the empirical distribution against the model (P3.8).</summary>
    public double CrossEntropyPerString => NegativeLogLikelihood / Strings;

    /// <summary>Cross-entropy per predicted symbol (EOS included), in nats.</summary>
    public double CrossEntropyPerSymbol => NegativeLogLikelihood / Symbols;

    /// <summary>exp(cross-entropy per symbol) (P3.11).</summary>
    public double Perplexity => Math.Exp(CrossEntropyPerSymbol);
}

/// <summary>Cross-entropy and perplexity of a model on a corpus. Notes §3.2 (P3.8, P3.11).</summary>
public static class CorpusEvaluation
{
    /// <summary>Scores every string of the corpus once. O(Σ|y|) model work.</summary>
    /// <exception cref="ArgumentException">The corpus is empty.</exception>
    public static CorpusScore Evaluate(ILanguageModel model, IEnumerable<int[]> corpus)
    {
        var strings = 0;
        var symbols = 0L;
        var nll = 0.0;
        foreach (var y in corpus)
        {
            strings++;
            symbols += y.Length + 1;
            nll -= model.LogProbability(y);
        }
        if (strings == 0) throw new ArgumentException("The corpus is empty.", nameof(corpus));
        return new CorpusScore(strings, symbols, nll);
    }
}
