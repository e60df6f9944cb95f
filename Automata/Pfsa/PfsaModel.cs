using Workbench.Automata.Core;
using Workbench.Automata.Pathsums;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Pfsa;

/// <summary>
/// What every PFSA language model answers from its automaton alone, whatever its autoregressive state:
/// the partition function, the tightness report, the expected length and P(|y| ≥ T), all from one
/// certified pathsum computed on first use. Notes §4.1.
/// </summary>
public abstract class PfsaModel<T> : IPartitionFunctionModel, ITightnessAnalyzable, IExpectedLengthModel, ILengthTailModel, IExactDivergenceModel
    where T : struct, ISemiring<T>, IRealWeight<T>
{
    private RealPathsum? _pathsum;

    /// <summary>Validates the PFSA within <paramref name="tolerance"/>.</summary>
    /// <exception cref="Formal.Errors.InvalidModelException">The machine is not a PFSA; the message names the state.</exception>
    protected PfsaModel(Wfsa<T> fsa, double tolerance)
    {
        PfsaValidation.Validate(fsa, tolerance);
        Automaton = fsa;
    }

    /// <summary>The automaton.</summary>
    public Wfsa<T> Automaton { get; }

    /// <inheritdoc />
    public Alphabet Alphabet => Automaton.Alphabet;

    /// <summary>The certified pathsum of the automaton (β, Z, spectral-radius bounds), computed once.</summary>
    // Stryker disable once Assignment : recomputing instead of caching gives the same pathsum, only slower
    protected RealPathsum Pathsum => _pathsum ??= RealPathsum.Compute(Automaton);

    /// <summary>Z = Σ_{y∈Σ*} p(y) by the certified linear solve (1 exactly when tight).</summary>
    public CertifiedValue PartitionFunction() => Pathsum.Allsum;

    /// <summary>The graph criterion, the spectral radius of the trimmed machine and the allsum, together (P4.6).</summary>
    public TightnessReport AnalyzeTightness() => PfsaTightness.Analyze(Automaton, Pathsum);

    /// <summary>Σ_y p(y)|y| over the finite strings (P4.13).</summary>
    public CertifiedValue ExpectedLength() => PfsaExpectations.ExpectedLength(Automaton, Pathsum);

    /// <summary>P(|y| ≥ T) = λᵀT^T 1.</summary>
    public CertifiedValue ProbabilityOfLengthAtLeast(int length) => PfsaExpectations.ProbabilityOfLengthAtLeast(Automaton, length);

    /// <summary>
    /// Against a deterministic PFSA q: the exact H(p, q) on the product machine, and KL(p ‖ q) when this machine is
    /// deterministic too (its entropy needs one path per string); +∞ when p gives mass to a string q excludes (P3.7).
    /// </summary>
    public ExactDivergence? DivergencesFrom(ILanguageModel q)
    {
        if (q is not IDeterministicPfsaModel deterministic) return null;
        var p = Automaton.Map(w => new Real(T.ToReal(w)));
        var crossEntropy = PfsaDivergences.CrossEntropyOrInfinity(p, deterministic.DeterministicMachine);
        if (!Automaton.IsDeterministic)
            return new ExactDivergence(crossEntropy, null, "KL(p ‖ q) needs H(p), which is exact only for a deterministic p");
        var entropy = PfsaExpectations.Entropy(Automaton, Pathsum);
        return new ExactDivergence(crossEntropy,
            new CertifiedValue(crossEntropy.Value - entropy.Value, double.IsFinite(crossEntropy.Value) ? crossEntropy.ErrorBound + entropy.ErrorBound : 0, "H(p, q) − H(p)"), null);
    }

    /// <inheritdoc />
    public abstract double LogProbability(ReadOnlySpan<int> symbols);

    /// <inheritdoc />
    public abstract IPrefix Start();
}
