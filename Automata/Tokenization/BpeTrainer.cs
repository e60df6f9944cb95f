using Workbench.Formal.Errors;

namespace Workbench.Automata.Tokenization;

/// <summary>What one learned merge did to the training corpus.</summary>
/// <param name="Merge">The pair and the token it became.</param>
/// <param name="PairCount">How often the pair stood adjacent in the corpus when it was chosen (overlapping occurrences counted: "aaa" holds (a, a) twice).</param>
/// <param name="Occurrences">How many non-overlapping occurrences, left to right, it replaced: the number of tokens the corpus lost.</param>
public sealed record BpeMergeRecord(BpeMerge Merge, long PairCount, long Occurrences);

/// <summary>A trained tokenizer, with the history of its training.</summary>
/// <param name="Tokenizer">The tokenizer.</param>
/// <param name="History">One record per merge, in order.</param>
/// <param name="InitialLength">The corpus length in base symbols.</param>
/// <param name="FinalLength">The corpus length in tokens after the last merge.</param>
/// <param name="Segmentation">The training segmentation of every distinct segment of the corpus.</param>
public sealed record BpeTrainingResult(BpeTokenizer Tokenizer, IReadOnlyList<BpeMergeRecord> History, long InitialLength, long FinalLength, IReadOnlyDictionary<string, int[]> Segmentation);

/// <summary>
/// BPE training: start from the base symbols of the corpus and repeatedly merge the adjacent pair that occurs most often,
/// until the vocabulary has the requested size or no adjacent pair is left. Ties go to the pair with the smaller
/// left token id, then the smaller right id (ids in order of creation, base symbols by code point or byte value), so
/// training is deterministic. Pair counts are kept incrementally — a merge touches only the segments that contain its
/// pair, found through an index from pairs to segments — and the next pair comes from a priority queue with lazy
/// deletion, so each merge costs time proportional to the occurrences it changes, not a rescan of the corpus.
/// O(N + Σ_merges changed occurrences · log) for N base symbols. Notes, part on tokenization (P8.1).
/// </summary>
public static class BpeTrainer
{
    /// <summary>Trains on a corpus up to a vocabulary size.</summary>
    /// <param name="corpus">The training texts, one per element (a line, a document).</param>
    /// <param name="vocabularySize">|V| wanted: the base symbols plus the merges.</param>
    /// <param name="units">Code points or bytes.</param>
    /// <param name="preTokenization">How texts are cut into segments that merges do not cross.</param>
    /// <param name="progress">Called with (merges done, merges wanted) about every 1% of the merges.</param>
    /// <exception cref="WorkbenchException">The corpus is empty, or the vocabulary size is below the number of base symbols.</exception>
    public static BpeTrainingResult Train(IEnumerable<string> corpus, int vocabularySize, BaseUnits units, PreTokenization preTokenization, Action<int, int>? progress = null)
    {
        var counts = TextUnits.SegmentCounts(corpus, preTokenization, "merges");
        var segments = counts.Keys.ToArray();
        var unitsOf = segments.Select(s => TextUnits.Of(s, units)).ToArray();
        int[] baseSymbols = units == BaseUnits.Bytes ? [.. Enumerable.Range(0, 256)] : [.. unitsOf.SelectMany(u => u).Distinct().Order()];
        if (vocabularySize < baseSymbols.Length)
            throw new WorkbenchException($"The vocabulary size {vocabularySize} is below the {baseSymbols.Length} base symbols of the corpus.");
        var index = baseSymbols.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);
        var words = segments.Select((s, w) => new MergeWord([.. unitsOf[w].Select(u => index[u])], counts[s])).ToArray();
        var state = new PairStatistics(words);
        var initialLength = words.Sum(w => (long)w.Length * w.Count);
        var length = initialLength;
        var contents = baseSymbols.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var byContent = contents.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var merges = new List<(int Left, int Right)>();
        var history = new List<BpeMergeRecord>();
        var wanted = vocabularySize - baseSymbols.Length;
        var reportEvery = Math.Max(1, wanted / 100);
        while (contents.Count < vocabularySize && state.Best() is { } best)
        {
            var (left, right, pairCount) = (best.Left, best.Right, best.Count);
            var content = contents[left] + "," + contents[right];
            if (!byContent.TryGetValue(content, out var result))
            {
                result = contents.Count;
                contents.Add(content);
                byContent[content] = result;
            }
            var occurrences = state.Merge(left, right, result);
            merges.Add((left, right));
            history.Add(new BpeMergeRecord(new BpeMerge(left, right, result), pairCount, occurrences));
            length -= occurrences;
            if (merges.Count % reportEvery == 0) progress?.Invoke(merges.Count, wanted);
        }
        var tokenizer = new BpeTokenizer(units, preTokenization, baseSymbols, merges);
        var segmentation = segments.Select((s, w) => (s, words[w].Tokens())).ToDictionary(p => p.s, p => p.Item2, StringComparer.Ordinal);
        return new BpeTrainingResult(tokenizer, history, initialLength, length, segmentation);
    }
}
