namespace Workbench.Formal.LanguageModels;

/// <summary>
/// A model that computes exact prefix probabilities π(y) = P(the string starts with y), the measure of
/// the cylinder set of y. For a tight model π(y) = Σ_{y′∈Σ*} p(yy′); for a non-tight locally normalised
/// model π also counts the mass that leaks to infinite strings (P2.2). Notes §2.4 (D2.5).
/// </summary>
public interface IPrefixProbabilityModel : ILanguageModel
{
    /// <summary>log π(y); 0 for the empty prefix.</summary>
    double LogPrefixProbability(ReadOnlySpan<int> prefix);
}

/// <summary>
/// A model that computes its partition function, the total mass Σ_{y∈Σ*} p(y) of the finite strings,
/// with a certified error bound. It equals 1 exactly when the model is tight. Notes §2.5 (D2.6).
/// </summary>
public interface IPartitionFunctionModel : ILanguageModel
{
    /// <summary>Σ_{y∈Σ*} p(y).</summary>
    CertifiedValue PartitionFunction();
}

/// <summary>A model that computes the exact entropy H(p) = −Σ_y p(y) log p(y) in nats. Notes §3.2 (D3.4).</summary>
public interface IExactEntropyModel : ILanguageModel
{
    /// <summary>The entropy of the distribution over Σ*, in nats.</summary>
    CertifiedValue Entropy();
}

/// <summary>A model that computes the exact expected string length E|y| (+∞ allowed).</summary>
public interface IExpectedLengthModel : ILanguageModel
{
    /// <summary>Σ_y p(y)·|y|.</summary>
    CertifiedValue ExpectedLength();
}

/// <summary>
/// A model that decides exactly whether it stays tight under a sampling adapter: the adapted model is again of its
/// family (a deterministic PFSA under a state-wise adapter is a PFSA, P8.6). Lecture on decoding; notes §2.5.
/// </summary>
public interface IAdaptedTightnessAnalyzable : ILanguageModel
{
    /// <summary>The tightness report of the model with <paramref name="adapter"/> applied to every next-symbol distribution.</summary>
    TightnessReport AnalyzeTightness(Adapters.ISamplingAdapter adapter);
}

/// <summary>A model that decides its own tightness with an exact or certified method. Notes §2.5.</summary>
public interface ITightnessAnalyzable : ILanguageModel
{
    /// <summary>The verdict with the finite-string mass (or bounds on it), the method and the evidence.</summary>
    TightnessReport AnalyzeTightness();
}

/// <summary>
/// A model that computes P(|y| ≥ T), the mass of the strings — finite or not — that have not stopped
/// after T symbols (the measure of the cylinder of Σ^T). It tends to the leaked mass as T grows (P2.4).
/// </summary>
public interface ILengthTailModel : ILanguageModel
{
    /// <summary>P(|y| ≥ <paramref name="length"/>).</summary>
    CertifiedValue ProbabilityOfLengthAtLeast(int length);
}

/// <summary>
/// A model defined by derivations (a PCFG) that computes the entropy of its derivations, H_D = −Σ_d p(d) log p(d) in
/// nats, over the finite derivations. H_D ≥ H(p), with equality exactly when no string of positive mass has two
/// derivations — the grammar is unambiguous on its support, which is undecidable in general — so H_D is the string
/// entropy only for an unambiguous grammar and an upper bound on it otherwise. Notes §4.2 (P5.9, Soule 1974).
/// </summary>
public interface IDerivationalEntropyModel : ILanguageModel
{
    /// <summary>H_D, the entropy of the distribution over derivations (never labelled as the string entropy).</summary>
    CertifiedValue DerivationalEntropy();
}

/// <summary>
/// Exact divergences of a model p against a model q: H(p, q) = −Σ_y p(y) log q(y) always, and KL(p ‖ q) =
/// Σ_y p(y) log(p(y)/q(y)) when p's own entropy is exact too; both over the finite strings and of the models' own
/// masses (docs/formal.md, "The contract"). +∞ (bound 0) when p gives mass to a string q excludes.
/// </summary>
/// <param name="CrossEntropy">H(p, q) in nats.</param>
/// <param name="KullbackLeibler">KL(p ‖ q) in nats, or null when p's entropy is not exact.</param>
/// <param name="Note">What limits the answer (e.g. a KL known only as a lower bound), or null.</param>
public sealed record ExactDivergence(CertifiedValue CrossEntropy, CertifiedValue? KullbackLeibler, string? Note);

/// <summary>
/// A model p that computes its divergences against some models q exactly: a finite table against any model, a PFSA
/// or an n-gram against a deterministic PFSA, a PCFG against a deterministic PFSA (Bar-Hillel with the expectation
/// semiring). Notes §3.2 (P3.7).
/// </summary>
public interface IExactDivergenceModel : ILanguageModel
{
    /// <summary>H(p, q) and KL(p ‖ q) against <paramref name="q"/>, or null when no exact method pairs this model with q.</summary>
    ExactDivergence? DivergencesFrom(ILanguageModel q);
}

/// <summary>
/// A model whose exact string and prefix probabilities sum over a set that can grow exponentially with the string (the
/// coverings of a text by tokens), and that can instead keep only the heaviest members of that set, bounding what it
/// dropped: each answer is an interval that contains the exact value. Vieira et al. 2024 (the character-level beam).
/// </summary>
public interface IBeamBoundedModel : ILanguageModel
{
    /// <summary>
    /// p(y) and π(y) from a beam of <paramref name="width"/> members at each position, each as the middle of an interval
    /// that contains the exact value, with half its width as the error bound (0 when the beam dropped nothing).
    /// O(|y|·width) model steps.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> is below 1.</exception>
    (CertifiedValue Probability, CertifiedValue PrefixProbability) BeamScore(ReadOnlySpan<int> symbols, int width);
}
