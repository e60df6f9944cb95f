using FsCheck;
using FsCheck.Fluent;

namespace Workbench.Proofs.Generators;

/// <summary>Generators and shrinkers of score vectors and finite distributions.</summary>
public static class Vectors
{
    /// <summary>Score (logit) vectors with entries in [−scale, scale], shrinking to fewer and rounder entries.</summary>
    public static Arbitrary<double[]> Logits(int minLength, int maxLength, double scale) =>
        Arb.From(
            Gen.Choose(minLength, maxLength).SelectMany(n => Gen.ArrayOf(Numbers.Between(-scale, scale), n)),
            v => Shrink(v, minLength, normalise: false));

    /// <summary>
    /// Probability vectors (normalised integer weights in [0, 1000], or [1, 1000] without zeros), at
    /// least one entry positive; shrinking drops entries and renormalises.
    /// </summary>
    public static Arbitrary<double[]> Distributions(int minLength, int maxLength, bool allowZeros) =>
        Arb.From(
            Gen.Choose(minLength, maxLength)
                .SelectMany(n => Gen.ArrayOf(Gen.Choose(allowZeros ? 0 : 1, 1000), n))
                .Where(w => w.Any(x => x > 0))
                .Select(w => Normalise(w.Select(x => (double)x).ToArray())),
            v => Shrink(v, minLength, normalise: true));

    /// <summary>Divides by the sum.</summary>
    public static double[] Normalise(double[] weights)
    {
        var sum = weights.Sum();
        return weights.Select(w => w / sum).ToArray();
    }

    private static IEnumerable<double[]> Shrink(double[] vector, int minLength, bool normalise)
    {
        if (vector.Length > minLength)
            for (var i = 0; i < vector.Length; i++)
            {
                var shorter = vector.Where((_, j) => j != i).ToArray();
                if (!normalise) yield return shorter;
                else if (shorter.Any(x => x > 0)) yield return Normalise(shorter);
            }
        var rounded = vector.Select(x => Math.Round(x, 1)).ToArray();
        if (!rounded.SequenceEqual(vector) && (!normalise || rounded.Any(x => x > 0)))
            yield return normalise ? Normalise(rounded) : rounded;
    }
}
