using Workbench.Automata.NGrams;
using Workbench.Neural;
using Workbench.Neural.Architecture;
using Workbench.Neural.Constructions;
using Workbench.Proofs.Generators;
using static TorchSharp.torch;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P7.7 (Svete &amp; Cotterell 2024): a one-layer transformer with n − 1 unique-hard-attention heads represents
/// an n-gram LM: head i attends exactly to position t − i, a ReLU AND builds the one-hot history, and the
/// output layer holds the log conditionals.
/// </summary>
public static class P7_7_TransformersRepresentNGrams
{
    /// <summary>The longest string compared (the positional table covers it).</summary>
    public const int MaxLength = 15;

    /// <summary>Random n-grams (n ≤ 4, |Σ| ≤ 3, some zero conditionals) against their hard-attention transformer.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P7.7",
        "Transformers represent n-gram LMs: one layer with n − 1 hard-attention heads (head i uniquely attends to t − i), a ReLU AND for the history and log-probability outputs give log p equal to the n-gram's.",
        "§5.4 (transformers and n-gram LMs)",
        NGramInstances.Models(0.3),
        Check,
        defaultTrials: 30);

    private static void Check(NGramInstance instance)
    {
        NGramModel ngram = instance.Build();
        var network = NGramTransformerConstruction.Compile(ngram, AttentionKind.Hard, maxLength: MaxLength);
        var model = new NeuralLanguageModel(network);
        var random = new Random(instance.Seed);
        int heads = ngram.Order - 1;
        for (int trial = 0; trial < 10; trial++)
        {
            int[] y = Enumerable.Range(0, random.Next(MaxLength + 1)).Select(_ => random.Next(instance.AlphabetSize)).ToArray();
            double expected = ngram.LogProbability(y), actual = model.LogProbability(y);
            if (double.IsNegativeInfinity(expected))
                Require.That(Math.Exp(actual) == 0, $"p_ngram([{string.Join(' ', y)}]) = 0 but the transformer gives log p = {actual}");
            else
                Require.Close(expected, actual, 1e-9, $"log p of [{string.Join(' ', y)}]");
            using var noGrad = no_grad();
            var weights = network.AttentionWeights(tensor(y.Select(s => (long)s).ToArray(), dtype: ScalarType.Int64).view(1, -1))[0];
            for (int i = 0; i < heads; i++)
                for (int t = 0; t <= y.Length; t++)
                {
                    double[] row = weights[0, i, t].data<double>().ToArray();
                    int target = Math.Max(0, t - i);
                    Require.That(row[target] == 1 && row.Where((_, s) => s != target).All(w => w == 0),
                        Invariant($"head {i} at position {t} does not attend uniquely to position {target}"));
                }
        }
    }
}
