using Workbench.Automata.Operations;
using Workbench.Automata.Tokenization;
using Workbench.Formal.Errors;

namespace Workbench.Automata.Tests;

public sealed class NormalizedTokenizerTests
{
    private static readonly BpeTokenizer Inner = BpeTrainer.Train(["ab ab", "ba σ"], 8, BaseUnits.Characters, PreTokenization.Whitespace).Tokenizer;

    [Fact]
    public void Lowercasing_encodes_the_lowercase_text_and_is_lossless_exactly_on_lowercase_text()
    {
        var tokenizer = new NormalizedTokenizer(Inner, Normalization.Lowercase);
        Assert.Equal(Normalization.Lowercase, tokenizer.Normalization);
        Assert.Equal(Normalization.None, ((ITokenizer)Inner).Normalization);
        Assert.Equal(Inner.Encode("ab ba"), tokenizer.Encode("AB bA"));
        Assert.Equal("ab ba", tokenizer.Decode(tokenizer.Encode("AB bA")));
        Assert.Equal("ab ba", tokenizer.Decode(tokenizer.Encode("ab ba")));
        // Each code point by its simple mapping: Σ becomes σ wherever it stands (no final-sigma rule).
        Assert.Equal("σ σ", NormalizedTokenizer.Normalize("Σ Σ", Normalization.Lowercase));
        Assert.Equal("AB", NormalizedTokenizer.Normalize("AB", Normalization.None));
        Assert.Equal((Inner.VocabularySize, Inner.Units, Inner.PreTokenization), (tokenizer.VocabularySize, tokenizer.Units, tokenizer.PreTokenization));
        Assert.Equal(Inner.BaseSymbols, tokenizer.BaseSymbols);
        Assert.Equal(Inner.Highlights(3), tokenizer.Highlights(3));
        Assert.Equal(Inner.UnitsOf(5), tokenizer.UnitsOf(5));
        Assert.Same(Inner, tokenizer.Inner);
    }

    [Fact]
    public void The_encoder_transducer_reads_capitals_and_writes_the_lowercase_tokens()
    {
        var tokenizer = new NormalizedTokenizer(Inner, Normalization.Lowercase);
        var encoder = tokenizer.EncoderTransducer();
        foreach (var text in new[] { "AB ba", "Σ", "ab", "" })
        {
            var input = text.Select(c => encoder.InputAlphabet.IdOf(CharacterModel.SymbolName(c, BaseUnits.Characters))).ToArray();
            var (output, weight) = Assert.Single(TransducerApplication.Apply(encoder, input).Values);
            Assert.Equal(tokenizer.Encode(text), output);
            Assert.Equal(1.0, weight.Value);
        }
        // Exactly the code points that lowercase to a base symbol are read: a, A, b, B, space, σ, Σ, ς's capital is Σ too.
        Assert.Contains("A", encoder.InputAlphabet.Symbols);
        Assert.DoesNotContain("C", encoder.InputAlphabet.Symbols);
    }

    [Fact]
    public void Wrapping_twice_no_normalisation_and_bytes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new NormalizedTokenizer(Inner, Normalization.None));
        Assert.Throws<ArgumentException>(() => new NormalizedTokenizer(new NormalizedTokenizer(Inner, Normalization.Lowercase), Normalization.Lowercase));
        var bytes = new NormalizedTokenizer(BpeTrainer.Train(["ab"], 258, BaseUnits.Bytes, PreTokenization.None).Tokenizer, Normalization.Lowercase);
        Assert.Contains("over characters only", Assert.Throws<WorkbenchException>(() => bytes.EncoderTransducer()).Message);
        Assert.Equal(bytes.Inner.Encode("ab"), bytes.Encode("AB"));
    }

    [Fact]
    public void Whitespace_segments_start_at_a_space_after_a_non_space_and_tokens_across_them_never_appear()
    {
        // A merge list read from a file may join across a word boundary ("b" + " "): such a token is in no canonical string.
        var tokenizer = new BpeTokenizer(BaseUnits.Characters, PreTokenization.Whitespace, [' ', 'a', 'b'], [(2, 0)]);
        Assert.False(Canonicality.IsCanonical(tokenizer, [3]));
        Assert.Equal([2, 0], tokenizer.Encode("b "));
        var encoder = tokenizer.EncoderTransducer();
        var input = "b  ab".Select(c => encoder.InputAlphabet.IdOf(CharacterModel.SymbolName(c, BaseUnits.Characters))).ToArray();
        Assert.Equal(tokenizer.Encode("b  ab"), Assert.Single(TransducerApplication.Apply(encoder, input).Values).Output);
        // Without pre-tokenization the same merge is a token like any other.
        var whole = new BpeTokenizer(BaseUnits.Characters, PreTokenization.None, [' ', 'a', 'b'], [(2, 0)]);
        Assert.True(Canonicality.IsCanonical(whole, [3]));
        Assert.Equal([3], whole.Encode("b "));
    }
}
