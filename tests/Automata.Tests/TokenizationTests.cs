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
    [InlineData("""{"type": "sentencepiece", "units": "characters", "preTokenization": "none", "baseSymbols": ["a"], "merges": []}""", "t.json:1:10: type: 'sentencepiece' is not a tokenizer type")]
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
        Assert.Contains("repeats base symbol 0", Assert.Throws<InvalidModelException>(() => new BpeTokenizer(BaseUnits.Characters, PreTokenization.None, [97, 97], [])).Message);
        Assert.Contains("not a Unicode scalar value", Assert.Throws<InvalidModelException>(() => new BpeTokenizer(BaseUnits.Characters, PreTokenization.None, [0xD800], [])).Message);
        Assert.Throws<InvalidModelException>(() => new BpeTokenizer(BaseUnits.Characters, PreTokenization.None, [97, 98], [(0, 1), (0, 1)]));
    }
}

public sealed class BpeHuggingFaceTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "tokenizers", name);

    [Fact]
    public void A_tokenizer_json_written_by_huggingface_tokenizers_encodes_identically()
    {
        // Trained and encoded by the library itself (tokenizers 0.23.2, its Rust core; Fixtures/tokenizers/make-fixtures.mjs).
        var tokenizer = HuggingFaceTokenizerFormat.ReadFile(Fixture("bytelevel-gpt2.json"));
        Assert.Equal((BaseUnits.Bytes, PreTokenization.Gpt2, 1966), (tokenizer.Units, tokenizer.PreTokenization, tokenizer.VocabularySize));
        using var expected = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Fixture("bytelevel-gpt2.expected.json")));
        var compared = 0;
        foreach (var probe in expected.RootElement.EnumerateArray())
        {
            var text = probe.GetProperty("text").GetString()!;
            // The library's trainer keeps only the bytes it saw, and without an unknown token its encoder drops the others;
            // the workbench refuses them instead (the probe with 'w', 'z' and 'Ω' is such a string).
            if (System.Text.Encoding.UTF8.GetBytes(text).Any(b => !tokenizer.BaseSymbols.Contains(b)))
            {
                Assert.Throws<UnknownSymbolException>(() => tokenizer.Encode(text));
                continue;
            }
            Assert.Equal(probe.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()), tokenizer.Encode(text));
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
            compared++;
        }
        Assert.Equal(4, compared);
    }

    [Fact]
    public void Tokenizers_round_trip_through_tokenizer_json_in_every_mode()
    {
        var corpus = new[] { "the cat sat on the mat", "über  naïve cats", "don't 42 3.14" };
        foreach (var (units, mode) in new[] { (BaseUnits.Bytes, PreTokenization.None), (BaseUnits.Bytes, PreTokenization.Gpt2), (BaseUnits.Bytes, PreTokenization.Whitespace), (BaseUnits.Characters, PreTokenization.None), (BaseUnits.Characters, PreTokenization.Whitespace) })
        {
            var tokenizer = BpeTrainer.Train(corpus, units == BaseUnits.Bytes ? 300 : 60, units, mode).Tokenizer;
            var again = HuggingFaceTokenizerFormat.Read(HuggingFaceTokenizerFormat.Write(tokenizer), "again.json");
            Assert.Equal((tokenizer.Units, tokenizer.PreTokenization, tokenizer.VocabularySize), (again.Units, again.PreTokenization, again.VocabularySize));
            foreach (var text in corpus) Assert.Equal(tokenizer.Encode(text), again.Encode(text));
        }
    }

    [Fact]
    public void A_wordpiece_tokenizer_json_written_by_huggingface_tokenizers_encodes_identically()
    {
        // Built and saved by the library (Fixtures/tokenizers/make-wordpiece-fixture.mjs); greedy longest match with ##
        // continuations, [UNK] for a word with a position no piece covers.
        var tokenizer = HuggingFaceTokenizerFormat.ReadFile(Fixture("wordpiece.json"));
        Assert.IsType<WordPieceTokenizer>(tokenizer);
        using var expected = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Fixture("wordpiece.expected.json")));
        foreach (var probe in expected.RootElement.EnumerateArray())
            Assert.Equal(probe.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()), tokenizer.Encode(probe.GetProperty("text").GetString()!));
        var again = HuggingFaceTokenizerFormat.Read(HuggingFaceTokenizerFormat.Write(tokenizer), "again.json");
        Assert.Equal(tokenizer.Encode("unhelably"), again.Encode("unhelably"));
        var initialHashes = new WordPieceTokenizer(BaseUnits.Characters, PreTokenization.None, [new WordPiece([35, 35], false)]);
        Assert.Contains("no tokenizer.json form", Assert.Throws<WorkbenchException>(() => HuggingFaceTokenizerFormat.Write(initialHashes)).Message);
    }

    [Theory]
    [InlineData("normalizer", """{"type": "Lowercase"}""", "normalizer: normalizers are not supported")]
    [InlineData("added_tokens", """[{"id": 0, "content": "<s>"}]""", "added_tokens: added tokens are not supported")]
    [InlineData("pre_tokenizer", """{"type": "Whitespace"}""", "the pre-tokenizer 'Whitespace' is not supported")]
    [InlineData("pre_tokenizer", """{"type": "ByteLevel", "add_prefix_space": true, "use_regex": true}""", "pre_tokenizer.add_prefix_space: a prefix space changes the text")]
    public void Unsupported_components_are_refused_by_name(string field, string value, string expected)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Fixture("bytelevel-gpt2.json")))!;
        node[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        Assert.Contains(expected, Assert.Throws<ParseException>(() => HuggingFaceTokenizerFormat.Read(node.ToJsonString(), "t.json")).Message);
    }
}

public sealed class SyntheticCorpusTests
{
    [Fact]
    public void The_corpus_is_deterministic_sized_and_long_tailed()
    {
        var first = SyntheticCorpus.Lines(200_000, seed: 7).ToArray();
        Assert.Equal(first, SyntheticCorpus.Lines(200_000, seed: 7));
        Assert.NotEqual(first, SyntheticCorpus.Lines(200_000, seed: 8));
        var characters = first.Sum(l => l.Length + 1);
        Assert.InRange(characters, 200_000, 201_000);
        // Zipf: the most frequent word is far more frequent than the hundredth.
        var counts = first.SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).GroupBy(w => w.TrimEnd('.', ',', ';', '?').ToLowerInvariant())
            .Select(g => g.Count()).OrderDescending().ToArray();
        Assert.True(counts[0] > 20 * counts[99], $"top {counts[0]}, 100th {counts[99]}");
    }
}

/// <summary>The pushforward itself is theorems P8.8 and P8.9 (against brute force over coverings, in Proofs); here its input checks.</summary>
public sealed class CharacterModelTests
{
    [Fact]
    public void Token_pfsas_must_name_token_ids()
    {
        var tokenizer = BpeTrainer.Train(["ab"], 3, BaseUnits.Characters, PreTokenization.None).Tokenizer;
        var builder = new Workbench.Automata.Core.WfsaBuilder<Workbench.Formal.Semirings.Real>(Workbench.Formal.Symbols.Alphabet.FromCharacters("x"));
        builder.AddState();
        builder.SetInitial(0, Workbench.Formal.Semirings.Real.One).SetFinal(0, Workbench.Formal.Semirings.Real.One);
        Assert.Contains("symbol 'x' is not a token id", Assert.Throws<InvalidModelException>(() => CharacterModel.ToCharacterPfsa(tokenizer, builder.Build())).Message);
        Assert.Equal("<U+0020>", CharacterModel.SymbolName(' ', BaseUnits.Characters));
    }
}

public sealed class UnigramTests
{
    [Fact]
    public void Training_gives_a_deterministic_exact_tokenizer_of_the_requested_size()
    {
        var corpus = SyntheticCorpus.Lines(20_000, seed: 3).ToArray();
        var tokenizer = UnigramTrainer.Train(corpus, 300, BaseUnits.Characters, PreTokenization.Whitespace);
        var again = UnigramTrainer.Train(corpus, 300, BaseUnits.Characters, PreTokenization.Whitespace);
        Assert.InRange(tokenizer.VocabularySize, 1, 300);
        Assert.Equal(tokenizer.Encode(corpus[0]), again.Encode(corpus[0]));
        Assert.Equal(1.0, tokenizer.LogProbabilities.Sum(Math.Exp), 12);
        foreach (var line in corpus.Take(50)) Assert.Equal(line, tokenizer.Decode(tokenizer.Encode(line)));
        // Pieces longer than one symbol were learned, and they shorten the corpus.
        Assert.True(corpus.Take(50).Sum(l => tokenizer.Encode(l).Length) < corpus.Take(50).Sum(l => l.Length) * 0.6);
    }

    [Fact]
    public void The_marginal_of_a_text_is_the_product_over_its_segments_and_unsegmentable_text_is_refused()
    {
        var tokenizer = new UnigramTokenizer(BaseUnits.Characters, PreTokenization.Whitespace, [([97], 0.5), ([97, 97], 0.3), ([32, 97], 0.2)]);
        // "aa": a·a or aa = 0.25 + 0.3; " a" alone: 0.2 (no piece for the space by itself).
        Assert.Equal(Math.Log(0.55 * 0.2), tokenizer.LogMarginal("aa a"), 12);
        Assert.Equal([1, 2], tokenizer.Encode("aa a"));
        Assert.Contains("has no segmentation", Assert.Throws<WorkbenchException>(() => tokenizer.Encode("a b")).Message);
        Assert.Throws<InvalidModelException>(() => new UnigramTokenizer(BaseUnits.Characters, PreTokenization.None, [([97], 0.5)]));
        Assert.Throws<InvalidModelException>(() => new UnigramTokenizer(BaseUnits.Characters, PreTokenization.None, [([97], 0.5), ([97], 0.5)]));
        Assert.Throws<InvalidModelException>(() => new UnigramTokenizer(BaseUnits.Characters, PreTokenization.None, [([0xD800], 1.0)]));
    }

    [Fact]
    public void Unigram_tokenizers_round_trip_through_json_and_have_no_tokenizer_json_form()
    {
        var tokenizer = UnigramTrainer.Train(["the cat sat", "the mat"], 40, BaseUnits.Bytes, PreTokenization.Gpt2);
        var again = TokenizerJsonFormat.Read(TokenizerJsonFormat.Write(tokenizer), "u.json");
        Assert.IsType<UnigramTokenizer>(again);
        Assert.Equal(tokenizer.Encode("the cat"), again.Encode("the cat"));
        Assert.Contains("a Unigram tokenizer has the workbench's JSON", Assert.Throws<WorkbenchException>(() => HuggingFaceTokenizerFormat.Write(tokenizer)).Message);
        Assert.Contains("pieces[0]: expected [[unit, …], logProbability]", Assert.Throws<ParseException>(() => TokenizerJsonFormat.Read("""{"type": "unigram", "units": "bytes", "preTokenization": "none", "pieces": [[1]]}""", "u.json")).Message);
    }
}

public sealed class WordPieceTests
{
    private static WordPiece Piece(string text, bool continues) => new([.. TextUnits.Of(text, BaseUnits.Characters)], continues);

    [Fact]
    public void Encoding_is_greedy_longest_match_first_with_continuations_and_unknown_words()
    {
        // BERT's example: unaffable = un ##aff ##able, although "u" and "##n" exist too.
        WordPiece[] pieces = [Piece("u", false), Piece("un", false), Piece("n", true), Piece("aff", true), Piece("able", true), Piece("a", true), Piece(" ", false)];
        var tokenizer = new WordPieceTokenizer(BaseUnits.Characters, PreTokenization.Whitespace, pieces);
        Assert.Equal([1, 3, 4], tokenizer.Encode("unaffable"));
        // " unaffable" starts with a space piece; "xyz" has no piece at all: the word becomes [UNK], and the tokenizer is
        // lossy exactly there.
        Assert.Equal(tokenizer.Unknown, Assert.Single(tokenizer.Encode("xyz")));
        Assert.Equal("unaffable[UNK]", tokenizer.Decode([.. tokenizer.Encode("unaffable"), .. tokenizer.Encode("xyz")]));
        Assert.Equal("unaffable", tokenizer.Decode(tokenizer.Encode("unaffable")));
        Assert.Equal(tokenizer.Unknown, Assert.Single(tokenizer.Encode(new string('u', WordPieceTokenizer.MaxWordLength + 1))));
    }

    [Fact]
    public void Training_merges_by_likelihood_ratio_not_by_count()
    {
        // (a, ##b) occurs 5 times but a and ##b are frequent: 5/(25·5) = 0.04; (x, ##y) occurs twice among 2 and 2: 0.5.
        string[] corpus = [.. Enumerable.Repeat("xy", 2), .. Enumerable.Repeat("ab", 5), .. Enumerable.Repeat("a", 20), .. Enumerable.Repeat("b", 20)];
        var tokenizer = WordPieceTrainer.Train(corpus, 5, BaseUnits.Characters, PreTokenization.None);
        // Base pieces: a, b, x (initial), ##b, ##y; vocabulary size 5 stops there, so train to 6 and look at the first merge.
        var larger = WordPieceTrainer.Train(corpus, 6, BaseUnits.Characters, PreTokenization.None);
        Assert.Equal(5, tokenizer.VocabularySize - 1);
        Assert.Equal("xy", TextUnits.Text(larger.PieceOf(5).Units, BaseUnits.Characters));
        Assert.False(larger.PieceOf(5).Continues);
        foreach (var word in corpus.Distinct()) Assert.Equal(word, larger.Decode(larger.Encode(word)));
        var again = TokenizerJsonFormat.Read(TokenizerJsonFormat.Write(larger), "w.json");
        Assert.Equal(larger.Encode("xyab"), again.Encode("xyab"));
    }
}

/// <summary>Bigram-locality itself is theorem P8.12 (in Proofs); here a worked example and the refusals.</summary>
public sealed class CanonicalityTests
{
    [Fact]
    public void A_split_merge_is_a_non_canonical_bigram_and_conditioning_removes_its_mass()
    {
        // Tokens a (0), b (1), ab (2): the bigram (a, b) is not canonical (τ(ab) is the single token ab); (ab, a) and (b, a) are.
        var tokenizer = BpeTrainer.Train(["ab"], 3, BaseUnits.Characters, PreTokenization.None).Tokenizer;
        var allowed = Canonicality.AllowedBigrams(tokenizer);
        Assert.False(allowed[0, 1]);
        Assert.True(allowed[2, 0] && allowed[1, 0] && allowed[0, 0]);
        var builder = new Workbench.Automata.Core.WfsaBuilder<Workbench.Formal.Semirings.Real>(new Workbench.Formal.Symbols.Alphabet(["0", "1", "2"]));
        builder.AddState();
        builder.SetInitial(0, Workbench.Formal.Semirings.Real.One).SetFinal(0, new Workbench.Formal.Semirings.Real(0.4));
        foreach (var t in new[] { 0, 1, 2 }) builder.AddArc(0, t, 0, new Workbench.Formal.Semirings.Real(0.2));
        var (conditioned, mass) = Canonicality.Condition(tokenizer, builder.Build());
        Assert.True(mass.Value is > 0 and < 1);
        Assert.Equal(0.0, Workbench.Automata.Pathsums.Stringsum.Weight(conditioned, [0, 1]).Value);
        Assert.Equal(0.2 * 0.4 / mass.Value, Workbench.Automata.Pathsums.Stringsum.Weight(conditioned, [2]).Value, 12);
    }

    [Fact]
    public void Tokenizers_with_non_local_pre_tokenization_and_oversized_ones_are_refused()
    {
        var gpt2 = BpeTrainer.Train(["ab ab"], 5, BaseUnits.Characters, PreTokenization.Gpt2).Tokenizer;
        Assert.Contains("GPT-2's pattern looks ahead", Assert.Throws<WorkbenchException>(() => Canonicality.AllowedBigrams(gpt2)).Message);
        var bytes = BpeTrainer.Train(["ab ab"], 258, BaseUnits.Bytes, PreTokenization.Whitespace).Tokenizer;
        Assert.Contains("over bytes", Assert.Throws<WorkbenchException>(() => Canonicality.AllowedBigrams(bytes)).Message);
        Assert.Throws<BudgetExceededException>(() => Canonicality.AllowedBigrams(new BpeTokenizer(BaseUnits.Bytes, PreTokenization.None, [.. Enumerable.Range(0, 256)],
            [.. Enumerable.Range(0, 256).Select(i => (i, (i + 1) % 256)), .. Enumerable.Range(0, 10).Select(i => (i, i))])));
    }
}
