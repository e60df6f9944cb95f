namespace Workbench.Formal.LanguageModels;

/// <summary>
/// Any language model as an autoregressive model whose states are its <see cref="IPrefix"/> objects, so that the
/// generic algorithms (written once over a state type) run on a model whose state type is not known statically.
/// </summary>
public sealed class PrefixView : IAutoregressiveLanguageModel<IPrefix>
{
    private readonly ILanguageModel _model;

    private PrefixView(ILanguageModel model) => _model = model;

    /// <summary>The view of <paramref name="model"/>.</summary>
    public static PrefixView Of(ILanguageModel model) => new(model ?? throw new ArgumentNullException(nameof(model)));

    /// <summary>The model seen through this view.</summary>
    public ILanguageModel Model => _model;

    /// <inheritdoc />
    public Symbols.Alphabet Alphabet => _model.Alphabet;

    /// <inheritdoc />
    public IPrefix InitialState => _model.Start();

    /// <inheritdoc />
    public void NextLogProbabilities(IPrefix state, Span<double> logProbabilities) => state.NextLogProbabilities(logProbabilities);

    /// <inheritdoc />
    public IPrefix Advance(IPrefix state, int symbol) => state.Advance(symbol);

    /// <inheritdoc />
    public double LogProbability(ReadOnlySpan<int> symbols) => _model.LogProbability(symbols);

    /// <inheritdoc />
    IPrefix ILanguageModel.Start() => _model.Start();

    /// <inheritdoc />
    public double LogViewNormaliser => _model.LogViewNormaliser;

    /// <inheritdoc />
    public override string ToString() => _model.ToString() ?? nameof(PrefixView);
}
