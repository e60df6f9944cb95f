namespace Workbench.Formal.Adapters;

/// <summary>
/// A truncation adapter: keep a set S of outcomes and renormalise, q = p·1_S / p(S). For every such
/// adapter KL(q ‖ p) = −log p(S) (P8.3). Outcomes with probability zero are never kept.
/// </summary>
public abstract class TruncationAdapter : ISamplingAdapter
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>Marks the kept set S in <paramref name="keep"/> (same length as the distribution).</summary>
    public abstract void SelectSupport(ReadOnlySpan<double> logProbabilities, Span<bool> keep);

    /// <inheritdoc />
    public void Apply(ReadOnlySpan<double> logProbabilities, Span<double> adapted)
    {
        // Both buffers start all false (stackalloc zeroes without SkipLocalsInit).
        // Stryker disable once Equality,Conditional : a stack or a heap buffer with the same contents; the limit only guards the stack
        Span<bool> keep = logProbabilities.Length <= 1024 ? stackalloc bool[logProbabilities.Length] : new bool[logProbabilities.Length];
        SelectSupport(logProbabilities, keep);
        var keptMass = double.NegativeInfinity;
        for (var i = 0; i < keep.Length; i++)
            if (keep[i]) keptMass = Numerics.LogSpace.Add(keptMass, logProbabilities[i]);
        for (var i = 0; i < keep.Length; i++)
            adapted[i] = keep[i] ? logProbabilities[i] - keptMass : double.NegativeInfinity;
    }

    /// <summary>
    /// The indices with positive probability in decreasing order of probability, ties by lower index: the
    /// order in which top-k and top-p admit outcomes.
    /// </summary>
    protected static int[] ByDecreasingProbability(ReadOnlySpan<double> logProbabilities)
    {
        var values = logProbabilities.ToArray();
        return Enumerable.Range(0, values.Length)
            .Where(i => !double.IsNegativeInfinity(values[i]))
            .OrderByDescending(i => values[i])
            .ToArray();
    }

    /// <summary>Keeps the shortest prefix of <paramref name="order"/> whose mass reaches <paramref name="mass"/> (all of it if rounding falls short).</summary>
    protected static void KeepPrefixReaching(ReadOnlySpan<double> logProbabilities, int[] order, double mass, Span<bool> keep)
    {
        var cumulative = 0.0;
        foreach (var i in order)
        {
            keep[i] = true;
            cumulative += Math.Exp(logProbabilities[i]);
            if (cumulative >= mass) return;
        }
    }
}
