using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Tokenization;
using Workbench.Formal.Symbols;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P8.13 (Gastaldi et al. 2024, exactness): κ(τ(x)) = x for BPE and Unigram on every string over their alphabet. A lossy
/// tokenizer — WordPiece with its unknown token — fails exactly on the strings with a word its greedy longest match cannot
/// cover, and the character model it induces from a source p, q(y) = Σ_{x : κ(τ(x)) = y} p(x), differs from p by exactly
/// the mass of those strings (in total variation, since the unknown token's text is outside the source's alphabet). A
/// lowercasing normaliser likewise fails exactly on the strings it changes, and its induced model is at total variation
/// from the source equal to their mass.
/// </summary>
public static class P8_13_ExactTokenizers
{
    /// <summary>Random corpora over {a, b, c}, random WordPiece vocabularies (word-initial and ## pieces), and a random source over the strings of length ≤ 4.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P8.13",
        "κ(τ(x)) = x for BPE and Unigram on every string of length ≤ 4 over their alphabet; WordPiece with an unknown token fails exactly where τ(x) holds [UNK], and its induced character model is at total variation from the source equal to the mass of those strings; a lowercasing BPE tokenizer fails exactly on the strings over {a, A, b, B} (length ≤ 3) that lowercasing changes, at total variation equal to their mass.",
        "notes Part 2 (tokenization); Gastaldi et al. 2024",
        Arb.From(
            from pieces in Gen.Elements("a", "b", "c", "##a", "##b", "##c", "ab", "##ab", "bc", "##bc", "abc").ListOf().Select(p => p.Distinct().ToArray())
            from weights in Gen.ArrayOf(Gen.Choose(0, 20), 121)
            from merges in Gen.Choose(0, 8)
            select (Pieces: pieces, Weights: weights, Merges: merges)),
        Check,
        defaultTrials: 60);

    private static void Check((string[] Pieces, int[] Weights, int Merges) instance)
    {
        var strings = Strings.UpTo(3, 4).Select(s => string.Concat(s.Select(i => "abc"[i]))).ToArray();
        var bpe = BpeTrainer.Train(["abcabc", "aabbcc", "cab"], 3 + instance.Merges, BaseUnits.Characters, PreTokenization.None).Tokenizer;
        var unigram = UnigramTrainer.Train(["abcabc", "aabbcc", "cab"], 8, BaseUnits.Characters, PreTokenization.None);
        foreach (var x in strings)
        {
            Require.That(bpe.Decode(bpe.Encode(x)) == x, $"BPE: κ(τ(\"{x}\")) ≠ \"{x}\"");
            Require.That(unigram.Decode(unigram.Encode(x)) == x, $"Unigram: κ(τ(\"{x}\")) ≠ \"{x}\"");
        }

        var wordPiece = new WordPieceTokenizer(BaseUnits.Characters, PreTokenization.None,
            [.. instance.Pieces.Select(p => new WordPiece([.. TextUnits.Of(p.TrimStart('#'), BaseUnits.Characters)], p.StartsWith("##", StringComparison.Ordinal)))]);
        var total = strings.Select((_, i) => (double)instance.Weights[i]).Sum();
        if (total == 0) return;
        var source = strings.Select((x, i) => (x, P: instance.Weights[i] / total)).ToArray();
        var induced = new Dictionary<string, double>();
        var lost = 0.0;
        foreach (var (x, p) in source)
        {
            var tokens = wordPiece.Encode(x);
            var y = wordPiece.Decode(tokens);
            Require.That((y != x) == tokens.Contains(wordPiece.Unknown), $"WordPiece on \"{x}\": κ(τ(x)) = \"{y}\" but τ(x) = [{string.Join(",", tokens)}]");
            induced[y] = induced.GetValueOrDefault(y) + p;
            if (y != x) lost += p;
        }
        Require.Close(lost, TotalVariation(source, induced), 1e-12, "the induced model's total variation from the source against the mass of the strings τ loses");

        var lowercasing = new NormalizedTokenizer(bpe, Normalization.Lowercase);
        var cased = Strings.UpTo(4, 3).Select(s => string.Concat(s.Select(i => "aAbB"[i]))).ToArray();
        var casedSource = cased.Select((x, i) => (x, P: instance.Weights[i] / (double)cased.Select((_, j) => instance.Weights[j]).Sum())).ToArray();
        if (double.IsNaN(casedSource[0].P)) return;
        var casedInduced = new Dictionary<string, double>();
        var changed = 0.0;
        foreach (var (x, p) in casedSource)
        {
            var y = lowercasing.Decode(lowercasing.Encode(x));
            var normal = NormalizedTokenizer.Normalize(x, Normalization.Lowercase) == x;
            Require.That((y == x) == normal, $"lowercasing BPE on \"{x}\": κ(τ(x)) = \"{y}\"");
            casedInduced[y] = casedInduced.GetValueOrDefault(y) + p;
            if (!normal) changed += p;
        }
        Require.Close(changed, TotalVariation(casedSource, casedInduced), 1e-12, "the lowercasing tokenizer's induced model's total variation against the mass lowercasing changes");
    }

    private static double TotalVariation((string x, double P)[] source, Dictionary<string, double> induced) =>
        0.5 * source.Select(e => e.x).Union(induced.Keys).Sum(y => Math.Abs(induced.GetValueOrDefault(y) - source.FirstOrDefault(e => e.x == y).P));
}
