using Workbench.Formal.Models;

namespace Workbench.Proofs.Generators;

/// <summary>Sums over the strings of a unary model by walking its conditionals once, O(to) steps.</summary>
public static class UnaryWalks
{
    /// <summary>Σ_{from ≤ n &lt; to} p(aⁿ), with p(aⁿ) = π(aⁿ)·p(EOS | aⁿ) multiplied out from the raw conditionals.</summary>
    public static double FiniteMass(UnaryLanguageModel model, int from, int to)
    {
        var next = new double[2];
        var logPrefix = 0.0;
        var mass = 0.0;
        for (var state = model.InitialState; state < to; state = model.Advance(state, 0))
        {
            model.NextLogProbabilities(state, next);
            if (state >= from) mass += Math.Exp(logPrefix + next[1]);
            logPrefix += next[0];
        }
        return mass;
    }
}
