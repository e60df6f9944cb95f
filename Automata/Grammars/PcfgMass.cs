using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Numerics;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars;

/// <summary>
/// The exact quantities of a PCFG's own (sub-)distribution over finite strings: Z(S) with the tightness decision,
/// and E|y|, P(|y| ≥ T) and the derivational entropy, none of them divided by Z(S). For a grammar that is not tight
/// the expectations come from its renormalisation p/Z (<see cref="ChomskyNormalForm.Renormalise"/>, the grammar
/// conditioned on finishing, which is subcritical unless a reachable component is critical), scaled back by Z(S).
/// Notes §4.2 (P5.2, P5.3, P5.9).
/// </summary>
internal sealed class PcfgMass
{
    /// <summary>The longest T for which <see cref="ProbabilityOfLengthAtLeast"/> builds the length distribution (O(T²·|G|)).</summary>
    public const int MaxTailLength = 4096;

    private readonly Cfg<Real> _grammar;
    private readonly Cfg<Real> _chomskyNormalForm;
    private readonly double _chomskyNormalFormMass;
    private Cfg<Real>? _renormalised;

    /// <param name="grammar">The grammar as given.</param>
    /// <param name="chomskyNormalForm">Its CNF form.</param>
    /// <param name="chomskyNormalFormMass">Z_CNF(S), the treesum the prefix parser already computed for the CNF form.</param>
    public PcfgMass(Cfg<Real> grammar, Cfg<Real> chomskyNormalForm, double chomskyNormalFormMass)
    {
        _grammar = grammar;
        _chomskyNormalForm = chomskyNormalForm;
        _chomskyNormalFormMass = chomskyNormalFormMass;
        Tightness = PcfgAnalysis.Tightness(grammar);
        var z = Tightness.Mass;
        PartitionFunction = new CertifiedValue(z, Math.Max(z - Tightness.MassLowerBound, Tightness.MassUpperBound - z),
            Tightness.Verdict == TightnessVerdict.Tight && Tightness.MassLowerBound == 1 ? "exact: the grammar is decided tight" : "least fixed point of the generating functions (Newton)");
    }

    /// <summary>The tightness report of the grammar as given.</summary>
    public TightnessReport Tightness { get; }

    /// <summary>Z(S) with its certified bound.</summary>
    public CertifiedValue PartitionFunction { get; }

    private bool ExactlyTight => PartitionFunction.Value == 1 && PartitionFunction.ErrorBound == 0;

    /// <summary>Σ_y p(y)·|y|.</summary>
    public CertifiedValue ExpectedLength() => Scaled(PcfgAnalysis.ExpectedLength, "Σ_y p(y)|y|");

    /// <summary>−Σ_d p(d) log p(d) over the finite derivations: Z·(H′ − log Z) with H′ the renormalised grammar's.</summary>
    public CertifiedValue DerivationalEntropy()
    {
        if (ExactlyTight) return Labelled(PcfgAnalysis.DerivationalEntropy(_grammar));
        var z = PartitionFunction;
        if (z.Value == 0) return CertifiedValue.Exact(0, "derivational entropy: the grammar derives no finite string");
        var inner = PcfgAnalysis.DerivationalEntropy(Renormalised);
        var value = z.Value * (inner.Value - Math.Log(z.Value));
        var bound = z.Value * inner.ErrorBound + z.ErrorBound * Math.Abs(inner.Value - Math.Log(z.Value) - 1) + 4 * FloatingPoint.MachineEpsilon * Math.Abs(value);
        return new CertifiedValue(value, bound, $"{Caveat}; Z·(H′ − log Z) with H′ of the renormalised grammar by {inner.Method}");
    }

    /// <summary>1 − Σ_{ℓ&lt;T} P(|y| = ℓ), with P(|y| = ℓ) = Z(S)·L_CNF(ℓ)/Z_CNF(S) from the CNF form's length distribution.</summary>
    /// <exception cref="WorkbenchException">T exceeds <see cref="MaxTailLength"/>.</exception>
    public CertifiedValue ProbabilityOfLengthAtLeast(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length == 0) return CertifiedValue.Exact(1, "every string has length ≥ 0");
        if (length > MaxTailLength)
            throw new BudgetExceededException(Invariant($"P(|y| ≥ {length}) needs the length distribution up to {length - 1}, which costs O(T²·|G|); the exact computation stops at T = {MaxTailLength}."));
        var lengths = LengthDistribution.Of(_chomskyNormalForm, length - 1);
        var z = PartitionFunction;
        var scale = _chomskyNormalFormMass > 0 ? z.Value / _chomskyNormalFormMass : 0;
        var finite = 0.0;
        var rounding = 0.0;
        for (var l = 0; l < lengths.Length; l++)
        {
            finite += scale * lengths[l];
            // A length-ℓ weight is a sum of products over ℓ nested convolutions: relative error below 3(ℓ + 2)²ε.
            rounding += 3.0 * (l + 2) * (l + 2) * FloatingPoint.MachineEpsilon * scale * lengths[l];
        }
        var value = Math.Clamp(1 - finite, 0, 1);
        var bound = z.ErrorBound + rounding + (lengths.Length + 2) * FloatingPoint.MachineEpsilon;
        return new CertifiedValue(value, bound, Invariant($"1 − Σ_{{ℓ<{length}}} P(|y| = ℓ) by the length distribution of the CNF form (never-finishing derivations included)"));
    }

    private Cfg<Real> Renormalised => _renormalised ??= ChomskyNormalForm.Renormalise(_grammar);

    // An expectation of the grammar's own mass: the grammar's when it is tight, else Z times the renormalised grammar's.
    private CertifiedValue Scaled(Func<Cfg<Real>, CertifiedValue> expectation, string what)
    {
        if (ExactlyTight) return expectation(_grammar);
        var z = PartitionFunction;
        if (z.Value == 0) return CertifiedValue.Exact(0, $"{what}: the grammar derives no finite string");
        var inner = expectation(Renormalised);
        return new CertifiedValue(z.Value * inner.Value, z.Value * inner.ErrorBound + z.ErrorBound * inner.Value + 2 * FloatingPoint.MachineEpsilon * z.Value * inner.Value,
            $"Z(S) times the renormalised grammar's: {inner.Method}");
    }

    private static CertifiedValue Labelled(CertifiedValue entropy) =>
        entropy with { Method = $"{Caveat}; {entropy.Method}" };

    private const string Caveat = "nats over derivations: an upper bound on the string entropy, equal to it for an unambiguous grammar";
}
