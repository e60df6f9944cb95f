using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Numerics;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Tokenization;

/// <summary>
/// The character-level language model that any token-level model induces through a tokenizer's κ — a network, an
/// n-gram, a table — as an autoregressive model over the base symbols (Vieira et al. 2024, "From Language Models over
/// Tokens to Language Models over Characters"). Every token string whose decoding starts with x has exactly one
/// shortest prefix τ₁…τ_k that covers x (κ(τ₁…τ_{k−1}) is a proper prefix of x and κ(τ₁…τ_k) extends it), so
/// π_Σ(x) = Σ π(τ₁…τ_k) over these minimal coverings, and p_Σ(x) = Σ p(τ) over the coverings that end exactly at x. The
/// state after x is the set of minimal coverings, each with its token model prefix and cylinder mass; reading a symbol
/// extends the tokens still being spelled and starts a new token after those that are complete. Then
/// p(a | x) = π_Σ(xa)/π_Σ(x) and p(EOS | x) = p_Σ(x)/π_Σ(x), exactly. The number of coverings can grow exponentially
/// with |x|; past <see cref="MaxCoverings"/> the model refuses, and <see cref="BeamScore"/> keeps the heaviest ones
/// and bounds the rest by their cylinder masses. The token model's symbols are token ids written as decimal numbers (a
/// token it lacks has probability 0). Each step costs one next-token distribution per complete covering.
/// </summary>
public sealed class CharacterLanguageModel : IAutoregressiveLanguageModel<CharacterLanguageModel.Prefix>, IPrefixProbabilityModel, IBeamBoundedModel, ITightnessAnalyzable
{
    /// <summary>The most minimal coverings a prefix may have before the exact model refuses.</summary>
    public const int MaxCoverings = 100_000;

    private readonly ILanguageModel _tokens;
    private readonly ITokenizer _tokenizer;
    private readonly int[][] _spelling;
    private readonly int[] _symbolOfToken;
    private readonly int[][] _tokensByFirstSymbol;

    /// <summary>The character model of <paramref name="tokens"/> through <paramref name="tokenizer"/>.</summary>
    /// <exception cref="InvalidModelException">A symbol of the token model is not a token id of the tokenizer.</exception>
    public CharacterLanguageModel(ILanguageModel tokens, ITokenizer tokenizer)
    {
        _tokens = tokens;
        _tokenizer = tokenizer;
        Alphabet = CharacterModel.BaseAlphabet(tokenizer);
        var baseIndex = CharacterModel.BaseIndex(tokenizer);
        _spelling = [.. Enumerable.Range(0, tokenizer.VocabularySize).Select(t => tokenizer.UnitsOf(t).Select(u => baseIndex[u]).ToArray())];
        _symbolOfToken = Enumerable.Repeat(-1, tokenizer.VocabularySize).ToArray();
        var tokenOf = CharacterModel.TokenIds(tokenizer, tokens.Alphabet, "token model's symbol");
        for (var symbol = 0; symbol < tokenOf.Length; symbol++) _symbolOfToken[tokenOf[symbol]] = symbol;
        _tokensByFirstSymbol = [.. Enumerable.Range(0, Alphabet.Size).Select(b => Enumerable.Range(0, tokenizer.VocabularySize).Where(t => _symbolOfToken[t] >= 0 && _spelling[t][0] == b).ToArray())];
    }

    /// <summary>The base symbols of the tokenizer (<see cref="CharacterModel.BaseAlphabet"/>).</summary>
    public Alphabet Alphabet { get; }

    /// <summary>The token model's: the pushforward of its view is this model's view.</summary>
    public double LogViewNormaliser => _tokens.LogViewNormaliser;

    /// <summary>The prefix ε: the empty token string, complete, of mass 1.</summary>
    public Prefix InitialState => new([new Covering(_tokens.Start(), -1, 0, 0)], 0, 0);

    /// <summary>log p_Σ(y), summed over the coverings that end exactly at y. O(|y|·coverings) token model steps.</summary>
    /// <exception cref="BudgetExceededException">A prefix of y has more than <see cref="MaxCoverings"/> minimal coverings.</exception>
    public double LogProbability(ReadOnlySpan<int> symbols) => LogEnding(Walk(symbols)) + LogViewNormaliser;

    /// <summary>log π_Σ(y), summed over the minimal coverings of y. O(|y|·coverings) token model steps.</summary>
    /// <exception cref="BudgetExceededException">A prefix of y has more than <see cref="MaxCoverings"/> minimal coverings.</exception>
    public double LogPrefixProbability(ReadOnlySpan<int> prefix) => Walk(prefix).LogMass + LogViewNormaliser;

    /// <inheritdoc />
    /// <exception cref="WorkbenchException">The token model's view is renormalised (a PCFG), so its cylinder masses do not bound its own mass.</exception>
    public (CertifiedValue Probability, CertifiedValue PrefixProbability) BeamScore(ReadOnlySpan<int> symbols, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (LogViewNormaliser != 0) throw new WorkbenchException("The beam bound needs a locally normalised token model; this one's view is renormalised.");
        Alphabet.Validate(symbols);
        var state = InitialState;
        var pruned = 0.0;
        foreach (var symbol in symbols)
        {
            var next = Extend(state, symbol, int.MaxValue);
            var kept = next.Coverings.OrderByDescending(c => c.LogMass).ToArray();
            foreach (var dropped in kept.Skip(width)) pruned += Math.Exp(dropped.LogMass);
            state = new Prefix([.. kept.Take(width)], next.Length, LogSpace.SumExp([.. kept.Take(width).Select(c => c.LogMass)]));
        }
        var method = pruned == 0 ? $"every covering (beam {width} dropped none)" : Invariant($"beam of {width} coverings; the dropped ones carry at most {pruned:G3}");
        return (Interval(Math.Exp(LogEnding(state)), pruned, method), Interval(Math.Exp(state.LogMass), pruned, method));
    }

    /// <summary>p(· | x) over the base symbols and EOS; after a prefix of probability 0, EOS with probability 1 (like a dead PFSA state).</summary>
    public void NextLogProbabilities(Prefix state, Span<double> logProbabilities)
    {
        logProbabilities.Fill(double.NegativeInfinity);
        foreach (var covering in state.Coverings)
        {
            if (covering.Token >= 0)
            {
                var symbol = _spelling[covering.Token][covering.Spelled];
                logProbabilities[symbol] = LogSpace.Add(logProbabilities[symbol], covering.LogMass);
                continue;
            }
            var next = covering.Next(_tokens.Alphabet.SizeWithEos);
            logProbabilities[Alphabet.Eos] = LogSpace.Add(logProbabilities[Alphabet.Eos], covering.LogMass + next[_tokens.Alphabet.Eos]);
            for (var token = 0; token < _spelling.Length; token++)
                if (_symbolOfToken[token] >= 0)
                {
                    var first = _spelling[token][0];
                    logProbabilities[first] = LogSpace.Add(logProbabilities[first], covering.LogMass + next[_symbolOfToken[token]]);
                }
        }
        // The masses of the one-longer prefixes and of the end sum to π_Σ(x); dividing by their own sum keeps the row a distribution.
        var total = LogSpace.SumExp(logProbabilities);
        if (double.IsNegativeInfinity(total))
        {
            // A prefix of probability 0 has no coverings: as for a dead PFSA state, the view ends there.
            logProbabilities[Alphabet.Eos] = 0;
            return;
        }
        for (var a = 0; a < logProbabilities.Length; a++) logProbabilities[a] -= total;
    }

    /// <inheritdoc />
    /// <exception cref="BudgetExceededException">The longer prefix has more than <see cref="MaxCoverings"/> minimal coverings.</exception>
    public Prefix Advance(Prefix state, int symbol)
    {
        Alphabet.Validate([symbol]);
        return Extend(state, symbol, MaxCoverings);
    }

    /// <summary>
    /// The token model's verdict and mass: the pushforward through κ preserves mass, Σ_x p_Σ(x) = Σ_τ p(τ) (theorem
    /// P8.8), so the character model is tight exactly when the token model is.
    /// </summary>
    /// <exception cref="WorkbenchException">The token model has no exact tightness analysis.</exception>
    public TightnessReport AnalyzeTightness()
    {
        if (_tokens is not ITightnessAnalyzable analyzable)
            throw new WorkbenchException($"{this}: the token model has no exact tightness analysis, so neither has its character model; `lm estimate` gives a Monte Carlo estimate of P(|y| ≥ T).");
        var report = analyzable.AnalyzeTightness();
        return report with { Evidence = ["the pushforward through κ preserves mass (P8.8): the token model's analysis", .. report.Evidence] };
    }

    /// <inheritdoc />
    public override string ToString() => $"character model over {Alphabet} of {_tokens} through {_tokenizer.VocabularySize} tokens";

    private Prefix Walk(ReadOnlySpan<int> symbols)
    {
        Alphabet.Validate(symbols);
        var state = InitialState;
        foreach (var symbol in symbols) state = Extend(state, symbol, MaxCoverings);
        return state;
    }

    // The minimal coverings of x·symbol: the tokens still being spelled that continue with it, and a new token after each complete covering.
    private Prefix Extend(Prefix state, int symbol, int budget)
    {
        var coverings = new List<Covering>();
        void Add(Covering covering)
        {
            if (coverings.Count >= budget)
                throw new BudgetExceededException($"A prefix of {state.Length + 1} symbols has more than {budget:N0} minimal coverings by tokens; score it with a beam (lm score --beam WIDTH), which bounds what it drops.");
            coverings.Add(covering);
        }
        Covering Spelled(IPrefix context, int token, int spelled, double logMass) =>
            spelled == _spelling[token].Length ? new Covering(context.Advance(_symbolOfToken[token]), -1, 0, logMass) : new Covering(context, token, spelled, logMass);
        foreach (var covering in state.Coverings)
        {
            if (covering.Token >= 0)
            {
                if (_spelling[covering.Token][covering.Spelled] == symbol) Add(Spelled(covering.Context, covering.Token, covering.Spelled + 1, covering.LogMass));
                continue;
            }
            var next = covering.Next(_tokens.Alphabet.SizeWithEos);
            foreach (var token in _tokensByFirstSymbol[symbol])
            {
                var logMass = covering.LogMass + next[_symbolOfToken[token]];
                if (!double.IsNegativeInfinity(logMass)) Add(Spelled(covering.Context, token, 1, logMass));
            }
        }
        return new Prefix([.. coverings], state.Length + 1, LogSpace.SumExp([.. coverings.Select(c => c.LogMass)]));
    }

    // log Σ over the complete coverings of π(τ)·p(EOS | τ): the coverings that end exactly here.
    private double LogEnding(Prefix state)
    {
        var result = double.NegativeInfinity;
        foreach (var covering in state.Coverings)
            if (covering.Token < 0) result = LogSpace.Add(result, covering.LogMass + covering.Next(_tokens.Alphabet.SizeWithEos)[_tokens.Alphabet.Eos]);
        return result;
    }

    private static CertifiedValue Interval(double found, double pruned, string method) =>
        new(found + pruned / 2, pruned / 2 + 8 * FloatingPoint.MachineEpsilon * (found + pruned), method);

    /// <summary>A character prefix x: its minimal coverings by tokens, |x|, and log π_Σ(x) (their total cylinder mass).</summary>
    public sealed class Prefix
    {
        internal Prefix(Covering[] coverings, int length, double logMass) => (Coverings, Length, LogMass) = (coverings, length, logMass);

        internal Covering[] Coverings { get; }

        /// <summary>|x|.</summary>
        public int Length { get; }

        /// <summary>log π_Σ(x) in the token model's view.</summary>
        public double LogMass { get; }
    }

    /// <summary>
    /// One minimal covering: either complete (<see cref="Token"/> −1; the token model's prefix after it is <see cref="Context"/>)
    /// or spelling <see cref="Token"/> after <see cref="Context"/>, <see cref="Spelled"/> of its symbols read so far; with
    /// the log cylinder mass of its token string.
    /// </summary>
    internal sealed class Covering(IPrefix context, int token, int spelled, double logMass)
    {
        private double[]? _next;

        public IPrefix Context { get; } = context;

        public int Token { get; } = token;

        public int Spelled { get; } = spelled;

        public double LogMass { get; } = logMass;

        // The token model's next-token distribution after a complete covering, computed once.
        public double[] Next(int size)
        {
            if (_next is null)
            {
                var next = new double[size];
                Context.NextLogProbabilities(next);
                _next = next;
            }
            return _next;
        }
    }
}
