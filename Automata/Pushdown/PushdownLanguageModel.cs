using System.Globalization;
using Workbench.Automata.Grammars;
using Workbench.Automata.Grammars.Parsing;
using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Pushdown;

/// <summary>
/// A weighted pushdown automaton as a language model over its accepted strings. <see cref="LogProbability"/> is the
/// automaton's own weight of y (all accepting runs), the partition function Z = Σ_y p(y) is the treesum of its triple
/// grammar (<see cref="PushdownConversions.ToGrammar"/>, P5.6), and the model is tight when Z = 1. As for a PCFG, the
/// autoregressive view and the prefix probabilities are those of p/Z, through the renormalised triple grammar (a PCFG,
/// <see cref="ChomskyNormalForm.Renormalise"/>), and <see cref="LogViewNormaliser"/> = log Z says so. The triple
/// grammar is not a PCFG, so Z comes from Newton's method with its residual, not from the exact decision of
/// <see cref="PcfgTermination"/>. O(|δ|·|Q|^(k_max)) rules. Notes §4.2 (pushdown automata; Butoi et al. 2022).
/// </summary>
public sealed class PushdownLanguageModel :
    IAutoregressiveLanguageModel<PrefixState>, IPrefixProbabilityModel, IPartitionFunctionModel, ITightnessAnalyzable
{
    private readonly PcfgLanguageModel _view;
    private readonly TightnessReport _tightness;
    private readonly CertifiedValue _partitionFunction;

    /// <summary>Builds the triple grammar and its treesum.</summary>
    /// <exception cref="WorkbenchException">The automaton accepts no string, or its triple grammar is too large for the prefix parser.</exception>
    /// <exception cref="DivergenceException">The total weight of the accepting runs is infinite.</exception>
    public PushdownLanguageModel(Wpda pda)
    {
        Automaton = pda;
        var grammar = PushdownConversions.ToGrammar(pda);
        if (grammar.Rules.Count == 0) throw new WorkbenchException("The pushdown automaton accepts no string, so it defines no language model.");
        var treesum = Treesum.Newton(grammar);
        var z = treesum.Values[grammar.Start];
        var leak = treesum.Leaks[grammar.Start];
        if (!(z > 0)) throw new WorkbenchException("The pushdown automaton accepts no string with positive weight, so it defines no language model.");
        // Newton's iterates approach the least fixed point from below; the residual bounds what is left, as in PcfgAnalysis.
        var bound = Math.Max(treesum.Residual, 1e-15) * 16;
        var tight = Math.Abs(leak) <= bound;
        var evidence = string.Create(CultureInfo.InvariantCulture,
            $"least fixed point of the triple grammar (Newton, {treesum.Iterations} steps, residual {treesum.Residual:G3}): Z = {z:G15}, 1 − Z = {leak:G6}; not an exact decision, since the triple grammar is not a PCFG");
        _tightness = new TightnessReport(tight ? TightnessVerdict.Tight : TightnessVerdict.NotTight, z, Math.Max(0, z - bound), z + bound, TightnessMethod.LeastFixedPoint, [evidence]);
        _partitionFunction = new CertifiedValue(z, bound, "least fixed point of the triple grammar (Newton, residual bound)");
        _view = new PcfgLanguageModel(ChomskyNormalForm.Renormalise(grammar));
        LogViewNormaliser = Math.Log(z);
    }

    /// <summary>The automaton.</summary>
    public Wpda Automaton { get; }

    /// <inheritdoc />
    public Alphabet Alphabet => Automaton.Terminals;

    /// <summary>log Z: the autoregressive view is p(y)/Z.</summary>
    public double LogViewNormaliser { get; }

    /// <inheritdoc />
    public PrefixState InitialState => _view.InitialState;

    /// <inheritdoc />
    public void NextLogProbabilities(PrefixState state, Span<double> logProbabilities) => _view.NextLogProbabilities(state, logProbabilities);

    /// <inheritdoc />
    public PrefixState Advance(PrefixState state, int symbol) => _view.Advance(state, symbol);

    /// <summary>log p(y), the automaton's weight of y: log (p(y)/Z) of the renormalised triple grammar plus log Z.</summary>
    public double LogProbability(ReadOnlySpan<int> symbols) => _view.LogProbability(symbols) + LogViewNormaliser;

    /// <summary>log π(y) = log Σ_{y′} p(yy′), the weight of y's accepted continuations; log Z for ε.</summary>
    public double LogPrefixProbability(ReadOnlySpan<int> prefix) => _view.LogPrefixProbability(prefix) + LogViewNormaliser;

    /// <inheritdoc />
    public CertifiedValue PartitionFunction() => _partitionFunction;

    /// <inheritdoc />
    public TightnessReport AnalyzeTightness() => _tightness;

    /// <inheritdoc />
    public override string ToString() => $"pushdown LM ({Automaton.States} states, {Automaton.StackSymbols.Count} stack symbols, {Automaton.Transitions.Count} transitions) over {Alphabet}";
}
