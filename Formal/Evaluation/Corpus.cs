using Workbench.Formal.IO;
using Workbench.Formal.Errors;
using Workbench.Formal.Symbols;

namespace Workbench.Formal.Evaluation;

/// <summary>
/// Reads a corpus: one string per line in the alphabet's notation (<see cref="Alphabet.Parse"/>), ε for
/// the empty string; blank lines and lines starting with '#' are skipped. O(file size).
/// </summary>
public static class Corpus
{
    /// <summary>The strings of the file at <paramref name="path"/>.</summary>
    /// <exception cref="WorkbenchException">The file is missing or unreadable.</exception>
    /// <exception cref="ParseException">A line has an unknown symbol; the message gives file, line and column.</exception>
    public static IReadOnlyList<int[]> Read(string path, Alphabet alphabet)
    {
        return Parse(TextFile.ReadLines(path), alphabet, path);
    }

    /// <summary>
    /// The alphabet a corpus uses, symbols in ordinal order: space-separated tokens, or single characters
    /// on lines without spaces (comments, blank lines and ε contribute nothing).
    /// </summary>
    public static Alphabet AlphabetOf(IEnumerable<string> lines) =>
        new(lines.SelectMany(Tokens).Distinct().Order(StringComparer.Ordinal));

    private static IEnumerable<string> Tokens(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0 || trimmed.StartsWith('#') || trimmed == Alphabet.EmptyStringName) return [];
        return trimmed.Contains(' ') ? trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries) : trimmed.Select(c => c.ToString());
    }

    /// <summary>The strings of <paramref name="lines"/>; <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="ParseException">A line has an unknown symbol; the message gives source, line and column.</exception>
    public static IReadOnlyList<int[]> Parse(IEnumerable<string> lines, Alphabet alphabet, string source)
    {
        var corpus = new List<int[]>();
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#')) continue;
            try
            {
                corpus.Add(alphabet.Parse(line));
            }
            catch (UnknownSymbolException exception) when (exception.Column is { } column)
            {
                throw new ParseException(source, number, column, $"unknown symbol '{exception.Symbol}'; the alphabet is {alphabet}.");
            }
        }
        return corpus;
    }
}
