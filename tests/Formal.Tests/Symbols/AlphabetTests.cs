using Workbench.Formal.Errors;
using Workbench.Formal.Symbols;

namespace Workbench.Formal.Tests.Symbols;

public sealed class AlphabetTests
{
    [Fact]
    public void Eos_and_bos_follow_the_symbols()
    {
        var alphabet = Alphabet.FromCharacters("ab");
        Assert.Equal(2, alphabet.Eos);
        Assert.Equal(3, alphabet.Bos);
        Assert.Equal(3, alphabet.SizeWithEos);
        Assert.Equal(Alphabet.EosName, alphabet.NameOf(alphabet.Eos));
    }

    [Theory]
    [InlineData("abba")]
    [InlineData("a b b a")]
    public void Character_alphabets_parse_with_or_without_spaces(string text) =>
        Assert.Equal([0, 1, 1, 0], Alphabet.FromCharacters("ab").Parse(text));

    [Fact]
    public void Word_alphabets_round_trip_through_format()
    {
        var alphabet = new Alphabet(["the", "cat", "sat"]);
        var y = alphabet.Parse("the cat sat");
        Assert.Equal([0, 1, 2], y);
        Assert.Equal("the cat sat", alphabet.Format(y));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ε")]
    [InlineData("  ")]
    public void The_empty_string_has_two_spellings(string text)
    {
        var alphabet = Alphabet.FromCharacters("ab");
        Assert.Empty(alphabet.Parse(text));
        Assert.Equal("ε", alphabet.Format([]));
    }

    [Fact]
    public void Unknown_symbols_are_reported_with_their_column()
    {
        var error = Assert.Throws<UnknownSymbolException>(() => Alphabet.FromCharacters("ab").Parse("abca"));
        Assert.Contains("'c' at column 3", error.Message);
        var words = Assert.Throws<UnknownSymbolException>(() => new Alphabet(["x", "yy"]).Parse("x zz"));
        Assert.Contains("'zz' at column 3", words.Message);
    }

    [Fact]
    public void Eos_inside_a_string_is_rejected_with_its_position()
    {
        var alphabet = Alphabet.FromCharacters("ab");
        var error = Assert.Throws<UnknownSymbolException>(() => alphabet.Validate([0, alphabet.Eos]));
        Assert.Contains("position 1", error.Message);
    }

    [Theory]
    [InlineData("a", "a")]
    [InlineData("a", "")]
    [InlineData("a b", "c")]
    [InlineData("<eos>", "b")]
    public void Bad_symbol_sets_are_rejected(string first, string second) =>
        Assert.Throws<ArgumentException>(() => new Alphabet([first, second]));

    [Fact]
    public void Separated_strings_parse_around_any_run_of_whitespace()
    {
        var alphabet = new Alphabet(["x", "yy"]);
        Assert.Equal([0, 1, 0], alphabet.Parse("x  yy\tx"));
        Assert.Equal([0, 1], alphabet.Parse("x yy  "));
        Assert.Throws<ArgumentNullException>(() => alphabet.Parse(null!));
        Assert.Equal("symbols", Assert.Throws<ArgumentNullException>(() => new Alphabet(null!)).ParamName);
    }

    [Fact]
    public void Eos_and_bos_have_names_and_other_ids_have_none()
    {
        var alphabet = Alphabet.FromCharacters("ab");
        Assert.Equal(Alphabet.EosName, alphabet.NameOf(alphabet.Eos));
        Assert.Equal(Alphabet.BosName, alphabet.NameOf(alphabet.Bos));
        Assert.Equal("b", alphabet.NameOf(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => alphabet.NameOf(-5));
        Assert.Throws<ArgumentOutOfRangeException>(() => alphabet.NameOf(alphabet.Bos + 1));
        Assert.Equal("{a, b}", alphabet.ToString());
    }
}
