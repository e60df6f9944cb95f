namespace Workbench.Formal.Numerics;

/// <summary>
/// The softmax projection onto the probability simplex with temperature τ:
/// softmax(x/τ)ᵢ = exp(xᵢ/τ) / Σⱼ exp(xⱼ/τ). Notes §3.1 (D3.2; P3.1–P3.4).
/// </summary>
public static class Softmax
{
    /// <summary>Writes log softmax(x/τ) into <paramref name="destination"/>. Entries of −∞ stay −∞. O(n).</summary>
    /// <exception cref="ArgumentOutOfRangeException">τ is not a positive finite number, or lengths differ.</exception>
    /// <exception cref="ArgumentException">x contains NaN or +∞, or every entry is −∞.</exception>
    public static void LogProbabilities(ReadOnlySpan<double> logits, Span<double> destination, double temperature = 1.0)
    {
        if (!(temperature > 0) || double.IsPositiveInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be a positive finite number.");
        if (destination.Length != logits.Length)
            throw new ArgumentOutOfRangeException(nameof(destination), "The destination must have the length of the logits.");
        for (var i = 0; i < logits.Length; i++)
        {
            if (double.IsNaN(logits[i]) || double.IsPositiveInfinity(logits[i]))
                throw new ArgumentException($"Logit {i} is {logits[i]}; softmax needs finite logits or −∞.", nameof(logits));
            destination[i] = logits[i] / temperature;
        }
        var normaliser = LogSpace.SumExp(destination);
        if (double.IsNegativeInfinity(normaliser))
            throw new ArgumentException("Every logit is −∞; softmax is undefined.", nameof(logits));
        for (var i = 0; i < destination.Length; i++) destination[i] -= normaliser;
    }

    /// <summary>Returns softmax(x/τ) as probabilities. O(n).</summary>
    public static double[] Probabilities(ReadOnlySpan<double> logits, double temperature = 1.0)
    {
        var result = new double[logits.Length];
        LogProbabilities(logits, result, temperature);
        for (var i = 0; i < result.Length; i++) result[i] = Math.Exp(result[i]);
        return result;
    }
}
