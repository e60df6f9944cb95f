namespace Workbench.Formal.Adapters;

/// <summary>Top-k sampling: keep the k most probable outcomes (ties broken by lower symbol id) and renormalise.</summary>
public sealed class TopKAdapter : TruncationAdapter
{
    /// <summary>Creates the adapter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">k &lt; 1.</exception>
    public TopKAdapter(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        K = k;
    }

    /// <summary>k.</summary>
    public int K { get; }

    /// <inheritdoc />
    public override string Name => $"top-k (k = {K})";

    /// <inheritdoc />
    public override void SelectSupport(ReadOnlySpan<double> logProbabilities, Span<bool> keep)
    {
        foreach (var i in ByDecreasingProbability(logProbabilities).Take(K)) keep[i] = true;
    }
}
