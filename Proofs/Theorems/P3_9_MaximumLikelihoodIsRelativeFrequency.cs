using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.NGrams;
using Workbench.Formal.Generation;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P3.9: the maximum-likelihood estimate of a count-based model (here an n-gram) is relative frequency: at the estimate
/// the gradient of the log-likelihood is constant on each history's observed support (c(h, ȳ)/θ(ȳ | h) = c(h), so its
/// projection onto the simplex vanishes), unobserved continuations get 0, and no feasible perturbation raises the likelihood.
/// </summary>
public static class P3_9_MaximumLikelihoodIsRelativeFrequency
{
    /// <summary>Corpora sampled from random n-grams (order ≤ 3), estimated by MLE and perturbed within the simplex.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P3.9",
        "The MLE of a count-based model is relative frequency: c(h, ȳ)/θ̂(ȳ | h) = c(h) on the observed support (the projected gradient is 0), unobserved continuations have θ̂ = 0, and no random feasible perturbation raises the log-likelihood.",
        "§3.2 (maximum likelihood estimation)",
        Arb.From(
            from model in NGramInstances.Models(0.3).Generator
            from size in Gen.Choose(1, 40)
            from seed in Gen.Choose(0, int.MaxValue - 1)
            select (Model: model with { Order = Math.Min(model.Order, 3) }, Size: size, Seed: seed)),
        Check, defaultTrials: 60);

    private static void Check((NGramInstance Model, int Size, int Seed) instance)
    {
        var source = instance.Model.Build();
        var corpus = AncestralSampler.SampleMany(source, instance.Size, instance.Seed, 60).Where(s => !s.Truncated).Select(s => s.Symbols).ToArray();
        if (corpus.Length == 0) return;
        var estimate = NGramEstimation.MaximumLikelihood(source.Alphabet, source.Order, corpus);
        // Counts by history, walked through the estimate's own states (a history's state is its index).
        var counts = new Dictionary<int, double[]>();
        foreach (var y in corpus)
        {
            var state = estimate.InitialState;
            foreach (var symbol in y.Append(source.Alphabet.Eos))
            {
                if (!counts.TryGetValue(state, out var row)) counts[state] = row = new double[source.Alphabet.SizeWithEos];
                row[symbol]++;
                if (symbol != source.Alphabet.Eos) state = estimate.Advance(state, symbol);
            }
        }
        foreach (var (state, row) in counts)
        {
            var theta = estimate.Conditional(state);
            var total = row.Sum();
            for (var a = 0; a < row.Length; a++)
                if (row[a] > 0) Require.Close(total, row[a] / theta[a], 1e-12, $"c(h, ȳ)/θ̂(ȳ | h) for history {state}, ȳ = {a}");
                else Require.That(theta[a] == 0, $"an unobserved continuation {a} of history {state} has θ̂ = {theta[a]}");
        }
        var likelihood = corpus.Sum(y => estimate.LogProbability(y));
        var random = new Random(instance.Seed);
        for (var trial = 0; trial < 5; trial++)
        {
            var epsilon = random.NextDouble() * 0.3;
            var perturbed = estimate.WithConditionals((_, p) =>
            {
                var direction = Numbers.DirichletPoint(random, p.Length);
                return p.Select((v, a) => (1 - epsilon) * v + epsilon * direction[a]).ToArray();
            });
            Require.AtMost(corpus.Sum(y => perturbed.LogProbability(y)), likelihood, 1e-9 * Math.Max(1, Math.Abs(likelihood)), $"a perturbation by ε = {epsilon:G3} raised the log-likelihood");
        }
    }
}
