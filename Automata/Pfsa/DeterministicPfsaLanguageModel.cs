using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Pfsa;

/// <summary>
/// A deterministic PFSA as a language model: the autoregressive state is the automaton state (−1 once
/// the prefix has probability 0), so scoring is one binary search per symbol, O(|y| log |Σ|), and
/// p(ȳ | y) is read off the arcs of a single state. Notes §4.1 (D4.5).
/// </summary>
public sealed class DeterministicPfsaLanguageModel<T> : PfsaModel<T>, IAutoregressiveLanguageModel<int>, IPrefixProbabilityModel, IExactEntropyModel, IAdaptedTightnessAnalyzable, IDeterministicPfsaModel
    where T : struct, ISemiring<T>, IRealWeight<T>
{
    /// <summary>The state of a prefix of probability 0.</summary>
    public const int DeadState = -1;

    private Wfsa<Real>? _realMachine;

    private readonly double[] _logArcWeights;
    private readonly double[] _logFinal;
    private readonly double _tolerance;

    /// <summary>Wraps a deterministic PFSA, validating it.</summary>
    /// <exception cref="InvalidModelException">The machine is not a PFSA (the message names the state) or not deterministic.</exception>
    public DeterministicPfsaLanguageModel(Wfsa<T> fsa, double tolerance = PfsaValidation.DefaultTolerance)
        : base(fsa, tolerance)
    {
        _tolerance = tolerance;
        if (!fsa.IsDeterministic)
            throw new InvalidModelException("The PFSA is not deterministic (several initial states, ε-arcs, or two arcs with one label from a state); use PfsaLanguageModel.");
        _logArcWeights = new double[fsa.ArcCount];
        for (var e = 0; e < _logArcWeights.Length; e++) _logArcWeights[e] = T.ToLogReal(fsa.ArcWeights[e]);
        _logFinal = new double[fsa.StateCount];
        for (var q = 0; q < _logFinal.Length; q++) _logFinal[q] = T.ToLogReal(fsa.FinalWeights[q]);
        InitialState = DeadState;
        for (var q = 0; q < fsa.StateCount; q++)
            if (!fsa.InitialWeights[q].Equals(T.Zero)) InitialState = q;
    }

    /// <inheritdoc />
    public int InitialState { get; }

    /// <summary>The tightness of the adapted PFSA (<see cref="PfsaAdaptation"/>), by the graph criterion (P8.6).</summary>
    public TightnessReport AnalyzeTightness(Formal.Adapters.ISamplingAdapter adapter) =>
        PfsaTightness.Analyze(PfsaAdaptation.Adapt(Automaton, adapter, _tolerance));

    /// <inheritdoc />
    public void NextLogProbabilities(int state, Span<double> logProbabilities)
    {
        logProbabilities.Fill(double.NegativeInfinity);
        if (state == DeadState)
        {
            logProbabilities[Alphabet.Eos] = 0;
            return;
        }
        logProbabilities[Alphabet.Eos] = _logFinal[state];
        for (var e = Automaton.ArcStart(state); e < Automaton.ArcEnd(state); e++)
            logProbabilities[Automaton.ArcLabels[e]] = _logArcWeights[e];
    }

    /// <inheritdoc />
    public int Advance(int state, int symbol)
    {
        if (!Alphabet.Contains(symbol)) Alphabet.Validate([symbol]);
        if (state == DeadState) return DeadState;
        var arc = Automaton.FindArc(state, symbol);
        return arc < 0 ? DeadState : Automaton.ArcTargets[arc];
    }

    /// <summary>Σ log w along the unique path, plus log ρ at its end. O(|y| log |Σ|).</summary>
    public override double LogProbability(ReadOnlySpan<int> symbols)
    {
        var (state, log) = Walk(symbols);
        return state == DeadState ? double.NegativeInfinity : log + _logFinal[state];
    }

    /// <summary>Σ log w along the unique path (the cylinder of the prefix). O(|y| log |Σ|).</summary>
    public double LogPrefixProbability(ReadOnlySpan<int> prefix) => Walk(prefix).Log;


    /// <summary>−Σ_y p(y) log p(y) over the finite strings (P4.13).</summary>
    public CertifiedValue Entropy() => PfsaExpectations.Entropy(Automaton, Pathsum);





    /// <summary>The machine with real weights (the machine itself when <typeparamref name="T"/> is <see cref="Real"/>), built once.</summary>
    public Wfsa<Real> DeterministicMachine => _realMachine ??= Automaton is Wfsa<Real> real ? real : Automaton.Map(w => new Real(T.ToReal(w)));

    /// <inheritdoc />
    public override IPrefix Start() => AutoregressivePrefix.Start(this);

    /// <inheritdoc />
    public override string ToString() => $"deterministic PFSA LM ({Automaton.StateCount} states, {Automaton.ArcCount} arcs) over {Alphabet}";

    private (int State, double Log) Walk(ReadOnlySpan<int> symbols)
    {
        var state = InitialState;
        var log = 0.0;
        for (var i = 0; i < symbols.Length; i++)
        {
            if (!Alphabet.Contains(symbols[i])) Alphabet.Validate(symbols);
            if (state == DeadState) return (DeadState, double.NegativeInfinity);
            var arc = Automaton.FindArc(state, symbols[i]);
            if (arc < 0) return (DeadState, double.NegativeInfinity);
            log += _logArcWeights[arc];
            state = Automaton.ArcTargets[arc];
        }
        return (state, log);
    }
}
