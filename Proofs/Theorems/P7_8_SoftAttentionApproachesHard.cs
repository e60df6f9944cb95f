using TorchSharp;
using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Generators;
using Workbench.Neural;
using Workbench.Neural.Architecture;
using Workbench.Neural.Constructions;
using static TorchSharp.torch;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P7.8: soft attention approaches hard attention as the score scale β grows: with a score gap Δ, the
/// softmax mass off the unique argmax is at most (t − 1)e^{−βΔ} over t visible positions, so the n-gram
/// transformer of P7.7 with soft attention converges to the n-gram, exponentially fast in β.
/// </summary>
public static class P7_8_SoftAttentionApproachesHard
{
    /// <summary>The multiples of 1/Δ at which β is tried.</summary>
    public static IReadOnlyList<double> GapMultiples { get; } = [0.5, 1, 2, 4, 8, 16, 32, 64];

    /// <summary>Random n-grams without zeros (n in 2..4) and strings: the mass bound at every β, and errors that fall with β.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P7.8",
        "Soft attention at scale β puts at most (t − 1)e^{−βΔ} off the unique argmax (Δ the score gap), so the soft n-gram transformer's log-probability error falls exponentially with β.",
        "§5.4 (soft attention approximates hard attention)",
        Arb.From(
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from order in Gen.Choose(2, 4)
            from size in Gen.Choose(1, 3)
            select (seed, order, size)),
        Check,
        defaultTrials: 15);

    /// <summary>
    /// The largest |log p_soft(y) − log p_ngram(y)| over the strings at each β = k/Δ (k from
    /// <see cref="GapMultiples"/>), Δ the smallest score gap up to the longest string's length.
    /// </summary>
    public static double[] Errors(Automata.NGrams.NGramModel ngram, IReadOnlyList<int[]> strings, int maxLength, Action<double, int[], Tensor>? inspectWeights = null)
    {
        double gap = NGramTransformerConstruction.ScoreGap(Math.Max(1, strings.Max(s => s.Length)));
        return GapMultiples.Select(k =>
        {
            double beta = k / gap;
            var network = NGramTransformerConstruction.Compile(ngram, AttentionKind.Soft, beta, maxLength);
            var model = new NeuralLanguageModel(network);
            double[] scores = model.LogProbabilities(strings);
            if (inspectWeights is not null)
                using (no_grad())
                    foreach (int[] y in strings)
                        inspectWeights(beta * gap, y, network.AttentionWeights(tensor(y.Select(s => (long)s).ToArray(), dtype: ScalarType.Int64).view(1, -1))[0]);
            return strings.Select((y, i) => Math.Abs(scores[i] - ngram.LogProbability(y))).Max();
        }).ToArray();
    }

    private static void Check((int Seed, int Order, int Size) instance)
    {
        var random = new Random(instance.Seed);
        var ngram = RandomNGrams.Model(random, instance.Order, instance.Size, 0);
        const int maxLength = P7_7_TransformersRepresentNGrams.MaxLength;
        int[][] strings = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, 1 + random.Next(maxLength)).Select(_ => random.Next(instance.Size)).ToArray()).ToArray();
        double[] errors = Errors(ngram, strings, maxLength, (betaGap, y, weights) =>
        {
            for (int i = 0; i < instance.Order - 1; i++)
                for (int t = 0; t <= y.Length; t++)
                {
                    double offTarget = 1 - weights[0, i, t, Math.Max(0, t - i)].ToDouble();
                    Require.AtMost(offTarget, t * Math.Exp(-betaGap), 1e-12, Invariant($"mass off the argmax of head {i} at position {t} (βΔ = {betaGap:G4}) against (t − 1)e^(−βΔ) over {t + 1} positions"));
                }
        });
        // Below βΔ ≈ 1 errors of different positions can still cancel; from βΔ = 2 on the decay is monotone.
        for (int k = 1; k < errors.Length; k++)
            if (GapMultiples[k - 1] >= 2)
                Require.AtMost(errors[k], errors[k - 1], 1e-11, Invariant($"the log-probability error at βΔ = {GapMultiples[k]} against βΔ = {GapMultiples[k - 1]}"));
        Require.AtMost(errors[^1], 1e-9, 0, Invariant($"the log-probability error at βΔ = {GapMultiples[^1]}"));
    }
}
