namespace Workbench.Formal.LanguageModels;

/// <summary>Erased prefixes of autoregressive models.</summary>
public static class AutoregressivePrefix
{
    /// <summary>
    /// The empty prefix of <paramref name="model"/>: the default <see cref="ILanguageModel.Start"/> of every
    /// autoregressive model, for classes that must state it themselves (an abstract base implementing a capability). O(1).
    /// </summary>
    public static IPrefix Start<TState>(IAutoregressiveLanguageModel<TState> model) => new Prefix<TState>(model, model.InitialState, 0);

    // The model, its state after the prefix, and the prefix length; O(1) per step plus the model's own.
    private sealed class Prefix<TState>(IAutoregressiveLanguageModel<TState> model, TState state, int length) : IPrefix
    {
        public int Length => length;

        public void NextLogProbabilities(Span<double> logProbabilities) => model.NextLogProbabilities(state, logProbabilities);

        public IPrefix Advance(int symbol) => new Prefix<TState>(model, model.Advance(state, symbol), length + 1);
    }
}
