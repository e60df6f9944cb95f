using Workbench.Formal.Numerics;

namespace Workbench.Formal.Adapters;

/// <summary>
/// Temperature scaling q ∝ p^{1/τ} = softmax(log p / τ): τ = 1 is the identity, τ → 0 tends to greedy
/// decoding (all mass on the argmax set), τ → ∞ to the uniform distribution on the support (P3.2, P8.4).
/// </summary>
public sealed class TemperatureAdapter : ISamplingAdapter
{
    /// <summary>Creates the adapter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">τ is not a positive finite number.</exception>
    public TemperatureAdapter(double temperature)
    {
        if (!(temperature > 0) || double.IsPositiveInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be a positive finite number.");
        Temperature = temperature;
    }

    /// <summary>τ.</summary>
    public double Temperature { get; }

    /// <inheritdoc />
    public string Name => $"temperature (τ = {Temperature:G6})";

    /// <inheritdoc />
    public void Apply(ReadOnlySpan<double> logProbabilities, Span<double> adapted) =>
        Softmax.LogProbabilities(logProbabilities, adapted, Temperature);
}
