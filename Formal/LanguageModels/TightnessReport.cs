using System.Globalization;

namespace Workbench.Formal.LanguageModels;

/// <summary>Whether a locally normalised LM puts all its mass on finite strings. Notes §2.5 (D2.6).</summary>
public enum TightnessVerdict
{
    /// <summary>Σ_{y∈Σ*} p(y) = 1.</summary>
    Tight,

    /// <summary>Σ_{y∈Σ*} p(y) &lt; 1: mass leaks to infinite sequences.</summary>
    NotTight,

    /// <summary>The method used could not decide (e.g. a Monte Carlo estimate).</summary>
    Unknown,
}

/// <summary>How a tightness verdict was reached.</summary>
public enum TightnessMethod
{
    /// <summary>A closed form for the finite-string mass (e.g. a telescoping product).</summary>
    ClosedForm,

    /// <summary>The support is finite and the mass is summed over it.</summary>
    Enumeration,

    /// <summary>Partial products of the EOS schedule with rigorous tail bounds (P2.4, P2.5).</summary>
    EosScheduleBounds,

    /// <summary>Every accessible state is co-accessible (PFSAs, P4.6).</summary>
    GraphCriterion,

    /// <summary>The spectral radius of the trimmed transition matrix is below one.</summary>
    SpectralRadius,

    /// <summary>The least fixed point of a polynomial system (PCFGs, P5.2).</summary>
    LeastFixedPoint,

    /// <summary>A norm bound on the encoder gives a floor on p(EOS | context) (P3.6, P6.1, P7.1).</summary>
    NormBoundCertificate,

    /// <summary>Sampling with a length cap; never decides on its own.</summary>
    MonteCarlo,
}

/// <summary>
/// The answer of a tightness analysis: the verdict, the finite-string mass Σ_{y∈Σ*} p(y) (a point value
/// and rigorous bounds [MassLowerBound, MassUpperBound]), the method and the evidence in words.
/// Notes §2.5 (D2.6, P2.4, P2.5).
/// </summary>
public sealed record TightnessReport(
    TightnessVerdict Verdict,
    double Mass,
    double MassLowerBound,
    double MassUpperBound,
    TightnessMethod Method,
    IReadOnlyList<string> Evidence)
{
    /// <summary>The mass that leaks to infinite strings, 1 − <see cref="Mass"/>.</summary>
    public double LeakedMass => 1 - Mass;

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Verdict}: mass {Mass:G12} ∈ [{MassLowerBound:G12}, {MassUpperBound:G12}] by {Method}");
}
