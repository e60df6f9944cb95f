using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Symbols;

namespace Workbench.Formal.Adapters;

/// <summary>
/// The language model obtained by applying a sampling adapter to every next-symbol distribution of an
/// autoregressive model: q(ȳ | y) = adapter(p(· | y))_ȳ. Its states are the inner model's states.
/// </summary>
public sealed class AdaptedLanguageModel<TState>(IAutoregressiveLanguageModel<TState> inner, ISamplingAdapter adapter)
    : IAutoregressiveLanguageModel<TState>
{
    /// <summary>The wrapped model.</summary>
    public IAutoregressiveLanguageModel<TState> Inner { get; } = inner;

    /// <summary>The adapter applied at every step.</summary>
    public ISamplingAdapter Adapter { get; } = adapter;

    /// <inheritdoc />
    public Alphabet Alphabet => Inner.Alphabet;

    /// <inheritdoc />
    public TState InitialState => Inner.InitialState;

    /// <inheritdoc />
    public void NextLogProbabilities(TState state, Span<double> logProbabilities)
    {
        // Stryker disable once Equality,Conditional : a stack or a heap buffer with the same contents; the limit only guards the stack
        Span<double> original = logProbabilities.Length <= ChainRule.StackBufferLimit
            ? stackalloc double[logProbabilities.Length]
            : new double[logProbabilities.Length];
        Inner.NextLogProbabilities(state, original);
        Adapter.Apply(original, logProbabilities);
    }

    /// <inheritdoc />
    public TState Advance(TState state, int symbol) => Inner.Advance(state, symbol);

    /// <inheritdoc />
    public double LogProbability(ReadOnlySpan<int> symbols) => ChainRule.LogProbability(this, symbols);

    /// <inheritdoc />
    public override string ToString() => $"{Adapter.Name} of {Inner}";
}

/// <summary>Wrapping models with adapters.</summary>
public static class SamplingAdapters
{
    /// <summary>The model whose every next-symbol distribution passes through <paramref name="adapter"/>.</summary>
    public static AdaptedLanguageModel<TState> WithAdapter<TState>(this IAutoregressiveLanguageModel<TState> model, ISamplingAdapter adapter) =>
        new(model, adapter);

    /// <summary>The adapted model of any language model, through its erased view.</summary>
    public static AdaptedLanguageModel<IPrefix> WithAdapter(this ILanguageModel model, ISamplingAdapter adapter) =>
        new(PrefixView.Of(model), adapter);
}
