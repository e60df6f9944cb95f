namespace Workbench.Formal.Semirings;

/// <summary>
/// A semiring whose elements stand for non-negative real numbers (probabilities and weights), so that
/// algorithms can leave the semiring for linear algebra — solving (I − T)β = ρ for an allsum — and come back.
/// </summary>
public interface IRealWeight<TSelf> where TSelf : struct, IRealWeight<TSelf>
{
    /// <summary>The real number the element stands for.</summary>
    static abstract double ToReal(TSelf weight);

    /// <summary>The element that stands for a non-negative real number.</summary>
    static abstract TSelf FromReal(double value);

    /// <summary>The natural logarithm of the real number, exact for log-space carriers.</summary>
    static abstract double ToLogReal(TSelf weight);

    /// <summary>The element whose real number is e^<paramref name="logValue"/>, exact for log-space carriers.</summary>
    static abstract TSelf FromLogReal(double logValue);
}
