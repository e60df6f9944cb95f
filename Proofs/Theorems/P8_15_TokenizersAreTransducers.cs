using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Operations;
using Workbench.Automata.Tokenization;
using Workbench.Formal.Symbols;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P8.15 (Berglund et al. 2024; Cognetta &amp; Okazaki 2024): tokenizers are finite-state transductions. BPE's τ is κ⁻¹
/// restricted to canonical token strings, WordPiece's greedy longest match is a functional transducer, and the Unigram
/// lattice is a weighted one; with or without whitespace pre-tokenization.
/// </summary>
public static class P8_15_TokenizersAreTransducers
{
    private static readonly string[] WordPieces = ["a", "b", " ", "##a", "##b", "ab", "##ab", " a", "##b ", "ba", "##ba", "aab", "##  "];
    private static readonly string[] UnigramPieces = ["ab", "ba", " a", "a b", "aa", "b ", "bab", " ab"];

    /// <summary>Random corpora and piece sets over {a, b, space}, with and without whitespace pre-tokenization.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P8.15",
        "Each tokenizer's encoder transducer is exact on every string of length ≤ 5 over {a, b, space} that its alphabet has and on random strings over its whole alphabet: BPE's (κ⁻¹ ∘ canonical filter), WordPiece's and a lowercasing BPE's (on strings over {a, A, B, space}) write exactly τ(x) with weight 1 and nothing else; the Unigram lattice's paths on x sum to the marginal and its heaviest output is τ(x), of weight ∏ p(τᵢ).",
        "notes Part 2 (tokenization); Berglund et al. 2024, Cognetta & Okazaki 2024",
        Arb.From(
            from lines in Gen.Elements("a", "b", " ", "ab", "ba", "aab", " a").ListOf().Select(p => string.Concat(p)).ListOf()
            from merges in Gen.Choose(0, 6)
            from words in Gen.Elements(false, true)
            from pieces in Gen.Elements(WordPieces).ListOf().Select(p => p.Distinct().ToArray())
            from unigram in Gen.Elements(UnigramPieces).ListOf().Select(p => p.Distinct().ToArray())
            from weights in Gen.ArrayOf(Gen.Choose(1, 50), UnigramPieces.Length + 3)
            from seed in Gen.Choose(0, int.MaxValue - 1)
            select (Lines: lines.Where(l => l.Length > 0).Append("ab a").ToArray(), Merges: merges, Words: words, Pieces: pieces, Unigram: unigram, Weights: weights, Seed: seed)),
        Check,
        defaultTrials: 40);

    private static void Check((string[] Lines, int Merges, bool Words, string[] Pieces, string[] Unigram, int[] Weights, int Seed) instance)
    {
        var mode = instance.Words ? PreTokenization.Whitespace : PreTokenization.None;
        var bpe = BpeTrainer.Train(instance.Lines, 3 + instance.Merges, BaseUnits.Characters, mode).Tokenizer;
        var wordPiece = new WordPieceTokenizer(BaseUnits.Characters, mode,
            [.. instance.Pieces.Select(p => new WordPiece([.. TextUnits.Of(p.StartsWith("##", StringComparison.Ordinal) ? p[2..] : p, BaseUnits.Characters)], p.StartsWith("##", StringComparison.Ordinal)))]);
        string[] unigramPieces = ["a", "b", " ", .. instance.Unigram];
        var total = unigramPieces.Select((_, i) => (double)instance.Weights[i]).Sum();
        var unigram = new UnigramTokenizer(BaseUnits.Characters, mode, [.. unigramPieces.Select((p, i) => (TextUnits.Of(p, BaseUnits.Characters), instance.Weights[i] / total))]);

        var random = new Random(instance.Seed);
        var texts = Strings.UpTo(3, 5).Select(s => string.Concat(s.Select(i => "ab "[i]))).ToList();
        var lowercasing = new NormalizedTokenizer(bpe, Normalization.Lowercase);
        var lowercasingTransducer = lowercasing.EncoderTransducer();
        foreach (var text in Strings.UpTo(4, 4).Select(s => string.Concat(s.Select(i => "aAB "[i]))))
        {
            var outputs = TransducerApplication.Apply(lowercasingTransducer, [.. text.Select(c => lowercasingTransducer.InputAlphabet.IdOf(CharacterModel.SymbolName(c, BaseUnits.Characters)))]);
            Require.That(outputs.Count == 1 && outputs.Values.Single().Output.SequenceEqual(lowercasing.Encode(text)), $"lowercasing BPE on \"{text}\": the transducer writes {Describe(outputs)}");
        }
        foreach (var tokenizer in new ITokenizer[] { bpe, wordPiece })
        {
            var transducer = tokenizer.EncoderTransducer();
            foreach (var text in texts.Where(t => t.All(c => tokenizer.BaseSymbols.Contains(c))).Concat(RandomTexts(tokenizer, random)))
            {
                var outputs = TransducerApplication.Apply(transducer, Symbols(tokenizer, text));
                var expected = tokenizer.Encode(text);
                Require.That(outputs.Count == 1 && outputs.Values.Single().Output.SequenceEqual(expected) && outputs.Values.Single().Weight.Value == 1,
                    $"{tokenizer.GetType().Name} on \"{text}\": τ = [{string.Join(",", expected)}], the transducer writes {Describe(outputs)}");
            }
        }

        var lattice = unigram.EncoderTransducer();
        foreach (var text in texts)
        {
            var outputs = TransducerApplication.Apply(lattice, Symbols(unigram, text));
            var marginal = Math.Exp(unigram.LogMarginal(text));
            Require.Close(marginal, outputs.Values.Sum(o => o.Weight.Value), 1e-12 * marginal, $"Unigram on \"{text}\": the lattice's paths against the marginal");
            var best = unigram.Encode(text);
            var bestWeight = Math.Exp(best.Sum(p => unigram.LogProbabilities[p]));
            Require.That(outputs.TryGetValue(string.Join(" ", best), out var found), $"Unigram on \"{text}\": the lattice has no path writing τ(x)");
            Require.Close(bestWeight, found.Weight.Value, 1e-12 * bestWeight, $"Unigram on \"{text}\": the weight of τ(x)");
            Require.That(outputs.Values.All(o => o.Weight.Value <= bestWeight * (1 + 1e-12)), $"Unigram on \"{text}\": a path heavier than τ(x)");
        }
    }

    // A few strings over the whole base alphabet (the unknown token's characters included), up to 8 symbols.
    private static IEnumerable<string> RandomTexts(ITokenizer tokenizer, Random random) =>
        Enumerable.Range(0, 30).Select(_ => TextUnits.Text(
            [.. Enumerable.Range(0, random.Next(9)).Select(_ => tokenizer.BaseSymbols[random.Next(tokenizer.BaseSymbols.Length)])], tokenizer.Units));

    private static int[] Symbols(ITokenizer tokenizer, string text) =>
        [.. TextUnits.Of(text, tokenizer.Units).Select(u => tokenizer.BaseSymbols.IndexOf(u))];

    private static string Describe(IReadOnlyDictionary<string, (int[] Output, Workbench.Formal.Semirings.Real Weight)> outputs) =>
        outputs.Count == 0 ? "nothing" : string.Join("; ", outputs.Values.Select(o => $"[{string.Join(",", o.Output)}] with weight {o.Weight.Value}"));
}
