using Workbench.Formal.Errors;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Symbols;
using Workbench.Formal.Numerics;

namespace Workbench.Formal.Models;

/// <summary>
/// A language model with finite support given by a table y ↦ p(y). It is locally normalised through its
/// prefix probabilities, p(a | y) = π(ya)/π(y) and p(EOS | y) = p(y)/π(y) (the construction of P2.1), over
/// a trie of the support: the autoregressive state is a trie node, −1 once the prefix has probability 0
/// (where the model stops with probability 1). Everything is exact: entropy, expected length and mass
/// are finite sums. Notes §2.4 (P2.1).
/// </summary>
public sealed class TableLanguageModel :
    IAutoregressiveLanguageModel<int>, IPrefixProbabilityModel, IPartitionFunctionModel,
    IExactEntropyModel, IExpectedLengthModel, ITightnessAnalyzable, ILengthTailModel, IFiniteSupportModel, IExactDivergenceModel
{
    /// <summary>The state of a prefix outside the support.</summary>
    public const int DeadState = -1;

    private readonly (int[] String, double Probability)[] _entries;
    private readonly List<int[]> _children = [];
    private readonly List<double> _stringMass = [];
    private readonly List<double> _prefixMass = [];

    /// <summary>
    /// Creates the model from a table of probabilities that must sum to 1 within <paramref name="tolerance"/>;
    /// they are then rescaled to sum to 1 up to rounding. O(Σ|y|·|Σ|) memory and time.
    /// </summary>
    /// <exception cref="InvalidModelException">A probability is NaN, negative or above 1; a string repeats; the sum is off.</exception>
    /// <exception cref="UnknownSymbolException">A string has an id outside Σ.</exception>
    public TableLanguageModel(Alphabet alphabet, IEnumerable<(int[] String, double Probability)> table, double tolerance = 1e-9)
    {
        Alphabet = alphabet ?? throw new ArgumentNullException(nameof(alphabet));
        var entries = table.ToArray();
        var total = 0.0;
        for (var i = 0; i < entries.Length; i++)
        {
            var (symbols, p) = entries[i];
            alphabet.Validate(symbols);
            if (!(p is >= 0 and <= 1))
                throw new InvalidModelException(Invariant($"Entry {i} (\"{alphabet.Format(symbols)}\") has probability {p}, which is not in [0, 1]."));
            total += p;
        }
        if (!(Math.Abs(total - 1) <= tolerance))
            throw new InvalidModelException(Invariant($"The table's probabilities sum to {total:R}, not 1 (tolerance {tolerance:G3})."));
        _entries = entries.Select(e => (e.String.ToArray(), e.Probability / total)).ToArray();
        AddNode();
        var seen = new HashSet<string>();
        foreach (var (symbols, p) in _entries)
        {
            if (!seen.Add(string.Join(",", symbols)))
                throw new InvalidModelException($"The string \"{alphabet.Format(symbols)}\" appears twice in the table.");
            var node = 0;
            foreach (var symbol in symbols) node = ChildOrNew(node, symbol);
            _stringMass[node] = p;
        }
        for (var node = _children.Count - 1; node >= 0; node--) _prefixMass[node] = SubtreeMass(node);
    }

    /// <summary>
    /// The globally normalised finite-support model p(y) = w(y)/Σ w from non-negative weights (D2.3).
    /// </summary>
    /// <exception cref="InvalidModelException">A weight is negative, infinite or NaN, or all are zero.</exception>
    public static TableLanguageModel FromWeights(Alphabet alphabet, IEnumerable<(int[] String, double Weight)> weights)
    {
        var entries = weights.ToArray();
        for (var i = 0; i < entries.Length; i++)
            if (!(entries[i].Weight >= 0) || double.IsPositiveInfinity(entries[i].Weight))
                throw new InvalidModelException(Invariant($"Weight {i} is {entries[i].Weight}; weights must be finite and non-negative."));
        var z = entries.Sum(e => e.Weight);
        if (!(z > 0)) throw new InvalidModelException("All weights are zero: the model is not normalisable.");
        return new TableLanguageModel(alphabet, entries.Select(e => (e.String, e.Weight / z)));
    }

    /// <inheritdoc />
    public Alphabet Alphabet { get; }

    /// <summary>The table, normalised, in the order given.</summary>
    public IReadOnlyList<(int[] String, double Probability)> Entries => _entries;

    /// <inheritdoc />
    public IReadOnlyList<(int[] String, double Probability)> Support => _entries;

    /// <summary>H(p, q) and KL(p ‖ q) against any model, as finite sums over the table (<see cref="FiniteSupportDivergence"/>).</summary>
    public ExactDivergence DivergencesFrom(ILanguageModel q) => FiniteSupportDivergence.Of(this, q);

    /// <summary>The length of the longest string with positive probability.</summary>
    public int MaxLength => _entries.Where(e => e.Probability > 0).Select(e => e.String.Length).DefaultIfEmpty(0).Max();

    /// <inheritdoc />
    public int InitialState => 0;

    /// <inheritdoc />
    public void NextLogProbabilities(int state, Span<double> logProbabilities)
    {
        if (state == DeadState || _prefixMass[state] == 0)
        {
            logProbabilities.Fill(double.NegativeInfinity);
            logProbabilities[Alphabet.Eos] = 0;
            return;
        }
        var logPrefix = Math.Log(_prefixMass[state]);
        var children = _children[state];
        for (var a = 0; a < Alphabet.Size; a++)
            logProbabilities[a] = children[a] == DeadState ? double.NegativeInfinity : Math.Log(_prefixMass[children[a]]) - logPrefix;
        logProbabilities[Alphabet.Eos] = Math.Log(_stringMass[state]) - logPrefix;
    }

    /// <inheritdoc />
    public int Advance(int state, int symbol)
    {
        if (!Alphabet.Contains(symbol)) Alphabet.Validate([symbol]);
        return state == DeadState ? DeadState : _children[state][symbol];
    }

    /// <summary>log p(y) read from the table; −∞ off the support. O(|y|).</summary>
    public double LogProbability(ReadOnlySpan<int> symbols)
    {
        var node = Find(symbols);
        return node == DeadState ? double.NegativeInfinity : Math.Log(_stringMass[node]);
    }

    /// <summary>log π(y) = log Σ_{y′} p(yy′), summed over the trie below y. O(|y|).</summary>
    public double LogPrefixProbability(ReadOnlySpan<int> prefix)
    {
        var node = Find(prefix);
        return node == DeadState ? double.NegativeInfinity : Math.Log(_prefixMass[node]);
    }

    /// <summary>Σ p(y) over the table (1 up to rounding). O(N).</summary>
    public CertifiedValue PartitionFunction() =>
        new(_entries.Sum(e => e.Probability), _entries.Length * FloatingPoint.MachineEpsilon, "finite sum over the table");

    /// <summary>−Σ p(y) log p(y) over the table. O(N).</summary>
    public CertifiedValue Entropy()
    {
        var h = _entries.Where(e => e.Probability > 0).Sum(e => -e.Probability * Math.Log(e.Probability));
        return new CertifiedValue(h, 4 * _entries.Length * FloatingPoint.MachineEpsilon * Math.Max(1, h), "finite sum over the table");
    }

    /// <summary>Σ p(y)·|y| over the table. O(N).</summary>
    public CertifiedValue ExpectedLength()
    {
        var length = _entries.Sum(e => e.Probability * e.String.Length);
        return new CertifiedValue(length, 2 * _entries.Length * FloatingPoint.MachineEpsilon * Math.Max(1, length), "finite sum over the table");
    }

    /// <summary>Σ_{|y|≥T} p(y) over the table. O(N).</summary>
    public CertifiedValue ProbabilityOfLengthAtLeast(int length) =>
        new(_entries.Where(e => e.String.Length >= length).Sum(e => e.Probability), _entries.Length * FloatingPoint.MachineEpsilon, "finite sum over the table");

    /// <summary>Always tight: every string longer than <see cref="MaxLength"/> has probability zero. O(N).</summary>
    public TightnessReport AnalyzeTightness() =>
        new(TightnessVerdict.Tight, 1, 1, 1, TightnessMethod.Enumeration,
            [Invariant($"finite support: {_entries.Count(e => e.Probability > 0)} strings, the longest of length {MaxLength}, so the model stops by step {MaxLength + 1}")]);

    /// <inheritdoc />
    public override string ToString() => $"table LM over {Alphabet} with {_entries.Length} strings";

    private int Find(ReadOnlySpan<int> symbols)
    {
        Alphabet.Validate(symbols);
        var node = 0;
        foreach (var symbol in symbols)
        {
            node = _children[node][symbol];
            if (node == DeadState) return DeadState;
        }
        return node;
    }

    private int AddNode()
    {
        var children = new int[Alphabet.Size];
        Array.Fill(children, DeadState);
        _children.Add(children);
        _stringMass.Add(0);
        _prefixMass.Add(0);
        return _children.Count - 1;
    }

    private int ChildOrNew(int node, int symbol)
    {
        if (_children[node][symbol] == DeadState) _children[node][symbol] = AddNode();
        return _children[node][symbol];
    }

    // Children are created after their parents, so a reverse sweep sees every child's mass first.
    private double SubtreeMass(int node) =>
        _stringMass[node] + _children[node].Where(c => c != DeadState).Sum(c => _prefixMass[c]);
}
