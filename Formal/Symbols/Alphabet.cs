using System.Text;
using Workbench.Formal.Errors;

namespace Workbench.Formal.Symbols;

/// <summary>
/// A finite alphabet Σ whose symbols are interned as dense ids 0..|Σ|−1, extended with the
/// end-of-string symbol EOS (id |Σ|, so Σ̄ = Σ ∪ {EOS} is indexed 0..|Σ|) and the beginning-of-string
/// padding symbol BOS (id |Σ|+1) used by n-gram contexts. Notes §2.1 (D2.1).
/// </summary>
/// <remarks>
/// Strings over Σ are <c>int[]</c> / <see cref="ReadOnlySpan{T}"/> of symbol ids; text appears only at
/// the edges (<see cref="Parse"/>, <see cref="Format"/>). EOS and BOS never occur inside a string.
/// </remarks>
public sealed class Alphabet
{
    /// <summary>Printed name of the end-of-string symbol.</summary>
    public const string EosName = "<eos>";

    /// <summary>Printed name of the beginning-of-string padding symbol.</summary>
    public const string BosName = "<bos>";

    /// <summary>Printed form of the empty string ε.</summary>
    public const string EmptyStringName = "ε";

    private readonly string[] _symbols;
    private readonly Dictionary<string, int> _ids;

    /// <summary>Creates an alphabet from distinct, non-empty symbol names without whitespace.</summary>
    /// <exception cref="ArgumentException">A name is empty, contains whitespace, is reserved or repeated.</exception>
    public Alphabet(IEnumerable<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        // An empty alphabet is allowed: its only string is ε (a machine or grammar for {ε} or ∅).
        _symbols = symbols.ToArray();
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < _symbols.Length; id++)
        {
            var name = _symbols[id];
            if (string.IsNullOrEmpty(name) || name.Any(char.IsWhiteSpace))
                throw new ArgumentException($"Symbol {id} ('{name}') is empty or contains whitespace.", nameof(symbols));
            if (name is EosName or BosName or EmptyStringName)
                throw new ArgumentException($"Symbol {id} uses the reserved name '{name}'.", nameof(symbols));
            if (!_ids.TryAdd(name, id))
                throw new ArgumentException($"Symbol '{name}' appears twice (ids {_ids[name]} and {id}).", nameof(symbols));
        }
        IsCharacterAlphabet = _symbols.All(s => s.Length == 1);
    }

    /// <summary>An alphabet whose symbols are the characters of <paramref name="characters"/>, in order.</summary>
    public static Alphabet FromCharacters(string characters) =>
        new(characters.Select(c => c.ToString()));

    /// <summary>|Σ|, the number of symbols (EOS and BOS excluded).</summary>
    public int Size => _symbols.Length;

    /// <summary>|Σ̄| = |Σ| + 1: the length of every next-symbol distribution.</summary>
    public int SizeWithEos => _symbols.Length + 1;

    /// <summary>The id of EOS inside a next-symbol distribution over Σ̄.</summary>
    public int Eos => _symbols.Length;

    /// <summary>The id of BOS, the padding symbol of n-gram contexts.</summary>
    public int Bos => _symbols.Length + 1;

    /// <summary>True when every symbol is one character, so strings print and parse without separators.</summary>
    public bool IsCharacterAlphabet { get; }

    /// <summary>The symbol names in id order.</summary>
    public IReadOnlyList<string> Symbols => _symbols;

    /// <summary>The name of a symbol id, including <see cref="EosName"/> and <see cref="BosName"/>.</summary>
    public string NameOf(int id) =>
        id >= 0 && id < _symbols.Length ? _symbols[id]
        : id == Eos ? EosName
        : id == Bos ? BosName
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"No symbol has id {id} in an alphabet of size {Size}.");

    /// <summary>The id of a symbol name.</summary>
    /// <exception cref="UnknownSymbolException">The alphabet has no such symbol.</exception>
    public int IdOf(string symbol) =>
        _ids.TryGetValue(symbol, out var id)
            ? id
            : throw new UnknownSymbolException($"Unknown symbol '{symbol}'; the alphabet is {{{string.Join(", ", _symbols)}}}.");

    /// <summary>True when <paramref name="id"/> is a symbol of Σ (not EOS or BOS).</summary>
    public bool Contains(int id) => id >= 0 && id < _symbols.Length;

    /// <summary>
    /// Parses a string over Σ. Symbols are separated by whitespace; for an alphabet of single characters
    /// the separators may be left out ("abba"). The empty text and "ε" denote the empty string. O(n).
    /// </summary>
    /// <exception cref="UnknownSymbolException">A symbol is not in Σ; the message gives its column (1-based).</exception>
    public int[] Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed == EmptyStringName) return [];
        if (IsCharacterAlphabet) return ParseCharacters(text);
        var result = new List<int>();
        var column = 0;
        // Stryker disable once Equality : at the end the inner loops do not move and the break below ends the loop
        while (column < text.Length)
        {
            while (column < text.Length && char.IsWhiteSpace(text[column])) column++;
            var start = column;
            while (column < text.Length && !char.IsWhiteSpace(text[column])) column++;
            if (column == start) break;
            var token = text[start..column];
            if (!_ids.TryGetValue(token, out var id)) throw UnknownAt(text, token, start + 1);
            result.Add(id);
        }
        return result.ToArray();
    }

    private int[] ParseCharacters(string text)
    {
        var result = new List<int>(text.Length);
        for (var column = 0; column < text.Length; column++)
        {
            if (char.IsWhiteSpace(text[column])) continue;
            var token = text[column].ToString();
            if (!_ids.TryGetValue(token, out var id)) throw UnknownAt(text, token, column + 1);
            result.Add(id);
        }
        return result.ToArray();
    }

    private UnknownSymbolException UnknownAt(string text, string token, int column) =>
        new($"Unknown symbol '{token}' at column {column} of \"{text}\"; the alphabet is {ToString()}.", token, column);

    /// <summary>Prints a string over Σ so that <see cref="Parse"/> reads it back; ε for the empty string. O(n).</summary>
    public string Format(ReadOnlySpan<int> symbols)
    {
        if (symbols.IsEmpty) return EmptyStringName;
        var builder = new StringBuilder();
        for (var i = 0; i < symbols.Length; i++)
        {
            if (i > 0 && !IsCharacterAlphabet) builder.Append(' ');
            builder.Append(NameOf(symbols[i]));
        }
        return builder.ToString();
    }

    /// <summary>Throws when a string contains an id outside Σ, naming its position. O(n).</summary>
    /// <exception cref="UnknownSymbolException">Some id is EOS, BOS or out of range.</exception>
    public void Validate(ReadOnlySpan<int> symbols)
    {
        for (var i = 0; i < symbols.Length; i++)
            if (!Contains(symbols[i]))
                throw new UnknownSymbolException(
                    $"Symbol id {symbols[i]} at position {i} is not in the alphabet of size {Size} (EOS and BOS may not occur inside a string).");
    }

    /// <inheritdoc />
    public override string ToString() => "{" + string.Join(", ", _symbols) + "}";
}
