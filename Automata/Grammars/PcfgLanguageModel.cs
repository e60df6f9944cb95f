using Workbench.Automata.Grammars.Parsing;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Grammars;

/// <summary>
/// A CNF PCFG as an autoregressive language model: the state is the prefix parser's state, p(a | y) = π(ya)/π(y)
/// and p(EOS | y) = p(y)/π(y) (P2.1 applied to a PCFG, P5.10). Its distribution is p(y)/Z(S) — the PCFG's own
/// when the grammar is tight, its finite-string part renormalised otherwise — so chain-rule scores and
/// <see cref="LogProbability"/> agree. The whole next-symbol distribution costs O(|Σ||N|) once the state is
/// built; advancing costs one inside column and one forward vector (<see cref="PrefixParser"/>). Notes §4.2.
/// </summary>
public sealed class PcfgLanguageModel : IAutoregressiveLanguageModel<PrefixState>, IPrefixProbabilityModel
{
    private readonly PrefixParser _parser;
    private readonly double _logMass;

    /// <summary>Prepares the prefix parser of a CNF PCFG.</summary>
    public PcfgLanguageModel(Cfg<Real> grammar)
    {
        Grammar = grammar;
        _parser = new PrefixParser(grammar);
        _logMass = Math.Log(_parser.Completion[grammar.Start]);
    }

    /// <summary>The grammar.</summary>
    public Cfg<Real> Grammar { get; }

    /// <inheritdoc />
    public Alphabet Alphabet => Grammar.Terminals;

    /// <inheritdoc />
    public PrefixState InitialState => _parser.Empty;

    /// <inheritdoc />
    public void NextLogProbabilities(PrefixState state, Span<double> logProbabilities)
    {
        var prefix = _parser.LogPrefixProbability(state);
        if (double.IsNegativeInfinity(prefix))
        {
            logProbabilities.Fill(double.NegativeInfinity);
            logProbabilities[Alphabet.Eos] = 0;
            return;
        }
        _parser.LogNextPrefixProbabilities(state, logProbabilities);
        logProbabilities[Alphabet.Eos] = _parser.LogStringProbability(state);
        foreach (ref var value in logProbabilities[..Alphabet.SizeWithEos]) value -= prefix;
    }

    /// <inheritdoc />
    public PrefixState Advance(PrefixState state, int symbol) => _parser.Extend(state, symbol);

    /// <summary>log p(y)/Z(S) by the inside chart (the parser's grammar tables are shared by every call).</summary>
    public double LogProbability(ReadOnlySpan<int> symbols) => _parser.Empty.Inside.ExtendAll(symbols).LogWeight - _logMass;

    /// <summary>log π(y)/Z(S).</summary>
    public double LogPrefixProbability(ReadOnlySpan<int> prefix) => LogPrefixProbability(_parser.ExtendAll(_parser.Empty, prefix));

    /// <summary>log π(y)/Z(S) for the prefix a state has read, without parsing it again. O(|N|).</summary>
    public double LogPrefixProbability(PrefixState state) => _parser.LogPrefixProbability(state) - _logMass;

    /// <inheritdoc />
    public override string ToString() => $"PCFG LM ({Grammar.Nonterminals.Count} nonterminals, {Grammar.Rules.Count} rules) over {Alphabet}";
}
