using Workbench.Formal.Symbols;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Semirings;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>P4.8: an n-gram LM is a deterministic PFSA on its (n−1)-histories, with at most Σ_{k&lt;n}|Σ|^k states.</summary>
public static class P4_8_NGramsAreFiniteState
{
    /// <summary>Random n-grams (n ≤ 4, |Σ| ≤ 3, zeros allowed): the PFSA's string probabilities against the n-gram's on Σ^{≤5}.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P4.8",
        "n-gram LMs are finite-state: the histories of n − 1 symbols (BOS-padded) are the states of a deterministic PFSA with the same string probabilities and at most Σ_{k<n}|Σ|^k states.",
        "§4.1 (n-gram LMs, p. 97)",
        NGramInstances.Models(0.5),
        Check);

    private static void Check(NGramInstance instance)
    {
        var ngram = instance.Build();
        var fsa = ngram.ToDeterministicPfsa();
        Require.That(fsa.IsDeterministic, "the n-gram's PFSA is not deterministic");
        var bound = Enumerable.Range(0, instance.Order).Sum(k => (int)Math.Pow(instance.AlphabetSize, k));
        Require.That(fsa.StateCount <= bound, $"{fsa.StateCount} states exceed Σ_{{k<n}}|Σ|^k = {bound}");
        var pfsa = new DeterministicPfsaLanguageModel<Real>(fsa);
        foreach (var y in Strings.UpTo(instance.AlphabetSize, 5))
        {
            // The n-gram's probability multiplied out from its conditional table.
            var history = ngram.InitialState;
            var log = 0.0;
            foreach (var symbol in y)
            {
                log += Math.Log(ngram.Conditional(history)[symbol]);
                if (double.IsNegativeInfinity(log)) break;
                history = ngram.Advance(history, symbol);
            }
            if (!double.IsNegativeInfinity(log)) log += Math.Log(ngram.Conditional(history)[ngram.Alphabet.Eos]);
            Require.Close(log, pfsa.LogProbability(y), 1e-12, $"log p({ngram.Alphabet.Format(y)})");
        }
    }
}
