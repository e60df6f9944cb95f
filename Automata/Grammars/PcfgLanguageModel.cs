using Workbench.Automata.Grammars.Parsing;
using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Grammars;

/// <summary>
/// A PCFG as a language model. <see cref="LogProbability"/> is the grammar's own mass p(y), the weight of the finite
/// derivations of y, and <see cref="LogPrefixProbability(ReadOnlySpan{int})"/> the mass of its finite continuations
/// π(y) = Σ_{y′} p(yy′), so π(ε) = Z(S) — neither is divided by Z(S), which is below 1 for a grammar that is not tight.
/// The autoregressive view exists only for the renormalised distribution p(y)/Z(S): p(a | y) = π(ya)/π(y) and
/// p(EOS | y) = p(y)/π(y) (P2.1 applied to a PCFG, P5.10), and it says so through <see cref="LogViewNormaliser"/> =
/// log Z(S). Every exact question a PCFG answers is a capability: tightness and Z(S) (least fixed point with the exact
/// decision, P5.2–P5.3), E|y|, P(|y| ≥ T) and the derivational entropy (Soule, P5.9). The grammar is taken to Chomsky
/// normal form once; the whole next-symbol distribution then costs O(|Σ||N|) per state and advancing one inside column
/// and one forward vector (<see cref="PrefixParser"/>). Notes §4.2.
/// </summary>
public sealed class PcfgLanguageModel :
    IAutoregressiveLanguageModel<PrefixState>, IPrefixProbabilityModel, IPartitionFunctionModel, ITightnessAnalyzable,
    IExpectedLengthModel, ILengthTailModel, IDerivationalEntropyModel, IExactDivergenceModel
{
    private readonly PrefixParser _parser;
    private readonly PcfgMass _mass;

    // log of the factor that takes the CNF form's weights to the grammar's own: CNF conversion renormalises a PCFG
    // (its Z is 1 whatever the grammar's), so p(y) = p_CNF(y)·Z(S)/Z_CNF(S).
    private readonly double _logScale;

    /// <summary>Validates the PCFG, takes it to Chomsky normal form and prepares the prefix parser. O(|G| + |N|³) plus a treesum.</summary>
    /// <exception cref="InvalidModelException">Some nonterminal's rules do not sum to 1; the message names it.</exception>
    /// <exception cref="DivergenceException">A unary cycle has weight ≥ 1, or the ε-derivations have infinite weight.</exception>
    public PcfgLanguageModel(Cfg<Real> grammar)
    {
        PcfgValidation.Validate(grammar);
        Grammar = grammar;
        ChomskyNormalForm = Grammars.ChomskyNormalForm.Convert(grammar);
        _parser = new PrefixParser(ChomskyNormalForm);
        var cnfMass = _parser.Completion[ChomskyNormalForm.Start];
        _mass = new PcfgMass(grammar, ChomskyNormalForm, cnfMass);
        LogViewNormaliser = Math.Log(_mass.Tightness.Mass);
        _logScale = cnfMass > 0 ? LogViewNormaliser - Math.Log(cnfMass) : 0;
        _lengthSampler = new Lazy<PcfgLengthSampler>(() => new PcfgLengthSampler(ChomskyNormalForm, _logScale));
    }

    private readonly Lazy<PcfgLengthSampler> _lengthSampler;

    /// <summary>Exact draws conditioned on the length, with P(|y| = n) in the grammar's own mass (<see cref="PcfgLengthSampler"/>).</summary>
    public PcfgLengthSampler LengthSampler => _lengthSampler.Value;

    /// <summary>The grammar as given.</summary>
    public Cfg<Real> Grammar { get; }

    /// <summary>Its Chomsky normal form, which the parsers run on (renormalised: its Z is 1 unless it derives nothing).</summary>
    public Cfg<Real> ChomskyNormalForm { get; }

    /// <inheritdoc />
    public Alphabet Alphabet => Grammar.Terminals;

    /// <summary>log Z(S): the autoregressive view is p(y)/Z(S), the grammar's finite-string distribution renormalised.</summary>
    public double LogViewNormaliser { get; }

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

    /// <summary>log p(y), the weight of y's derivations, by the inside chart (the parser's tables are shared by every call). O(|y|³·|G|).</summary>
    /// <exception cref="UnknownSymbolException">y contains an id outside Σ.</exception>
    public double LogProbability(ReadOnlySpan<int> symbols) => _parser.Empty.Inside.ExtendAll(symbols).LogWeight + _logScale;

    /// <summary>log π(y) = log Σ_{y′} p(yy′), the mass of y's finite continuations; log Z(S) for ε.</summary>
    /// <exception cref="UnknownSymbolException">y contains an id outside Σ.</exception>
    public double LogPrefixProbability(ReadOnlySpan<int> prefix) => LogPrefixProbability(_parser.ExtendAll(_parser.Empty, prefix));

    /// <summary>log π(y) for the prefix a state has read, without parsing it again. O(|N|).</summary>
    public double LogPrefixProbability(PrefixState state) => _parser.LogPrefixProbability(state) + _logScale;

    /// <summary>The exact decision Z(S) = 1 (rule sums read as decimals, ρ(M_C) ≤ 1 in integers) with Newton's Z(S) (P5.2, P5.3).</summary>
    public TightnessReport AnalyzeTightness() => _mass.Tightness;

    /// <summary>Z(S) = Σ_y p(y), 1 exactly when the grammar is decided tight.</summary>
    public CertifiedValue PartitionFunction() => _mass.PartitionFunction;

    /// <summary>Σ_y p(y)·|y| over the finite strings: Z(S) times E|y| of the renormalised grammar, which is subcritical unless the grammar is critical.</summary>
    /// <exception cref="WorkbenchException">The grammar is critical (ρ(M) = 1), where the expected derivation size is infinite.</exception>
    public CertifiedValue ExpectedLength() => _mass.ExpectedLength();

    /// <summary>P(|y| ≥ T) = 1 − Σ_{ℓ&lt;T} P(|y| = ℓ): the strings of length at least T and the derivations that never finish. O(T²·|G_CNF|).</summary>
    public CertifiedValue ProbabilityOfLengthAtLeast(int length) => _mass.ProbabilityOfLengthAtLeast(length);

    /// <inheritdoc />
    public CertifiedValue DerivationalEntropy() => _mass.DerivationalEntropy();

    /// <summary>
    /// Against a deterministic PFSA q: the exact H(p, q) (<see cref="PcfgDivergences"/>). KL(p ‖ q) = H(p, q) − H(p) needs
    /// the string entropy, which a PCFG has only when unambiguous, so KL is given as the lower bound H(p, q) − H_D.
    /// </summary>
    public ExactDivergence? DivergencesFrom(ILanguageModel q)
    {
        if (q is not Pfsa.IDeterministicPfsaModel deterministic) return null;
        var crossEntropy = PcfgDivergences.CrossEntropy(Grammar, deterministic.DeterministicMachine);
        string note;
        try
        {
            var derivational = DerivationalEntropy();
            note = Invariant($"KL(p ‖ q) ≥ H(p, q) − H_D = {crossEntropy.Value - derivational.Value - derivational.ErrorBound - crossEntropy.ErrorBound:G12} (H_D the derivational entropy), with equality when the grammar is unambiguous");
        }
        catch (WorkbenchException exception)
        {
            note = $"KL(p ‖ q) is not exact: the string entropy of a PCFG is not available ({exception.Message.TrimEnd('.')})";
        }
        return new ExactDivergence(crossEntropy, null, note);
    }

    /// <inheritdoc />
    public override string ToString() => $"PCFG LM ({Grammar.Nonterminals.Count} nonterminals, {Grammar.Rules.Count} rules) over {Alphabet}";
}
