namespace Workbench.Formal.Adapters;

/// <summary>
/// A sampling adapter: a map from a next-symbol distribution over Σ̄ to another one, applied at every
/// step of generation (temperature, top-k, top-p, locally typical). Wrapping a model with an adapter
/// gives a new language model, whose tightness can differ from the original's (P8.6). Lecture on
/// decoding; notes "Part 3" (sampling adapters).
/// </summary>
public interface ISamplingAdapter
{
    /// <summary>A short description, e.g. "top-k (k = 5)".</summary>
    string Name { get; }

    /// <summary>
    /// Writes the adapted log-distribution into <paramref name="adapted"/> (same length as the input).
    /// The input must be a distribution; the output is one.
    /// </summary>
    void Apply(ReadOnlySpan<double> logProbabilities, Span<double> adapted);
}
