namespace Workbench.Formal.Testing;

/// <summary>
/// Mutated copies of a valid input file for fuzzing parsers: each mutant applies one to three random edits — delete,
/// insert or replace a character (drawn from the characters that matter to the formats: digits, signs, brackets,
/// quotes, separators, whitespace, letters), duplicate or drop a slice, or truncate. Deterministic for a seed. O(length) per mutant.
/// </summary>
public static class TextMutations
{
    private const string Alphabet = "0123456789-+.eE[]{}()\"':,|#\t\n >abSε<";

    /// <summary><paramref name="count"/> mutants of <paramref name="text"/>.</summary>
    public static IEnumerable<string> Of(string text, Random random, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var mutant = text;
            for (var edits = random.Next(1, 4); edits > 0; edits--) mutant = Edit(mutant, random);
            yield return mutant;
        }
    }

    private static string Edit(string text, Random random)
    {
        var at = random.Next(text.Length + 1);
        var character = Alphabet[random.Next(Alphabet.Length)].ToString();
        return random.Next(6) switch
        {
            0 when text.Length > 0 && at < text.Length => text.Remove(at, 1),
            1 => text.Insert(at, character),
            2 when at < text.Length => text.Remove(at, 1).Insert(at, character),
            3 when text.Length > 0 => Duplicate(text, random),
            4 when at < text.Length => text.Remove(at, Math.Min(text.Length - at, random.Next(1, 12))),
            5 => text[..at],
            _ => text.Insert(at, character),
        };
    }

    private static string Duplicate(string text, Random random)
    {
        var start = random.Next(text.Length);
        var length = Math.Min(text.Length - start, random.Next(1, 40));
        return text.Insert(random.Next(text.Length + 1), text.Substring(start, length));
    }
}
