using Workbench.Formal.Numerics;

namespace Workbench.Formal.Adapters;

/// <summary>
/// Locally typical sampling (Meister et al. 2023): order the outcomes by how far their surprisal
/// −log p(y) is from the entropy H of the distribution, keep the shortest prefix of that order with
/// mass at least τ, and renormalise. Ties are broken by lower symbol id.
/// </summary>
public sealed class LocallyTypicalAdapter : TruncationAdapter
{
    /// <summary>Creates the adapter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">τ is not in (0, 1].</exception>
    public LocallyTypicalAdapter(double mass)
    {
        if (!(mass > 0 && mass <= 1)) throw new ArgumentOutOfRangeException(nameof(mass), mass, "The typical mass must lie in (0, 1].");
        Mass = mass;
    }

    /// <summary>The mass τ of the typical set.</summary>
    public double Mass { get; }

    /// <inheritdoc />
    public override string Name => $"locally typical (τ = {Mass:G6})";

    /// <summary>The order in which outcomes are admitted: increasing |−log p(y) − H|, positive probability only.</summary>
    public static int[] TypicalityOrder(ReadOnlySpan<double> logProbabilities)
    {
        var values = logProbabilities.ToArray();
        var probabilities = values.Select(Math.Exp).ToArray();
        var entropy = DiscreteDistributions.Entropy(probabilities);
        return Enumerable.Range(0, values.Length)
            .Where(i => !double.IsNegativeInfinity(values[i]))
            .OrderBy(i => Math.Abs(-values[i] - entropy))
            .ToArray();
    }

    /// <inheritdoc />
    public override void SelectSupport(ReadOnlySpan<double> logProbabilities, Span<bool> keep) =>
        KeepPrefixReaching(logProbabilities, TypicalityOrder(logProbabilities), Mass, keep);
}
