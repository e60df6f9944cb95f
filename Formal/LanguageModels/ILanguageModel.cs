using Workbench.Formal.Symbols;

namespace Workbench.Formal.LanguageModels;

/// <summary>
/// A language model: a (sub-)probability distribution over the finite strings Σ*. Every model of the
/// workbench — tables, PFSAs, PCFGs, RNNs, transformers — is one. Notes §2.2 (D2.2).
/// </summary>
public interface ILanguageModel
{
    /// <summary>The alphabet Σ (with EOS) the model is defined over.</summary>
    Alphabet Alphabet { get; }

    /// <summary>
    /// log p(y) for a string y ∈ Σ* (EOS implied at the end, not part of <paramref name="symbols"/>);
    /// −∞ when p(y) = 0. This is always the model's own mass, never divided by its partition function: for a
    /// locally normalised model p(EOS | y)·∏ₜ p(yₜ | y&lt;ₜ), also when the model is not tight; for a PCFG the
    /// weight of the derivations of y. docs/formal.md, "The contract".
    /// </summary>
    /// <exception cref="Errors.UnknownSymbolException">The string contains an id outside Σ.</exception>
    double LogProbability(ReadOnlySpan<int> symbols);

    /// <summary>
    /// The empty prefix of the model's autoregressive view, with the state type erased: every algorithm that walks a
    /// model symbol by symbol (the chain rule, sampling, decoding, the estimators) can take any model through it. The
    /// chain rule over this view gives <see cref="LogProbability"/> for a locally normalised model. O(1).
    /// </summary>
    IPrefix Start();

    /// <summary>
    /// The view's next-symbol distributions along each string: for y, a (|y| + 1) × |Σ̄| array whose row t is
    /// log p(· | y&lt;t), the last row the distribution after all of y. Walks the view unless the model computes them in
    /// batches (a network: one padded forward pass). O(Σ|y|·|Σ̄|) memory.
    /// </summary>
    /// <exception cref="Errors.UnknownSymbolException">A string contains an id outside Σ.</exception>
    double[][,] NextLogProbabilitiesAlong(IReadOnlyList<int[]> strings)
    {
        var size = Alphabet.SizeWithEos;
        var result = new double[strings.Count][,];
        var row = new double[size];
        for (var i = 0; i < result.Length; i++)
        {
            var y = strings[i];
            Alphabet.Validate(y);
            var rows = new double[y.Length + 1, size];
            var prefix = Start();
            for (var t = 0; ; t++)
            {
                prefix.NextLogProbabilities(row);
                for (var a = 0; a < size; a++) rows[t, a] = row[a];
                if (t == y.Length) break;
                prefix = prefix.Advance(y[t]);
            }
            result[i] = rows;
        }
        return result;
    }

    /// <summary>
    /// log Z_view, where the autoregressive view (<see cref="Start"/>) is the distribution p(y)/Z_view: the chain rule
    /// over the view gives <see cref="LogProbability"/> − LogViewNormaliser. 0 for a locally normalised model, tight or
    /// not, whose view is the model itself (the mass it does not put on finite strings leaks to infinite ones); log Z(S)
    /// for a globally defined model whose view can only be its finite-string distribution renormalised (a PCFG). O(1).
    /// </summary>
    double LogViewNormaliser => 0;

    /// <summary>
    /// Ancestral draws first … first + count − 1 of the run seeded with <paramref name="seed"/>, each capped at
    /// <paramref name="maxLength"/> symbols: draw i is <see cref="Generation.AncestralSampler.Sample(ILanguageModel, Random, int)"/>
    /// from <see cref="Generation.AncestralSampler.DrawRandom"/>(seed, i). Walks the view one draw at a time unless the model
    /// advances many draws at once (a network: lock-step batches), with the same strings. O(count · length) memory.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative first draw, count or cap.</exception>
    IReadOnlyList<Generation.GeneratedString> SampleMany(int first, int count, int seed, int maxLength) =>
        Generation.AncestralSampler.SampleMany(PrefixView.Of(this), count, seed, maxLength, first);

    /// <summary>
    /// log p(y) for every string of <paramref name="strings"/>, in order. One <see cref="LogProbability"/> call per
    /// string unless the model scores batches at once (a network does). O(Σ|y|) model work.
    /// </summary>
    double[] LogProbabilities(IReadOnlyList<int[]> strings)
    {
        var result = new double[strings.Count];
        for (var i = 0; i < result.Length; i++) result[i] = LogProbability(strings[i]);
        return result;
    }
}

/// <summary>
/// Incremental, autoregressive access to a locally normalised LM: a start state, the next-symbol
/// distribution over Σ̄ = Σ ∪ {EOS} at a state, and the state after a symbol. Sampling, decoding,
/// chain-rule scoring and the estimators are written once against this interface. Notes §2.4 (D2.4).
/// </summary>
/// <typeparam name="TState">
/// The model's prefix summary: a trie node, a length, a forward vector, a hidden vector, a KV cache.
/// States are values: <see cref="Advance"/> never mutates its argument, so a state can be reused
/// (beam search forks them).
/// </typeparam>
public interface IAutoregressiveLanguageModel<TState> : ILanguageModel
{
    /// <summary>The state of the empty prefix ε.</summary>
    TState InitialState { get; }

    /// <summary>
    /// Writes log p(ȳ | prefix) for every ȳ ∈ Σ̄ into <paramref name="logProbabilities"/> (length
    /// |Σ̄|, EOS at index <see cref="Alphabet.Eos"/>). The values form a distribution: their exp sums to 1.
    /// </summary>
    void NextLogProbabilities(TState state, Span<double> logProbabilities);

    /// <summary>The state of the prefix extended by <paramref name="symbol"/> ∈ Σ.</summary>
    TState Advance(TState state, int symbol);

    /// <summary>The erased view of this model: each prefix object carries one state of the model.</summary>
    IPrefix ILanguageModel.Start() => AutoregressivePrefix.Start(this);
}
