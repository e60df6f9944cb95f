using Workbench.Automata.Formats;
using Workbench.Automata.Tokenization;
using Workbench.Formal.Errors;

namespace Workbench.Automata.Tests;

public sealed class BpeTests
{
    [Fact]
    public void The_textbook_example_merges_aa_then_ab_then_the_pair_of_both()
    {
        // "aaabdaaabac" (Gage 1994): (a, a) stands adjacent 4 times but is replaced twice, giving Z a b d Z a b a c; then (a, b)
        // and (Z, a) tie at 2 and the smaller left id (a) wins; then (Z, ab) at 2: X d X a c, 11 symbols down to 5.
        var result = BpeTrainer.Train(["aaabdaaabac"], 7, BaseUnits.Characters, PreTokenization.None);
        var tokenizer = result.Tokenizer;
        Assert.Equal(["aa", "ab", "aaab"], result.History.Select(r => tokenizer.TextOf(r.Merge.Result)));
        Assert.Equal([4L, 2, 2], result.History.Select(r => r.PairCount));
        Assert.Equal([2L, 2, 2], result.History.Select(r => r.Occurrences));
        Assert.Equal((11L, 5L), (result.InitialLength, result.FinalLength));
        Assert.Equal(["aaab", "d", "aaab", "a", "c"], tokenizer.Encode("aaabdaaabac").Select(tokenizer.TextOf));
        // Runs: "aaaa" is (aa)(aa), "aaa" is (aa)(a) — left to right, never overlapping.
        Assert.Equal(["aa", "aa"], tokenizer.Encode("aaaa").Select(tokenizer.TextOf));
        Assert.Equal(["aa", "a"], tokenizer.Encode("aaa").Select(tokenizer.TextOf));
    }

    [Fact]
    public void Random_unicode_corpora_round_trip_in_both_unit_modes()
    {
        const int seed = 404;
        var random = new Random(seed);
        string[] pieces = ["a", "b", "aa", " ", "  ", "é", "e\u0301", "😀", "日本", "\t", "ab"];
        for (var trial = 0; trial < 20; trial++)
        {
            var corpus = Enumerable.Range(0, 12).Select(_ => string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => pieces[random.Next(pieces.Length)]))).ToArray();
            foreach (var units in new[] { BaseUnits.Characters, BaseUnits.Bytes })
                foreach (var mode in new[] { PreTokenization.None, PreTokenization.Whitespace })
                {
                    var size = units == BaseUnits.Bytes ? 256 + 40 : 40;
                    var tokenizer = BpeTrainer.Train(corpus, size, units, mode).Tokenizer;
                    foreach (var text in corpus.Append(string.Concat(corpus)))
                        Assert.True(tokenizer.Decode(tokenizer.Encode(text)) == text, $"seed {seed}, trial {trial}, {units}, {mode}: \"{text}\"");
                    var again = TokenizerJsonFormat.Read(TokenizerJsonFormat.Write(tokenizer), "again");
                    Assert.Equal(tokenizer.Encode(corpus[0]), again.Encode(corpus[0]));
                }
        }
    }

    [Fact]
    public void Whitespace_pre_tokenization_keeps_spaces_with_the_following_word_and_merges_never_cross_it()
    {
        Assert.Equal(["the", " cat", "  sat", " "], TextUnits.Segments("the cat  sat ", PreTokenization.Whitespace));
        Assert.Equal(["  lead"], TextUnits.Segments("  lead", PreTokenization.Whitespace));
        var tokenizer = BpeTrainer.Train(["ab ab ab ab"], 100, BaseUnits.Characters, PreTokenization.Whitespace).Tokenizer;
        // Segments "ab" and " ab": no token may contain "b " (it would cross a boundary).
        Assert.DoesNotContain(Enumerable.Range(0, tokenizer.VocabularySize), t => tokenizer.TextOf(t).Contains("b ", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_characters_empty_corpora_and_small_vocabularies_are_refused()
    {
        var tokenizer = BpeTrainer.Train(["abc"], 4, BaseUnits.Characters, PreTokenization.None).Tokenizer;
        var unknown = Assert.Throws<UnknownSymbolException>(() => tokenizer.Encode("abxc"));
        Assert.Equal(("x", 3), (unknown.Symbol, unknown.Column!.Value));
        Assert.Contains("empty", Assert.Throws<WorkbenchException>(() => BpeTrainer.Train(["", ""], 10, BaseUnits.Characters, PreTokenization.None)).Message);
        Assert.Contains("below the 3 base symbols", Assert.Throws<WorkbenchException>(() => BpeTrainer.Train(["abc"], 2, BaseUnits.Characters, PreTokenization.None)).Message);
        // Byte mode never meets an unknown character; a token sequence that splits a character does not decode as text.
        var bytes = BpeTrainer.Train(["é"], 256, BaseUnits.Bytes, PreTokenization.None).Tokenizer;
        Assert.Equal([0xC3, 0xA9], bytes.Encode("é"));
        Assert.Throws<ParseException>(() => bytes.Decode([0xC3]));
        Assert.Equal("<0xC3>", bytes.TextOf(0xC3));
    }

    [Theory]
    [InlineData("""{"type": "wordpiece", "units": "characters", "preTokenization": "none", "baseSymbols": ["a"], "merges": []}""", "t.json:1:10: type: 'wordpiece' is not a tokenizer type")]
    [InlineData("""{"type": "bpe", "units": "runes", "preTokenization": "none", "baseSymbols": ["a"], "merges": []}""", "units: 'runes' is not characters or bytes")]
    [InlineData("""{"type": "bpe", "units": "characters", "preTokenization": "none", "baseSymbols": ["ab"], "merges": []}""", "baseSymbols[0]: expected one character")]
    [InlineData("""{"type": "bpe", "units": "bytes", "preTokenization": "none", "baseSymbols": [300], "merges": []}""", "baseSymbols[0]: expected an integer from 0 to 255")]
    [InlineData("""{"type": "bpe", "units": "characters", "preTokenization": "none", "baseSymbols": ["a"], "merges": [[0]]}""", "merges[0]: expected [left, right]")]
    public void Malformed_tokenizer_files_are_reported_where_they_break(string json, string expected) =>
        Assert.Contains(expected, Assert.Throws<ParseException>(() => TokenizerJsonFormat.Read(json, "t.json")).Message);

    [Fact]
    public void Inconsistent_tokenizers_name_the_merge()
    {
        const string json = """{"type": "bpe", "units": "characters", "preTokenization": "none", "baseSymbols": ["a", "b"], "merges": [[0, 1], [2, 3]]}""";
        var error = Assert.Throws<InvalidModelException>(() => TokenizerJsonFormat.Read(json, "t.json"));
        Assert.Contains("t.json: Merge 1 joins token 2 and token 3, but only tokens 0..2 exist before it", error.Message);
        Assert.Throws<InvalidModelException>(() => new BpeTokenizer(BaseUnits.Characters, PreTokenization.None, [98, 97], []));
        Assert.Throws<InvalidModelException>(() => new BpeTokenizer(BaseUnits.Characters, PreTokenization.None, [97, 98], [(0, 1), (0, 1)]));
    }
}
