using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Tokenization;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P8.14 (Kozma &amp; Voderholzer 2024; the question of Zouhar et al. 2023): the compression utility of k BPE merges — the
/// number of symbols they remove from the text — is at least a third of the best utility any sequence of k merges
/// achieves (the optimal pair encoding, found here by exhaustive search; the problem is APX-complete). Their worst case
/// lies between 0.333 and 0.625. Their greedy step takes the pair with the most non-overlapping occurrences; the
/// workbench's trainer, like the common implementations, counts adjacent occurrences, overlaps included, and the bound
/// is checked for it.
/// </summary>
public static class P8_14_BpeCompressionBound
{
    /// <summary>Random texts of up to 12 symbols over {a, b, c} and 1–3 merges.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P8.14",
        "BPE approximates optimal pair encoding: the symbols k greedy merges remove from a text are at least 1/3 of what the best sequence of k merges removes (exhaustive search on texts of ≤ 12 symbols, k ≤ 3).",
        "notes Part 2 (tokenization); Zouhar et al. 2023, Kozma & Voderholzer 2024",
        Arb.From(
            from symbols in Gen.ArrayOf(Gen.Elements('a', 'a', 'b', 'c'), 12)
            from length in Gen.Choose(2, 12)
            from merges in Gen.Choose(1, 3)
            select (Text: new string(symbols[..length]), Merges: merges)),
        Check,
        defaultTrials: 80);

    private static void Check((string Text, int Merges) instance)
    {
        var units = TextUnits.Of(instance.Text, BaseUnits.Characters);
        var alphabet = units.Distinct().Count();
        var trained = BpeTrainer.Train([instance.Text], alphabet + instance.Merges, BaseUnits.Characters, PreTokenization.None);
        var greedy = trained.InitialLength - trained.FinalLength;
        var symbols = units.Select(u => (long)u).ToArray();
        var optimal = Best(symbols, instance.Merges, nextId: 1L << 32);
        Require.That(3 * greedy >= optimal, $"\"{instance.Text}\" with {instance.Merges} merges: BPE removes {greedy} symbols, the optimum {optimal}");
    }

    // The most symbols k merges can remove: every adjacent pair present, merged left to right without overlaps, recursively.
    private static long Best(long[] text, int merges, long nextId)
    {
        if (merges == 0 || text.Length < 2) return 0;
        long best = 0;
        foreach (var (left, right) in Enumerable.Range(0, text.Length - 1).Select(i => (text[i], text[i + 1])).Distinct())
        {
            var merged = new List<long>(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                if (i + 1 < text.Length && text[i] == left && text[i + 1] == right)
                {
                    merged.Add(nextId);
                    i++;
                }
                else merged.Add(text[i]);
            }
            best = Math.Max(best, text.Length - merged.Count + Best([.. merged], merges - 1, nextId + 1));
        }
        return best;
    }
}
