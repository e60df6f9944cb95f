using Workbench.Formal.Symbols;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>P4.10: the support of an n-gram LM is a strictly n-local language.</summary>
public static class P4_10_NGramSupportIsStrictlyLocal
{
    /// <summary>Random zero-masked n-grams: p(y) &gt; 0 exactly when every n-gram window of BOS^{n−1}·y·EOS is permitted, over Σ^{≤6}.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P4.10",
        "The support of an n-gram LM is strictly n-local (SLₙ): p(y) > 0 iff every window of n symbols of BOS^{n−1}·y·EOS is a permitted n-gram (has positive conditional probability).",
        "§4.1 (strictly local languages, p. 101)",
        NGramInstances.Models(0.6),
        Check);

    private static void Check(NGramInstance instance)
    {
        var ngram = instance.Build();
        var alphabet = ngram.Alphabet;
        var permitted = new HashSet<string>();
        for (var h = 0; h < ngram.Histories.Count; h++)
            for (var s = 0; s < alphabet.SizeWithEos; s++)
                if (ngram.Conditional(h)[s] > 0) permitted.Add(string.Join(",", [.. ngram.Histories[h], s]));
        foreach (var y in Strings.UpTo(instance.AlphabetSize, 6))
        {
            int[] padded = [.. Enumerable.Repeat(alphabet.Bos, instance.Order - 1), .. y, alphabet.Eos];
            var local = Enumerable.Range(0, padded.Length - instance.Order + 1)
                .All(i => permitted.Contains(string.Join(",", padded[i..(i + instance.Order)])));
            var positive = ngram.LogProbability(y) > double.NegativeInfinity;
            Require.That(local == positive, $"{alphabet.Format(y)}: strictly local = {local}, p(y) > 0 = {positive}");
        }
    }
}
