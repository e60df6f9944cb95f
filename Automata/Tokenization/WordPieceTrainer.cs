using System.Collections.Immutable;
using Workbench.Formal.Errors;

namespace Workbench.Automata.Tokenization;

/// <summary>
/// WordPiece training by the likelihood-ratio merge score: start from every base symbol seen at the start of a word and
/// every one seen inside a word (##x), and repeatedly merge the adjacent pair with the largest count(ab)/(count(a)·count(b)),
/// the gain in corpus likelihood of a unigram model when a and b are joined (Schuster &amp; Nakajima 2012), until the
/// vocabulary has the requested size. A merged piece continues a word when its left part does. Ties go to the smaller
/// left id, then right id. Pair and token counts are kept incrementally (<see cref="PairStatistics"/>); a merge re-scores
/// the pairs that contain a token whose count it changed. O(N + Σ changes·log).
/// </summary>
public static class WordPieceTrainer
{
    /// <summary>
    /// Trains on the corpus up to <paramref name="vocabularySize"/> pieces (the unknown token comes on top);
    /// <paramref name="progress"/> hears (pieces so far, pieces wanted) about every 1% of the merges.
    /// </summary>
    /// <exception cref="WorkbenchException">The corpus is empty, or the vocabulary size is below the number of base pieces.</exception>
    public static WordPieceTokenizer Train(IEnumerable<string> corpus, int vocabularySize, BaseUnits units, PreTokenization preTokenization, string unknown = "[UNK]",
        Action<int, int>? progress = null)
    {
        var counts = TextUnits.SegmentCounts(corpus, preTokenization, "pieces");
        var segments = counts.Keys.ToArray();
        var unitsOf = segments.Select(s => TextUnits.Of(s, units)).ToArray();
        var pieces = new List<WordPiece>();
        var ids = new Dictionary<(string, bool), int>();
        int Id(ImmutableArray<int> piece, bool continues)
        {
            var key = (string.Join(",", piece), continues);
            if (ids.TryGetValue(key, out var id)) return id;
            ids[key] = pieces.Count;
            pieces.Add(new WordPiece(piece, continues));
            return pieces.Count - 1;
        }
        // Base pieces in a fixed order: word-initial symbols by value, then continuation symbols by value.
        foreach (var u in unitsOf.Where(w => w.Length > 0).Select(w => w[0]).Distinct().Order()) Id([u], false);
        foreach (var u in unitsOf.SelectMany(w => w.Skip(1)).Distinct().Order()) Id([u], true);
        if (vocabularySize < pieces.Count)
            throw new WorkbenchException($"The vocabulary size {vocabularySize} is below the {pieces.Count} base pieces of the corpus.");
        var words = segments.Select((s, w) => new MergeWord([.. unitsOf[w].Select((u, i) => Id([u], i > 0))], counts[s])).ToArray();
        var state = new PairStatistics(words, (pair, left, right) => (double)pair / ((double)left * right));
        var reportEvery = Math.Max(1, (vocabularySize - pieces.Count) / 100);
        while (pieces.Count < vocabularySize && state.Best() is { } best)
        {
            var result = Id(pieces[best.Left].Units.AddRange(pieces[best.Right].Units), pieces[best.Left].Continues);
            state.Merge(best.Left, best.Right, result);
            if (pieces.Count % reportEvery == 0) progress?.Invoke(pieces.Count, vocabularySize);
        }
        return new WordPieceTokenizer(units, preTokenization, pieces, unknown);
    }
}
