using Workbench.Automata.NGrams;

namespace Workbench.Automata.Generators;

/// <summary>Random n-gram LMs: a Dirichlet distribution over Σ̄ for every BOS-padded history, with entries zeroed at random.</summary>
public static class RandomNGrams
{
    /// <summary>
    /// Every entry of every conditional is zeroed with probability <paramref name="zeroShare"/> (one entry
    /// always survives), so the support is a random strictly n-local language. O(Σ_{k&lt;n}|Σ|^k·|Σ̄|).
    /// </summary>
    public static NGramModel Model(Random random, int order, int alphabetSize, double zeroShare)
    {
        var alphabet = RandomAutomata.Letters(alphabetSize);
        return new NGramModel(alphabet, order, NGramEstimation.AllHistories(alphabet, order).Select(history =>
        {
            var weights = new double[alphabet.SizeWithEos];
            for (var s = 0; s < weights.Length; s++) weights[s] = random.NextDouble() < zeroShare ? 0 : -Math.Log(1 - random.NextDouble());
            if (weights.All(w => w == 0)) weights[random.Next(weights.Length)] = 1;
            var total = weights.Sum();
            return (history, weights.Select(w => w / total).ToArray());
        }));
    }
}
