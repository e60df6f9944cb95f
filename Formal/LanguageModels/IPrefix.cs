namespace Workbench.Formal.LanguageModels;

/// <summary>
/// A prefix y of a language model's autoregressive view, with the model's state type hidden: the next-symbol
/// distribution p(· | y) over Σ̄ = Σ ∪ {EOS} and the prefix one symbol longer. Prefixes are immutable values, so one
/// can be extended in several ways (beam search forks them). Obtained from <see cref="ILanguageModel.Start"/>.
/// Notes §2.4 (D2.4).
/// </summary>
public interface IPrefix
{
    /// <summary>|y|, the number of symbols read.</summary>
    int Length { get; }

    /// <summary>
    /// Writes log p(ȳ | y) for every ȳ ∈ Σ̄ into <paramref name="logProbabilities"/> (length |Σ̄|, EOS at index
    /// <see cref="Symbols.Alphabet.Eos"/>); their exponentials sum to 1.
    /// </summary>
    void NextLogProbabilities(Span<double> logProbabilities);

    /// <summary>The prefix y·<paramref name="symbol"/>, for a symbol of Σ.</summary>
    /// <exception cref="Errors.UnknownSymbolException">The symbol is not in Σ.</exception>
    IPrefix Advance(int symbol);
}
