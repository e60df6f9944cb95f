using System.Collections.Immutable;
using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Tokenization;

/// <summary>A WordPiece vocabulary entry: the base units it spells, and whether it continues a word (written ##piece).</summary>
public readonly record struct WordPiece(ImmutableArray<int> Units, bool Continues);

/// <summary>
/// WordPiece (Schuster &amp; Nakajima 2012; BERT): each segment of the pre-tokenization is a word, encoded greedily
/// longest-match-first — the longest piece that starts the word, then the longest continuation piece (##…) at each next
/// position. A word with a position where no piece matches, or longer than <see cref="MaxWordLength"/>, becomes the
/// single unknown token, so the tokenizer is lossy exactly on such words: κ(unknown) is the unknown token's own text.
/// O(n·L) per word of n base symbols and pieces of at most L. Immutable.
/// </summary>
public sealed class WordPieceTokenizer : ITokenizer
{
    /// <summary>Words longer than this many base symbols become the unknown token (as in BERT).</summary>
    public const int MaxWordLength = 100;

    private readonly ImmutableArray<WordPiece> _pieces;
    private readonly Dictionary<(string Units, bool Continues), int> _ids = [];

    /// <summary>Builds the tokenizer; the unknown token is appended as the last id.</summary>
    /// <exception cref="InvalidModelException">A piece is empty, repeats, or has units outside the base units.</exception>
    public WordPieceTokenizer(BaseUnits units, PreTokenization preTokenization, IReadOnlyList<WordPiece> pieces, string unknown = "[UNK]")
    {
        Units = units;
        PreTokenization = preTokenization;
        for (var i = 0; i < pieces.Count; i++)
        {
            var piece = pieces[i];
            if (piece.Units.IsDefaultOrEmpty) throw new InvalidModelException($"Piece {i} is empty.");
            if (piece.Units.Any(u => units == BaseUnits.Bytes ? u is < 0 or > 255 : !System.Text.Rune.IsValid(u)))
                throw new InvalidModelException($"Piece {i} has a unit that is not a {(units == BaseUnits.Bytes ? "byte" : "Unicode scalar value")}.");
            if (!_ids.TryAdd((string.Join(",", piece.Units), piece.Continues), i)) throw new InvalidModelException($"Piece {i} repeats an earlier piece.");
        }
        _pieces = [.. pieces];
        Unknown = pieces.Count;
        UnknownText = unknown;
        MaxPieceLength = pieces.Count == 0 ? 0 : pieces.Max(p => p.Units.Length);
        BaseSymbols = [.. pieces.SelectMany(p => p.Units).Concat(TextUnits.Of(unknown, units)).Distinct().Order()];
    }

    /// <inheritdoc />
    public BaseUnits Units { get; }

    /// <inheritdoc />
    public PreTokenization PreTokenization { get; }

    /// <summary>The id of the unknown token (the last).</summary>
    public int Unknown { get; }

    /// <summary>The unknown token's text, which is what it decodes to.</summary>
    public string UnknownText { get; }

    /// <summary>The longest piece, in base symbols.</summary>
    public int MaxPieceLength { get; }

    /// <summary>The pieces, then the unknown token.</summary>
    public int VocabularySize => _pieces.Length + 1;

    /// <inheritdoc />
    public ImmutableArray<int> BaseSymbols { get; }

    /// <summary>The piece with id <paramref name="token"/> (not the unknown token).</summary>
    public WordPiece PieceOf(int token) => _pieces[token];

    /// <summary>The id of the piece that spells <paramref name="units"/> (a continuation piece if <paramref name="continues"/>), if there is one.</summary>
    internal bool TryPiece(IEnumerable<int> units, bool continues, out int id) => _ids.TryGetValue((string.Join(",", units), continues), out id);

    /// <summary>τ as a functional transducer (<see cref="WordPieceEncoderTransducer"/>).</summary>
    public Wfst<Real> EncoderTransducer() => WordPieceEncoderTransducer.Of(this);

    /// <inheritdoc />
    public ImmutableArray<int> UnitsOf(int token) => token == Unknown ? [.. TextUnits.Of(UnknownText, Units)] : _pieces[token].Units;

    /// <inheritdoc />
    public int[] Encode(string text) => [.. TextUnits.Segments(text, PreTokenization).SelectMany(s => EncodeWord(TextUnits.Of(s, Units)))];

    /// <inheritdoc />
    public string Decode(IReadOnlyList<int> tokens) => TextUnits.Text([.. tokens.SelectMany(t => UnitsOf(t))], Units);

    /// <summary>The first pieces, continuation pieces written ##piece.</summary>
    public IReadOnlyList<string> Highlights(int count) =>
        [.. _pieces.Take(count).Select(p => (p.Continues ? "##" : "") + $"\"{TextUnits.Display(p.Units, Units)}\"")];

    private int[] EncodeWord(int[] word)
    {
        if (word.Length > MaxWordLength) return [Unknown];
        var result = new List<int>();
        for (var start = 0; start < word.Length;)
        {
            var found = -1;
            var end = Math.Min(word.Length, start + MaxPieceLength);
            for (; end > start; end--)
                if (_ids.TryGetValue((string.Join(",", word[start..end]), start > 0), out found)) break;
            if (end == start) return [Unknown];
            result.Add(found);
            start = end;
        }
        return [.. result];
    }
}
