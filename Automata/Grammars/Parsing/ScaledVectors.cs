namespace Workbench.Automata.Grammars.Parsing;

/// <summary>Vectors stored as (values with maximum 1, log scale), the representation that keeps charts of long strings from underflowing.</summary>
internal static class ScaledVectors
{
    /// <summary>Divides the vector by its maximum and returns the log scale that undoes it: <paramref name="logScale"/> + log max, or −∞ (and a zero vector) when nothing is positive.</summary>
    public static double Normalise(Span<double> values, double logScale)
    {
        var max = 0.0;
        foreach (var v in values) max = Math.Max(max, v);
        if (!(max > 0) || double.IsNegativeInfinity(logScale))
        {
            values.Clear();
            return double.NegativeInfinity;
        }
        foreach (ref var v in values) v /= max;
        return logScale + Math.Log(max);
    }
}
