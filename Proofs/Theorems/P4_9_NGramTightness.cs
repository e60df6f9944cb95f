using Workbench.Automata.NGrams;
using Workbench.Automata.Pfsa;
using Workbench.Formal.LanguageModels;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P4.9: an n-gram LM's tightness is the PFSA criterion on its automaton; in particular a reachable
/// closed set of histories that never emits EOS makes it non-tight.
/// </summary>
public static class P4_9_NGramTightness
{
    /// <summary>Random n-grams with EOS everywhere (tight) against the same model with an absorbing history a^{n−1} (not tight).</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P4.9",
        "An n-gram LM is tight iff its PFSA is (every reachable history can reach EOS); a reachable closed set of histories without EOS, such as aⁿ⁻¹ → a with probability 1, makes it leak.",
        "§4.1 (tightness of n-gram LMs; Du et al. 2023)",
        NGramInstances.Models(0),
        Check);

    private static void Check(NGramInstance instance)
    {
        var ngram = instance.Build();
        var report = PfsaTightness.Analyze(ngram.ToDeterministicPfsa());
        Require.That(report.Verdict == TightnessVerdict.Tight, $"an n-gram with p(EOS | h) > 0 everywhere is reported {report.Verdict}");
        if (instance.Order < 2) return;

        // Make a^{n−1} absorbing: p(a | a^{n−1}) = 1. Every other conditional keeps a > 0, so a^{n−1} is reachable.
        var alphabet = ngram.Alphabet;
        var trap = Enumerable.Repeat(0, instance.Order - 1).ToArray();
        var absorbing = new double[alphabet.SizeWithEos];
        absorbing[0] = 1;
        var leaky = new NGramModel(alphabet, instance.Order, ngram.Histories.Select((h, i) =>
            (h, h.AsSpan().SequenceEqual(trap) ? absorbing : ngram.Conditional(i).ToArray())));
        var leakyReport = PfsaTightness.Analyze(leaky.ToDeterministicPfsa());
        Require.That(leakyReport.Verdict == TightnessVerdict.NotTight, $"the n-gram with the absorbing history a^{instance.Order - 1} is reported {leakyReport.Verdict}");
        Require.That(leakyReport.Mass < 1, $"its finite-string mass is {leakyReport.Mass}");
    }
}
