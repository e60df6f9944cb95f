using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.NGrams;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Generation;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P3.10: maximum likelihood is consistent: for a well-specified n-gram source, KL(p* ‖ p̂_N) → 0 like d/(2N), with d
/// the number of free parameters. Checked with the exact KL between the source's and the estimate's deterministic PFSAs
/// at two corpus sizes: the larger one must be closer, and N·KL must stay below 10·d (a χ²_d/2 quantity, so the bound
/// fails with negligible probability).
/// </summary>
public static class P3_10_MaximumLikelihoodIsConsistent
{
    private const int Small = 300;
    private const int Large = 15_000;

    /// <summary>Random unigram and bigram sources with every conditional at least 0.3/|Σ̄| (so every event is seen at the larger size).</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P3.10",
        "MLE is consistent: the exact KL(p* ‖ p̂_N) of an n-gram estimate falls with the corpus size N, and N·KL(p* ‖ p̂_N) ≤ 10·d for d free parameters (it concentrates near d/2).",
        "§3.2 (maximum likelihood estimation; consistency)",
        Arb.From(
            from model in NGramInstances.Models(0).Generator
            from seed in Gen.Choose(0, int.MaxValue - 1)
            select (Model: model with { Order = Math.Min(model.Order, 2) }, Seed: seed)),
        Check, defaultTrials: 12);

    private static void Check((NGramInstance Model, int Seed) instance)
    {
        var raw = instance.Model.Build();
        var floor = 0.3 / raw.Alphabet.SizeWithEos;
        var source = raw.WithConditionals((_, p) => p.Select(v => 0.7 * v + floor).ToArray());
        var truth = source.ToDeterministicPfsa();
        var parameters = source.Histories.Count * (source.Alphabet.SizeWithEos - 1.0);
        var corpus = AncestralSampler.SampleMany(source, Large, instance.Seed, 10_000).Select(s => s.Symbols).ToArray();
        double Kl(int size) => PfsaDivergences.KullbackLeibler(truth, NGramEstimation.MaximumLikelihood(source.Alphabet, source.Order, corpus.Take(size)).ToDeterministicPfsa()).Value;
        var large = Kl(Large);
        Require.That(double.IsFinite(large), $"KL(p* ‖ p̂) is {large} at N = {Large}");
        Require.AtMost(Large * large, 10 * parameters, 0, $"N·KL at N = {Large} against 10·d (d = {parameters})");
        Require.AtMost(large, Kl(Small), 0, $"KL at N = {Large} against N = {Small}");
    }
}
