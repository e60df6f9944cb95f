using System.Text;

namespace Workbench.Automata.Tokenization;

/// <summary>
/// A deterministic synthetic text corpus for tokenizer benchmarks: sentences of words drawn with Zipfian frequencies
/// (rank r with weight 1/r) from a lexicon of pronounceable words built from syllables, with capitals, punctuation,
/// numbers and a small share of non-ASCII words, so that BPE has long-tailed pair statistics as in natural text.
/// O(size). The same seed and size always give the same text.
/// </summary>
public static class SyntheticCorpus
{
    private static readonly string[] Onsets = ["", "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "st", "tr", "ch", "sh", "th", "pl", "gr"];
    private static readonly string[] Nuclei = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "ee"];
    private static readonly string[] Codas = ["", "", "n", "r", "s", "t", "l", "nd", "ng", "st", "ck"];
    private static readonly string[] Foreign = ["über", "naïve", "façade", "日本語", "данные", "λόγος", "😀", "café", "straße"];

    /// <summary>Lines of text adding up to about <paramref name="characters"/> characters.</summary>
    public static IEnumerable<string> Lines(long characters, int seed, int lexiconSize = 50_000)
    {
        var random = new Random(seed);
        var lexicon = new string[lexiconSize];
        for (var i = 0; i < lexiconSize; i++)
        {
            var word = new StringBuilder();
            for (var s = 1 + random.Next(3) + (random.Next(4) == 0 ? 1 : 0); s > 0; s--)
                word.Append(Onsets[random.Next(Onsets.Length)]).Append(Nuclei[random.Next(Nuclei.Length)]).Append(Codas[random.Next(Codas.Length)]);
            lexicon[i] = word.ToString();
        }
        // Zipf: the cumulative weights of 1/r, searched by binary search.
        var cumulative = new double[lexiconSize];
        var total = 0.0;
        for (var r = 0; r < lexiconSize; r++) cumulative[r] = total += 1.0 / (r + 1);
        long written = 0;
        var line = new StringBuilder();
        while (written < characters)
        {
            line.Clear();
            for (var w = 0; w < 8 + random.Next(20); w++)
            {
                if (w > 0) line.Append(random.Next(30) == 0 ? "  " : " ");
                var roll = random.Next(100);
                var word = roll switch
                {
                    < 2 => Foreign[random.Next(Foreign.Length)],
                    < 5 => random.Next(10_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    _ => lexicon[Index(cumulative, random.NextDouble() * total)],
                };
                line.Append(w == 0 && word.Length > 0 && char.IsAsciiLetterLower(word[0]) ? char.ToUpperInvariant(word[0]) + word[1..] : word);
                if (random.Next(12) == 0) line.Append(random.Next(3) == 0 ? ";" : ",");
            }
            line.Append(random.Next(5) == 0 ? "?" : ".");
            written += line.Length + 1;
            yield return line.ToString();
        }
    }

    private static int Index(double[] cumulative, double target)
    {
        var index = Array.BinarySearch(cumulative, target);
        return index >= 0 ? index : Math.Min(~index, cumulative.Length - 1);
    }
}
