using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Grammars;

/// <summary>
/// A CNF PCFG as an autoregressive language model: the state is the prefix chart, p(a | y) = π(ya)/π(y) and
/// p(EOS | y) = p(y)/π(y) from Jelinek–Lafferty prefix probabilities (P2.1 applied to a PCFG, P5.10). Its
/// distribution is p(y)/Z(S) — the PCFG's own when the grammar is tight, its finite-string part renormalised
/// otherwise — so chain-rule scores and <see cref="LogProbability"/> agree. One step costs one chart column
/// per candidate symbol. Notes §4.2.
/// </summary>
public sealed class PcfgLanguageModel : IAutoregressiveLanguageModel<PrefixChart>, IPrefixProbabilityModel
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
    public PrefixChart InitialState => _parser.Empty;

    /// <inheritdoc />
    public void NextLogProbabilities(PrefixChart state, Span<double> logProbabilities)
    {
        var prefix = _parser.PrefixProbability(state);
        if (!(prefix > 0))
        {
            logProbabilities.Fill(double.NegativeInfinity);
            logProbabilities[Alphabet.Eos] = 0;
            return;
        }
        for (var a = 0; a < Alphabet.Size; a++) logProbabilities[a] = Math.Log(_parser.PrefixProbability(_parser.Extend(state, a)) / prefix);
        logProbabilities[Alphabet.Eos] = Math.Log(_parser.StringProbability(state) / prefix);
    }

    /// <inheritdoc />
    public PrefixChart Advance(PrefixChart state, int symbol) => _parser.Extend(state, symbol);

    /// <summary>log p(y)/Z(S) by the inside algorithm.</summary>
    public double LogProbability(ReadOnlySpan<int> symbols) => Inside.LogWeight(Grammar, symbols) - _logMass;

    /// <summary>log π(y)/Z(S) by Jelinek–Lafferty.</summary>
    public double LogPrefixProbability(ReadOnlySpan<int> prefix)
    {
        var chart = _parser.Empty;
        foreach (var symbol in prefix) chart = _parser.Extend(chart, symbol);
        return Math.Log(_parser.PrefixProbability(chart)) - _logMass;
    }

    /// <inheritdoc />
    public override string ToString() => $"PCFG LM ({Grammar.Nonterminals.Count} nonterminals, {Grammar.Rules.Count} rules) over {Alphabet}";
}
