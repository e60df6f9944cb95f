using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.Distributions;
using Workbench.Formal.Generation;
using Workbench.Formal.Models;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P8.2: ancestral sampling draws exact samples from p; for a non-tight model the share of draws cut by a
/// cap of T symbols is P(|y| &gt; T), which tends to the leaked mass.
/// </summary>
public static class P8_2_AncestralSamplingIsExact
{
    /// <summary>Per-instance significance level: a correct sampler fails one check in ten million.</summary>
    private const double Alpha = 1e-7;

    private const int Samples = 4000;

    private static readonly UnaryLanguageModel Leaky = new(EosSchedule.InverseSquare());

    /// <summary>A G-test of sampled against exact string frequencies on random tables, and a binomial test of the cap-hit rate of the leaky model.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P8.2",
        "Ancestral sampling draws exact samples from p (G-test of frequencies against p, α = 1e-7 per instance); for a non-tight model the share of draws cut by a cap of T symbols is P(|y| > T), which tends to the leaked mass.",
        "§2.4 and the lecture on decoding (ancestral sampling)",
        Arb.From(
            from table in Tables.Instances().Generator
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from cap in Gen.Choose(1, 40)
            select (table, seed, cap)),
        Check,
        defaultTrials: 50);

    private static void Check((TableInstance Table, int Seed, int Cap) instance)
    {
        var (table, seed, cap) = instance;
        var model = table.Model();
        var counts = new Dictionary<string, int>();
        foreach (var sample in AncestralSampler.SampleMany(model, Samples, seed, table.MaxLength + 1))
        {
            var key = model.Alphabet.Format(sample.Symbols);
            Require.That(!sample.Truncated && !double.IsNegativeInfinity(model.LogProbability(sample.Symbols)), $"sample {key} is outside the support");
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        var g = 0.0;
        foreach (var (symbols, p) in model.Entries)
        {
            var observed = counts.GetValueOrDefault(model.Alphabet.Format(symbols));
            if (observed > 0) g += 2 * observed * Math.Log(observed / (Samples * p));
        }
        if (model.Entries.Count > 1)
        {
            var pValue = 1 - ChiSquared.CDF(model.Entries.Count - 1, g);
            Require.That(pValue >= Alpha, $"G = {g:G6} on {model.Entries.Count - 1} degrees of freedom (p = {pValue:G3}) with seed {seed}");
        }

        var hits = AncestralSampler.SampleMany(Leaky, Samples, seed, cap).Count(s => s.Truncated);
        // A draw capped at T symbols is truncated exactly when |y| ≥ T + 1.
        var expected = Math.Exp(Leaky.LogPrefixProbability(new int[cap + 1]));
        var z = (hits - Samples * expected) / Math.Sqrt(Samples * expected * (1 - expected));
        Require.That(Math.Abs(z) <= Normal.InvCDF(0, 1, 1 - Alpha / 2),
            $"{hits} of {Samples} draws of the 1/(t+2)² model ran past {cap} symbols; P(|y| > {cap}) = {expected:G6} (z = {z:G3})");
    }
}
