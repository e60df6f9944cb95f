using Workbench.Automata.Tokenization;
using Workbench.Formal.Errors;

namespace Workbench.Automata.Tests;

/// <summary>The refusals, orderings and boundaries of the Unigram and WordPiece tokenizers, against hand-computed values.</summary>
public sealed class TokenizerEdgeCaseTests
{
    private static int[] U(string text) => TextUnits.Of(text, BaseUnits.Characters);

    [Fact]
    public void Unigram_refuses_empty_repeated_and_invalid_pieces_and_probabilities_off_the_simplex()
    {
        Assert.Contains("empty", Assert.Throws<InvalidModelException>(() => new UnigramTokenizer(BaseUnits.Characters, PreTokenization.None, [([], 1.0)])).Message);
        Assert.Contains("not a byte", Assert.Throws<InvalidModelException>(() => new UnigramTokenizer(BaseUnits.Bytes, PreTokenization.None, [([256], 1.0)])).Message);
        Assert.Contains("not a byte", Assert.Throws<InvalidModelException>(() => new UnigramTokenizer(BaseUnits.Bytes, PreTokenization.None, [([-1], 1.0)])).Message);
        Assert.Contains("Unicode scalar", Assert.Throws<InvalidModelException>(() => new UnigramTokenizer(BaseUnits.Characters, PreTokenization.None, [([0xD800], 1.0)])).Message);
        // 255 and 0 are bytes; a valid piece next to an invalid one does not hide it.
        Assert.Equal(2, new UnigramTokenizer(BaseUnits.Bytes, PreTokenization.None, [([0], 0.5), ([255], 0.5)]).VocabularySize);
        Assert.Throws<InvalidModelException>(() => new UnigramTokenizer(BaseUnits.Bytes, PreTokenization.None, [([0, 256], 1.0)]));
        Assert.Contains("repeats", Assert.Throws<InvalidModelException>(() => new UnigramTokenizer(BaseUnits.Characters, PreTokenization.None, [(U("a"), 0.5), (U("a"), 0.5)])).Message);
        foreach (var p in new[] { 0.0, -0.5, 1.5, double.NaN })
            Assert.Contains("not in (0, 1]", Assert.Throws<InvalidModelException>(() => new UnigramTokenizer(BaseUnits.Characters, PreTokenization.None, [(U("a"), p), (U("b"), 0.5)])).Message);
        Assert.Equal(1, new UnigramTokenizer(BaseUnits.Characters, PreTokenization.None, [(U("a"), 1.0)]).VocabularySize);
        Assert.Contains("sum to", Assert.Throws<InvalidModelException>(() => new UnigramTokenizer(BaseUnits.Characters, PreTokenization.None, [(U("a"), 0.5), (U("b"), 0.49)])).Message);
    }

    [Fact]
    public void Unigram_base_symbols_are_ascending_and_highlights_most_probable_first()
    {
        var tokenizer = new UnigramTokenizer(BaseUnits.Characters, PreTokenization.None, [(U("c"), 0.1), (U("a"), 0.2), (U("ba"), 0.6), (U("b"), 0.1)]);
        Assert.Equal(U("abc"), tokenizer.BaseSymbols);
        Assert.Equal(["\"ba\" p = 0.6", "\"a\" p = 0.2"], tokenizer.Highlights(2));
    }

    [Fact]
    public void Unigram_segmentations_viterbi_marginal_and_samples_agree_by_hand()
    {
        // Pieces a 0.3, b 0.2, ab 0.4, aba 0.1; "abab" has the segmentations a|b|a|b, ab|a|b, a|b|ab, ab|ab, aba|b.
        var tokenizer = new UnigramTokenizer(BaseUnits.Characters, PreTokenization.None, [(U("a"), 0.3), (U("b"), 0.2), (U("ab"), 0.4), (U("aba"), 0.1)]);
        var segmentations = tokenizer.AllSegmentations(U("abab")).Select(s => string.Join("|", s.Select(p => tokenizer.Decode([p])))).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "a|b|a|b", "a|b|ab", "ab|a|b", "ab|ab", "aba|b" }.Order(StringComparer.Ordinal), segmentations);
        double[] weights = [0.3 * 0.2 * 0.3 * 0.2, 0.3 * 0.2 * 0.4, 0.4 * 0.3 * 0.2, 0.4 * 0.4, 0.1 * 0.2];
        Assert.Equal(Math.Log(weights.Sum()), tokenizer.LogMarginal("abab"), 12);
        Assert.Equal([2, 2], tokenizer.Encode("abab"));
        Assert.Empty(tokenizer.AllSegmentations([]).Single());
        // Draws follow p(s | x): ab|ab has probability 0.16/Σ.
        var random = new Random(12);
        var draws = Enumerable.Range(0, 4000).Select(_ => string.Join(",", tokenizer.Sample("abab", random))).ToArray();
        Assert.All(draws, d => Assert.Equal("abab", tokenizer.Decode([.. d.Split(',').Select(int.Parse)])));
        var share = draws.Count(d => d == "2,2") / 4000.0;
        var expected = 0.16 / weights.Sum();
        Assert.InRange(share, expected - 5 * Math.Sqrt(expected * (1 - expected) / 4000), expected + 5 * Math.Sqrt(expected * (1 - expected) / 4000));
        Assert.Contains("no segmentation", Assert.Throws<WorkbenchException>(() => tokenizer.Sample("abc", random)).Message);
        Assert.Contains("no segmentation", Assert.Throws<WorkbenchException>(() => tokenizer.Encode("abc")).Message);
    }

    [Fact]
    public void WordPiece_refuses_empty_repeated_and_invalid_pieces()
    {
        Assert.Contains("empty", Assert.Throws<InvalidModelException>(() => new WordPieceTokenizer(BaseUnits.Characters, PreTokenization.None, [new([], false)])).Message);
        Assert.Contains("not a byte", Assert.Throws<InvalidModelException>(() => new WordPieceTokenizer(BaseUnits.Bytes, PreTokenization.None, [new([256], false)])).Message);
        Assert.Contains("not a byte", Assert.Throws<InvalidModelException>(() => new WordPieceTokenizer(BaseUnits.Bytes, PreTokenization.None, [new([0, -1], false)])).Message);
        Assert.Contains("Unicode scalar", Assert.Throws<InvalidModelException>(() => new WordPieceTokenizer(BaseUnits.Characters, PreTokenization.None, [new([0xDFFF], true)])).Message);
        Assert.Equal(3, new WordPieceTokenizer(BaseUnits.Bytes, PreTokenization.None, [new([0], false), new([255], true)]).VocabularySize);
        Assert.Contains("repeats", Assert.Throws<InvalidModelException>(() => new WordPieceTokenizer(BaseUnits.Characters, PreTokenization.None, [new([.. U("a")], true), new([.. U("a")], true)])).Message);
        // The same units as a word-initial and as a continuation piece are two pieces.
        Assert.Equal(3, new WordPieceTokenizer(BaseUnits.Characters, PreTokenization.None, [new([.. U("a")], false), new([.. U("a")], true)]).VocabularySize);
    }

    [Fact]
    public void WordPiece_words_up_to_the_longest_length_are_pieces_and_longer_ones_unknown()
    {
        var tokenizer = new WordPieceTokenizer(BaseUnits.Characters, PreTokenization.Whitespace, [new([.. U("a")], false), new([.. U("a")], true), new([.. U("aa")], true)]);
        var longest = new string('a', WordPieceTokenizer.MaxWordLength);
        Assert.Equal([0, .. Enumerable.Repeat(2, (WordPieceTokenizer.MaxWordLength - 1) / 2), 1], tokenizer.Encode(longest));
        Assert.Equal([tokenizer.Unknown], tokenizer.Encode(longest + "a"));
        Assert.Equal(2, tokenizer.MaxPieceLength);
        Assert.Equal(0, new WordPieceTokenizer(BaseUnits.Characters, PreTokenization.None, []).MaxPieceLength);
        Assert.Equal(["\"a\"", "##\"a\"", "##\"aa\""], tokenizer.Highlights(3));
        Assert.Equal(["\"a\""], tokenizer.Highlights(1));
        // Base symbols: the pieces' and the unknown token's characters, ascending.
        Assert.Equal(TextUnits.Of("KNU[]a", BaseUnits.Characters).Order(), tokenizer.BaseSymbols);
    }

    [Fact]
    public void WordPiece_training_merges_the_pair_of_largest_likelihood_ratio_first_and_builds_every_merge_from_two_pieces()
    {
        string[] corpus = ["abc", "abd", "abc", "xbc", "abcd"];
        var tokenizer = WordPieceTrainer.Train(corpus, 9, BaseUnits.Characters, PreTokenization.None);
        // Base pieces: word-initial symbols ascending, then continuation symbols ascending.
        Assert.Equal(["a", "x", "##b", "##c", "##d"], Enumerable.Range(0, 5).Select(Name(tokenizer)));
        // The first merge by brute force: count(pq)/(count(p)·count(q)) over adjacent pieces of the corpus words.
        var words = corpus.Select(w => w.Select((c, i) => (i > 0 ? "##" : "") + c).ToArray()).ToArray();
        var unigram = words.SelectMany(w => w).GroupBy(p => p).ToDictionary(g => g.Key, g => (double)g.Count());
        var pairs = words.SelectMany(w => w.Zip(w.Skip(1))).GroupBy(p => p).ToDictionary(g => g.Key, g => (double)g.Count());
        var best = pairs.MaxBy(p => p.Value / (unigram[p.Key.First] * unigram[p.Key.Second])).Key;
        Assert.Equal(best.First + best.Second.Replace("##", "", StringComparison.Ordinal), Name(tokenizer)(5));
        // Every later piece is two earlier pieces joined, continuation-marked as its left part; none repeats.
        var names = Enumerable.Range(0, tokenizer.VocabularySize - 1).Select(Name(tokenizer)).ToArray();
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.Equal(9, names.Length);
        // Past the last possible merge the vocabulary stops growing: every corpus word is then one piece.
        var exhausted = WordPieceTrainer.Train(corpus, 100, BaseUnits.Characters, PreTokenization.None);
        Assert.All(corpus, w => Assert.Single(exhausted.Encode(w)));
        foreach (var (piece, index) in names.Select((n, i) => (n, i)).Skip(5))
            Assert.True(names.Take(index).Any(left => piece.StartsWith(left, StringComparison.Ordinal) && names.Take(index).Contains("##" + piece[left.Length..])), $"{piece} is not two earlier pieces");
        foreach (var word in corpus) Assert.Equal(word, tokenizer.Decode(tokenizer.Encode(word)));
        Assert.Contains("below the 5 base pieces", Assert.Throws<WorkbenchException>(() => WordPieceTrainer.Train(corpus, 4, BaseUnits.Characters, PreTokenization.None)).Message);
        Assert.Contains("empty", Assert.Throws<WorkbenchException>(() => WordPieceTrainer.Train([], 4, BaseUnits.Characters, PreTokenization.None)).Message);
    }

    private static Func<int, string> Name(WordPieceTokenizer tokenizer) =>
        id => (tokenizer.PieceOf(id).Continues ? "##" : "") + TextUnits.Text(tokenizer.PieceOf(id).Units, BaseUnits.Characters);

    [Fact]
    public void Unigram_training_refuses_bad_knobs_and_an_empty_corpus()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => UnigramTrainer.Train(["ab"], 4, BaseUnits.Characters, PreTokenization.None, maxPieceLength: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => UnigramTrainer.Train(["ab"], 4, BaseUnits.Characters, PreTokenization.None, emIterations: 0));
        foreach (var share in new[] { 0.0, 1.0, -1.0 })
            Assert.Throws<ArgumentOutOfRangeException>(() => UnigramTrainer.Train(["ab"], 4, BaseUnits.Characters, PreTokenization.None, keepShare: share));
        Assert.Contains("empty", Assert.Throws<WorkbenchException>(() => UnigramTrainer.Train([], 4, BaseUnits.Characters, PreTokenization.None)).Message);
        var trained = UnigramTrainer.Train(["abab", "abab", "ba"], 3, BaseUnits.Characters, PreTokenization.None, maxPieceLength: 1, emIterations: 1, keepShare: 0.5);
        // With pieces of one symbol only, EM gives each symbol its share of the corpus: 5 a's and 5 b's.
        Assert.Equal(2, trained.VocabularySize);
        Assert.All(trained.LogProbabilities, l => Assert.Equal(Math.Log(0.5), l, 12));
    }
}
