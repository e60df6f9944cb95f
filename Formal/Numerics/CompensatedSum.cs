namespace Workbench.Formal.Numerics;

/// <summary>
/// Neumaier's compensated summation: the error of the sum is at most 2ε|Σxᵢ| + O(nε²)·Σ|xᵢ| instead of
/// the (n − 1)ε·Σ|xᵢ| of a plain loop (Higham, Accuracy and Stability of Numerical Algorithms, §4.3).
/// A mutable accumulator: add terms with <see cref="Add"/>, read <see cref="Value"/>.
/// </summary>
public struct CompensatedSum
{
    private double _sum;
    private double _compensation;

    /// <summary>Adds one term. O(1).</summary>
    public void Add(double term)
    {
        var total = _sum + term;
        // Stryker disable once Equality : at equal magnitudes both corrections are the same
        _compensation += Math.Abs(_sum) >= Math.Abs(term) ? (_sum - total) + term : (term - total) + _sum;
        _sum = total;
    }

    /// <summary>The compensated sum of the terms added so far.</summary>
    public readonly double Value => _sum + _compensation;
}
