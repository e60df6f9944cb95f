namespace Workbench.Neural.Tightness;

/// <summary>
/// How a network's tightness report estimates P(|y| ≥ T) by Monte Carlo: <paramref name="Samples"/> ancestral draws capped
/// at <paramref name="Length"/> symbols, from <paramref name="Seed"/>. The estimate is evidence beside the certificates
/// (P2.5, P6.1), and the report's mass only when no certificate decides (verdict unknown). O(Samples·Length) steps.
/// </summary>
public sealed record TightnessSampling(int Samples, int Length, int Seed)
{
    /// <summary>200 draws capped at 100 symbols from seed 1: what a model reports unless its creator injects another.</summary>
    public static TightnessSampling Default { get; } = new(200, 100, 1);

    /// <summary>The sample count (at least 1).</summary>
    public int Samples { get; } = Samples >= 1 ? Samples : throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "At least one sample is needed.");

    /// <summary>The length cap T (at least 1).</summary>
    public int Length { get; } = Length >= 1 ? Length : throw new ArgumentOutOfRangeException(nameof(Length), Length, "The length cap must be at least 1.");
}
