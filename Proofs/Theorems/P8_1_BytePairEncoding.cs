using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Tokenization;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P8.1: byte-pair encoding. Training repeatedly merges the most frequent adjacent pair; the tokenization is lossless
/// (decode(encode(x)) = x), each merge adds exactly one token, each merge shortens the corpus by its number of
/// non-overlapping occurrences (a run "aaa" holds the pair (a, a) twice but loses one token), and applying the learned
/// merges in order reproduces the training segmentation.
/// </summary>
public static class P8_1_BytePairEncoding
{
    /// <summary>Random corpora over a few letters with long runs (so merges overlap), in character and byte mode, with and without pre-tokenization.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P8.1",
        "BPE: decode(encode(x)) = x for every x over the alphabet; |V| grows by exactly one per merge; each merge lowers the corpus length by its count of non-overlapping occurrences; applying the learned merges in order reproduces the training segmentation.",
        "notes Part 2 (tokenization); lecture on BPE",
        Arb.From(
            from lines in Gen.ListOf(Gen.Elements("a", "b", "c", "aa", "aaa", " ", "é", "ab").ListOf().Select(parts => string.Concat(parts)))
            from merges in Gen.Choose(0, 30)
            from bytes in Gen.Elements(false, true)
            from words in Gen.Elements(false, true)
            select (Lines: lines.Where(l => l.Length > 0).Append("aaab").ToArray(), Merges: merges, Bytes: bytes, Words: words)),
        Check);

    private static void Check((string[] Lines, int Merges, bool Bytes, bool Words) instance)
    {
        var units = instance.Bytes ? BaseUnits.Bytes : BaseUnits.Characters;
        var preTokenization = instance.Words ? PreTokenization.Whitespace : PreTokenization.None;
        var baseCount = instance.Bytes ? 256 : instance.Lines.SelectMany(l => TextUnits.Of(l, units)).Distinct().Count();
        var result = BpeTrainer.Train(instance.Lines, baseCount + instance.Merges, units, preTokenization);
        var tokenizer = result.Tokenizer;

        Require.That(tokenizer.VocabularySize == baseCount + result.History.Count, $"|V| = {tokenizer.VocabularySize} after {result.History.Count} merges on {baseCount} base symbols");
        for (var k = 0; k < result.History.Count; k++)
            Require.That(result.History[k].Merge.Result == baseCount + k, $"merge {k} made token {result.History[k].Merge.Result}, not a new one");

        var length = result.InitialLength;
        foreach (var record in result.History)
        {
            Require.That(record.Occurrences >= 1 && record.Occurrences <= record.PairCount, $"merge {record.Merge} replaced {record.Occurrences} of {record.PairCount} adjacent occurrences");
            length -= record.Occurrences;
        }
        var segmented = result.Segmentation.Sum(p => (long)p.Value.Length * CountOf(instance.Lines, p.Key, preTokenization));
        Require.That(length == result.FinalLength && segmented == result.FinalLength, $"corpus length {result.InitialLength} − Σ occurrences = {length}, training segmentation {segmented}, reported {result.FinalLength}");

        foreach (var (segment, tokens) in result.Segmentation)
            Require.That(tokenizer.Encode(segment).SequenceEqual(tokens), $"encoding \"{segment}\" with the learned merges differs from its training segmentation");
        foreach (var line in instance.Lines.Append(string.Concat(instance.Lines.Reverse())))
            Require.That(tokenizer.Decode(tokenizer.Encode(line)) == line, $"decode(encode(\"{line}\")) ≠ \"{line}\"");
    }

    private static long CountOf(string[] lines, string segment, PreTokenization mode) =>
        lines.Sum(line => TextUnits.Segments(line, mode).LongCount(s => s == segment));
}
