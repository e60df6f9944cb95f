using System.Text;
using Workbench.Formal.Errors;

namespace Workbench.Automata.Tokenization;

/// <summary>What a tokenizer's base symbols are: Unicode code points, or the bytes of the UTF-8 encoding (never unknown).</summary>
public enum BaseUnits
{
    /// <summary>One base symbol per Unicode code point (scalar value) seen in training.</summary>
    Characters,

    /// <summary>The 256 byte values of UTF-8: every text has an encoding.</summary>
    Bytes,
}

/// <summary>How text is cut into segments before merging; merges never cross a segment boundary.</summary>
public enum PreTokenization
{
    /// <summary>The whole text is one segment.</summary>
    None,

    /// <summary>A segment starts at every whitespace run that follows a non-whitespace character, so a word carries the spaces before it (" the"); the segments concatenate back to the text.</summary>
    Whitespace,

    /// <summary>
    /// GPT-2's pattern (the ByteLevel pre-tokenizer of HuggingFace tokenizers with use_regex): contractions, a letter run
    /// or a digit run or a run of other symbols each with an optional leading space, and whitespace runs (the last space
    /// of a run goes to the next word). The matches cover the text, so they concatenate back to it.
    /// </summary>
    Gpt2,
}

/// <summary>Text as base units and segments, and back. O(length).</summary>
public static class TextUnits
{
    /// <summary>The base units of <paramref name="text"/>: code points, or UTF-8 bytes.</summary>
    /// <exception cref="ParseException">Characters mode and the text has an unpaired surrogate.</exception>
    public static int[] Of(string text, BaseUnits units)
    {
        if (units == BaseUnits.Bytes) return [.. Encoding.UTF8.GetBytes(text).Select(b => (int)b)];
        var result = new List<int>(text.Length);
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) != System.Buffers.OperationStatus.Done)
                throw new ParseException($"The text has an unpaired surrogate at character {i + 1}; it is not valid Unicode.");
            result.Add(rune.Value);
            i += used;
        }
        return [.. result];
    }

    /// <summary>The text of a sequence of base units.</summary>
    /// <exception cref="ParseException">Bytes mode and the bytes are not valid UTF-8 (a token sequence may split a character).</exception>
    public static string Text(IReadOnlyList<int> units, BaseUnits mode)
    {
        if (mode == BaseUnits.Characters) return string.Concat(units.Select(u => new Rune(u).ToString()));
        var bytes = units.Select(u => (byte)u).ToArray();
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ParseException("The bytes are not valid UTF-8 (the tokens split a character); decode them as bytes instead.");
        }
    }

    private static readonly System.Text.RegularExpressions.Regex Gpt2Pattern = new(
        @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", System.Text.RegularExpressions.RegexOptions.Compiled | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>The segments of <paramref name="text"/> under <paramref name="mode"/>; they concatenate to the text. O(length).</summary>
    public static IEnumerable<string> Segments(string text, PreTokenization mode)
    {
        if (mode == PreTokenization.Gpt2)
        {
            foreach (System.Text.RegularExpressions.Match match in Gpt2Pattern.Matches(text)) yield return match.Value;
            yield break;
        }
        if (mode == PreTokenization.None || text.Length == 0)
        {
            if (text.Length > 0) yield return text;
            yield break;
        }
        var start = 0;
        for (var i = 1; i < text.Length; i++)
            if (char.IsWhiteSpace(text[i]) && !char.IsWhiteSpace(text[i - 1]))
            {
                yield return text[start..i];
                start = i;
            }
        yield return text[start..];
    }

    /// <summary>
    /// How often each segment occurs in the corpus under <paramref name="mode"/>: what every trainer learns from. O(corpus).
    /// </summary>
    /// <exception cref="WorkbenchException">The corpus has no segment (it is empty, or every text is); <paramref name="what"/> names what there is nothing to learn.</exception>
    public static Dictionary<string, long> SegmentCounts(IEnumerable<string> corpus, PreTokenization mode, string what)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in corpus)
            foreach (var segment in Segments(text, mode))
                counts[segment] = counts.GetValueOrDefault(segment) + 1;
        if (counts.Count == 0) throw new WorkbenchException($"The training corpus is empty: there is nothing to learn {what} from.");
        return counts;
    }

    /// <summary>The text of units for display: the text itself, or, for bytes that are not valid UTF-8 on their own, their names.</summary>
    public static string Display(IReadOnlyList<int> units, BaseUnits mode)
    {
        try
        {
            return Text(units, mode);
        }
        catch (ParseException)
        {
            return string.Concat(units.Select(u => NameOf(u, mode)));
        }
    }

    /// <summary>A printable name of one base unit: the character itself, or a byte as &lt;0xHH&gt; when it is not printable ASCII.</summary>
    public static string NameOf(int unit, BaseUnits mode) =>
        mode == BaseUnits.Characters ? new Rune(unit).ToString()
        : unit is >= 0x21 and <= 0x7e ? ((char)unit).ToString() : $"<0x{unit:X2}>";
}
