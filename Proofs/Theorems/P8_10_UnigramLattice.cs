using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.Distributions;
using Workbench.Automata.Tokenization;
using Workbench.Formal.Symbols;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P8.10: the unigram tokenizer's segmentations of x are the paths of an acyclic lattice, so the forward pass is the
/// exact marginal Σ_s ∏ p(sᵢ), the Viterbi path is the most probable segmentation, and backward sampling from the
/// forward weights draws exactly from p(s | x).
/// </summary>
public static class P8_10_UnigramLattice
{
    private const int Samples = 3000;
    private const double Alpha = 1e-7;

    /// <summary>Random piece sets over {a, b} (every single letter, some longer pieces) with random probabilities, and random strings.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P8.10",
        "Unigram: the lattice forward pass equals the brute-force sum over all segmentations of x, the Viterbi segmentation has the largest weight among them, κ of it is x, and backward sampling passes a G-test against p(s | x).",
        "notes Part 2 (tokenization); Kudo 2018",
        Arb.From(
            from pieces in Gen.Elements("aa", "ab", "ba", "bb", "aab", "abb", "bab", "aaa", "abab").ListOf().Select(p => p.Distinct().ToArray())
            from weights in Gen.ArrayOf(Gen.Choose(1, 100), 11)
            from length in Gen.Choose(1, 7)
            from seed in Gen.Choose(0, int.MaxValue - 1)
            select (Pieces: pieces, Weights: weights, Length: length, Seed: seed)),
        Check,
        defaultTrials: 40);

    private static void Check((string[] Pieces, int[] Weights, int Length, int Seed) instance)
    {
        string[] all = ["a", "b", .. instance.Pieces];
        var total = all.Select((_, i) => (double)instance.Weights[i]).Sum();
        var tokenizer = new UnigramTokenizer(BaseUnits.Characters, PreTokenization.None,
            [.. all.Select((p, i) => (TextUnits.Of(p, BaseUnits.Characters), instance.Weights[i] / total))]);
        var random = new Random(instance.Seed);
        var text = string.Concat(Enumerable.Range(0, instance.Length).Select(_ => random.Next(2) == 0 ? 'a' : 'b'));
        var units = TextUnits.Of(text, BaseUnits.Characters);
        var segmentations = tokenizer.AllSegmentations(units).ToArray();
        double Weight(int[] s) => s.Sum(p => tokenizer.LogProbabilities[p]);
        var brute = segmentations.Sum(s => Math.Exp(Weight(s)));
        Require.Close(brute, Math.Exp(tokenizer.LogMarginal(text)), 1e-12 * brute, $"marginal of \"{text}\"");
        var viterbi = tokenizer.Encode(text);
        Require.That(tokenizer.Decode(viterbi) == text, $"κ(Viterbi(\"{text}\")) ≠ \"{text}\"");
        Require.AtMost(segmentations.Max(Weight), Weight(viterbi), 1e-12, $"the Viterbi segmentation of \"{text}\" is not the most probable");

        if (segmentations.Length < 2) return;
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < Samples; i++)
        {
            var key = string.Join(",", tokenizer.Sample(text, random));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        var g = 0.0;
        foreach (var s in segmentations)
        {
            var observed = counts.GetValueOrDefault(string.Join(",", s));
            if (observed > 0) g += 2 * observed * Math.Log(observed / (Samples * Math.Exp(Weight(s)) / brute));
        }
        Require.That(counts.Keys.All(k => segmentations.Any(s => string.Join(",", s) == k)), "a sample is not a segmentation");
        var pValue = 1 - ChiSquared.CDF(segmentations.Length - 1, g);
        Require.That(pValue >= Alpha, $"G = {g:G6} on {segmentations.Length - 1} degrees of freedom (p = {pValue:G3}) for \"{text}\"");
    }
}
