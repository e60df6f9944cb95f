namespace Workbench.Formal.Adapters;

/// <summary>
/// Nucleus (top-p) sampling: keep the smallest prefix of the outcomes sorted by decreasing probability
/// (ties by lower symbol id) whose mass is at least p, and renormalise. The kept set grows with p.
/// </summary>
public sealed class TopPAdapter : TruncationAdapter
{
    /// <summary>Creates the adapter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">p is not in (0, 1].</exception>
    public TopPAdapter(double p)
    {
        if (!(p > 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "The nucleus mass must lie in (0, 1].");
        P = p;
    }

    /// <summary>The nucleus mass p.</summary>
    public double P { get; }

    /// <inheritdoc />
    public override string Name => $"top-p (p = {P:G6})";

    /// <inheritdoc />
    public override void SelectSupport(ReadOnlySpan<double> logProbabilities, Span<bool> keep) =>
        KeepPrefixReaching(logProbabilities, ByDecreasingProbability(logProbabilities), P, keep);
}
