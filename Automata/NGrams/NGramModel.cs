using System.Globalization;
using Workbench.Automata.Core;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Errors;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.NGrams;

/// <summary>
/// An n-gram language model: p(ȳ | y) depends only on the last n − 1 symbols of BOS^{n−1}·y (D4.6). The
/// autoregressive state is the id of that history (−1 for a history the model never reaches, where it
/// stops with probability 1). It is a finite-state LM: <see cref="ToDeterministicPfsa"/> gives the
/// equivalent deterministic PFSA on the reachable histories (P4.8), and every exact question is answered by that
/// machine (<see cref="AsDeterministicPfsa"/>, built on first use): prefix probabilities, tightness, the partition
/// function, E|y|, P(|y| ≥ T), the entropy and tightness under a sampling adapter. Notes §4.1 (p. 97).
/// </summary>
public sealed class NGramModel :
    IAutoregressiveLanguageModel<int>, IPrefixProbabilityModel, IPartitionFunctionModel, ITightnessAnalyzable,
    IExpectedLengthModel, ILengthTailModel, IExactEntropyModel, IAdaptedTightnessAnalyzable, IDeterministicPfsaModel, IExactDivergenceModel
{
    /// <summary>The state of a history outside the model.</summary>
    public const int DeadState = -1;

    private readonly Dictionary<long, int> _ids = [];
    private readonly List<int[]> _histories = [];
    private readonly List<double[]> _conditionals = [];
    private DeterministicPfsaLanguageModel<Real>? _pfsa;

    /// <summary>
    /// Creates the model from conditional distributions over Σ̄ keyed by history (n − 1 ids of Σ, left-padded
    /// with <see cref="Alphabet.Bos"/>). Each must be a distribution within <paramref name="tolerance"/>.
    /// </summary>
    /// <exception cref="InvalidModelException">A history has the wrong length or misplaced BOS, or a distribution is invalid; the message names the history.</exception>
    public NGramModel(Alphabet alphabet, int order, IEnumerable<(int[] History, double[] Probabilities)> conditionals, double tolerance = 1e-9)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        Alphabet = alphabet;
        Order = order;
        foreach (var (history, probabilities) in conditionals)
        {
            var name = FormatHistory(history);
            if (history.Length != order - 1) throw new InvalidModelException($"History {name} has length {history.Length}; an order-{order} model needs {order - 1}.");
            var padding = history.TakeWhile(s => s == alphabet.Bos).Count();
            if (history.Skip(padding).Any(s => !alphabet.Contains(s))) throw new InvalidModelException($"History {name} has a symbol outside Σ or BOS after a symbol.");
            if (probabilities.Length != alphabet.SizeWithEos || probabilities.Any(p => !(p is >= 0 and <= 1)) || !(Math.Abs(probabilities.Sum() - 1) <= tolerance))
                throw new InvalidModelException(string.Create(CultureInfo.InvariantCulture, $"The distribution after history {name} is not a distribution over Σ̄ (it sums to {probabilities.Sum():G15})."));
            if (!_ids.TryAdd(Code(history), _histories.Count)) throw new InvalidModelException($"History {name} is given twice.");
            _histories.Add(history.ToArray());
            _conditionals.Add(probabilities.ToArray());
        }
        InitialState = _ids.GetValueOrDefault(Code(Enumerable.Repeat(alphabet.Bos, order - 1).ToArray()), DeadState);
    }

    /// <summary>n.</summary>
    public int Order { get; }

    /// <inheritdoc />
    public Alphabet Alphabet { get; }

    /// <summary>The histories with a distribution.</summary>
    public IReadOnlyList<int[]> Histories => _histories;

    /// <inheritdoc />
    public int InitialState { get; }

    /// <summary>p(ȳ | history) for a history of the model.</summary>
    public ReadOnlySpan<double> Conditional(int state) => _conditionals[state];

    /// <summary>
    /// The model of the same order on the same histories with each conditional replaced by
    /// <paramref name="conditional"/>(history, a copy of its old distribution over Σ̄). O(|histories|·|Σ̄|).
    /// </summary>
    /// <exception cref="InvalidModelException">A new conditional is not a distribution over Σ̄.</exception>
    public NGramModel WithConditionals(Func<int[], double[], double[]> conditional) =>
        new(Alphabet, Order, _histories.Select((history, state) => (history, conditional(history, _conditionals[state].ToArray()))));

    /// <inheritdoc />
    public void NextLogProbabilities(int state, Span<double> logProbabilities)
    {
        if (state == DeadState)
        {
            logProbabilities.Fill(double.NegativeInfinity);
            logProbabilities[Alphabet.Eos] = 0;
            return;
        }
        var conditional = _conditionals[state];
        for (var i = 0; i < conditional.Length; i++) logProbabilities[i] = Math.Log(conditional[i]);
    }

    /// <inheritdoc />
    public int Advance(int state, int symbol)
    {
        if (!Alphabet.Contains(symbol)) Alphabet.Validate([symbol]);
        if (state == DeadState || Order == 1) return state;
        var history = _histories[state];
        var next = new int[Order - 1];
        Array.Copy(history, 1, next, 0, Order - 2);
        next[^1] = symbol;
        return _ids.GetValueOrDefault(Code(next), DeadState);
    }

    /// <inheritdoc />
    public double LogProbability(ReadOnlySpan<int> symbols) => ChainRule.LogProbability(this, symbols);

    /// <summary>
    /// The deterministic PFSA whose states are the histories reachable from BOS^{n−1} through transitions of
    /// positive probability, with arcs h –a/p(a|h)→ next(h, a) and final weights p(EOS | h). O(|Q|·|Σ|).
    /// </summary>
    public Wfsa<Real> ToDeterministicPfsa()
    {
        var builder = new WfsaBuilder<Real>(Alphabet);
        if (InitialState == DeadState) throw new InvalidModelException("The model has no distribution for the history BOS^(n−1), so it cannot start.");
        var stateOf = new Dictionary<int, int> { [InitialState] = builder.AddState() };
        var queue = new Queue<int>([InitialState]);
        while (queue.TryDequeue(out var history))
        {
            var from = stateOf[history];
            var conditional = _conditionals[history];
            builder.SetFinal(from, new Real(conditional[Alphabet.Eos]));
            for (var a = 0; a < Alphabet.Size; a++)
            {
                if (conditional[a] == 0) continue;
                var next = Advance(history, a);
                if (next == DeadState)
                    throw new InvalidModelException($"History {FormatHistory(_histories[history])} continues with '{Alphabet.NameOf(a)}' into a history the model has no distribution for.");
                if (!stateOf.TryGetValue(next, out var to))
                {
                    stateOf[next] = to = builder.AddState();
                    queue.Enqueue(next);
                }
                builder.AddArc(from, a, to, new Real(conditional[a]));
            }
        }
        builder.SetInitial(stateOf[InitialState], Real.One);
        return builder.Build();
    }

    /// <summary>The model as its deterministic PFSA (<see cref="ToDeterministicPfsa"/>), built once. O(|Q|·|Σ|).</summary>
    /// <exception cref="InvalidModelException">A reachable history has no distribution (see <see cref="ToDeterministicPfsa"/>).</exception>
    public DeterministicPfsaLanguageModel<Real> AsDeterministicPfsa() => _pfsa ??= new DeterministicPfsaLanguageModel<Real>(ToDeterministicPfsa());

    /// <inheritdoc />
    public double LogPrefixProbability(ReadOnlySpan<int> prefix) => ChainRule.LogPrefixProbability(this, prefix);

    /// <inheritdoc />
    public CertifiedValue PartitionFunction() => AsDeterministicPfsa().PartitionFunction();

    /// <inheritdoc />
    public TightnessReport AnalyzeTightness() => AsDeterministicPfsa().AnalyzeTightness();

    /// <inheritdoc />
    public TightnessReport AnalyzeTightness(Formal.Adapters.ISamplingAdapter adapter) => AsDeterministicPfsa().AnalyzeTightness(adapter);

    /// <inheritdoc />
    public CertifiedValue ExpectedLength() => AsDeterministicPfsa().ExpectedLength();

    /// <inheritdoc />
    public CertifiedValue ProbabilityOfLengthAtLeast(int length) => AsDeterministicPfsa().ProbabilityOfLengthAtLeast(length);

    /// <inheritdoc />
    public CertifiedValue Entropy() => AsDeterministicPfsa().Entropy();

    /// <inheritdoc />
    public Wfsa<Real> DeterministicMachine => AsDeterministicPfsa().DeterministicMachine;

    /// <inheritdoc />
    public ExactDivergence? DivergencesFrom(ILanguageModel q) => AsDeterministicPfsa().DivergencesFrom(q);

    /// <inheritdoc />
    public override string ToString() => $"{Order}-gram LM over {Alphabet} with {_histories.Count} histories";

    private long Code(int[] history)
    {
        var code = 0L;
        foreach (var s in history) code = code * (Alphabet.Size + 2) + s + 1;
        return code;
    }

    private string FormatHistory(int[] history) => "(" + string.Join(" ", history.Select(Alphabet.NameOf)) + ")";
}
