using Workbench.Formal.LanguageModels;

namespace Workbench.Formal.Generation;

/// <summary>
/// Scoring by the chain rule through an autoregressive model:
/// log p(y) = Σₜ log p(yₜ | y&lt;ₜ) + log p(EOS | y). Notes §2.4 (D2.4). O(|y|) model steps.
/// </summary>
public static class ChainRule
{
    /// <summary>Buffers up to this many doubles live on the stack.</summary>
    internal const int StackBufferLimit = 256;

    /// <summary>log p(y), with EOS implied after the last symbol; −∞ as soon as a factor is zero.</summary>
    /// <exception cref="Errors.UnknownSymbolException">y contains an id outside Σ.</exception>
    public static double LogProbability<TState>(IAutoregressiveLanguageModel<TState> model, ReadOnlySpan<int> symbols)
    {
        var logPrefix = Walk(model, symbols, out var state);
        if (double.IsNegativeInfinity(logPrefix)) return logPrefix;
        var size = model.Alphabet.SizeWithEos;
        // Stryker disable once Equality,Conditional : a stack or a heap buffer with the same contents; the limit only guards the stack
        Span<double> next = size <= StackBufferLimit ? stackalloc double[size] : new double[size];
        model.NextLogProbabilities(state, next);
        return logPrefix + next[model.Alphabet.Eos];
    }

    /// <summary>
    /// log of the product of the conditionals of the prefix, without EOS: the measure of the cylinder set
    /// of y, which equals the prefix probability π(y) (P2.2, also for non-tight models).
    /// </summary>
    public static double LogPrefixProbability<TState>(IAutoregressiveLanguageModel<TState> model, ReadOnlySpan<int> prefix) =>
        Walk(model, prefix, out _);

    /// <summary>
    /// The log-probability of y by the chain rule through the model's erased view (<see cref="ILanguageModel.Start"/>):
    /// log p(y) − <see cref="ILanguageModel.LogViewNormaliser"/>, which is log p(y) for a locally normalised model.
    /// </summary>
    /// <exception cref="Errors.UnknownSymbolException">y contains an id outside Σ.</exception>
    public static double LogProbability(ILanguageModel model, ReadOnlySpan<int> symbols) => LogProbability(PrefixView.Of(model), symbols);

    /// <summary>log of the product of the conditionals of the prefix through the model's erased view.</summary>
    public static double LogPrefixProbability(ILanguageModel model, ReadOnlySpan<int> prefix) => LogPrefixProbability(PrefixView.Of(model), prefix);

    /// <summary>
    /// log p(y) from the next-symbol log-distributions along y (row t is log p(· | y&lt;t), as
    /// <see cref="ILanguageModel.NextLogProbabilitiesAlong"/> gives them): Σₜ rows[t, yₜ] + rows[|y|, EOS]. O(|y|).
    /// </summary>
    /// <exception cref="ArgumentException">The array does not have |y| + 1 rows.</exception>
    public static double LogProbability(double[,] rows, ReadOnlySpan<int> symbols)
    {
        if (rows.GetLength(0) != symbols.Length + 1) throw new ArgumentException($"Expected {symbols.Length + 1} rows of next-symbol distributions, got {rows.GetLength(0)}.", nameof(rows));
        var total = rows[symbols.Length, rows.GetLength(1) - 1];
        for (var t = 0; t < symbols.Length; t++) total += rows[t, symbols[t]];
        return total;
    }

    /// <summary>The model state after reading <paramref name="prefix"/>.</summary>
    public static TState StateAfter<TState>(IAutoregressiveLanguageModel<TState> model, ReadOnlySpan<int> prefix)
    {
        model.Alphabet.Validate(prefix);
        var state = model.InitialState;
        foreach (var symbol in prefix) state = model.Advance(state, symbol);
        return state;
    }

    private static double Walk<TState>(IAutoregressiveLanguageModel<TState> model, ReadOnlySpan<int> symbols, out TState state)
    {
        model.Alphabet.Validate(symbols);
        var size = model.Alphabet.SizeWithEos;
        // Stryker disable once Equality,Conditional : a stack or a heap buffer with the same contents; the limit only guards the stack
        Span<double> next = size <= StackBufferLimit ? stackalloc double[size] : new double[size];
        state = model.InitialState;
        var total = 0.0;
        foreach (var symbol in symbols)
        {
            model.NextLogProbabilities(state, next);
            total += next[symbol];
            if (double.IsNegativeInfinity(total)) return total;
            state = model.Advance(state, symbol);
        }
        return total;
    }
}
