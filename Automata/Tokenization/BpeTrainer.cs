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
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in corpus)
            foreach (var segment in TextUnits.Segments(text, preTokenization))
                counts[segment] = counts.GetValueOrDefault(segment) + 1;
        if (counts.Count == 0) throw new WorkbenchException("The training corpus is empty: there is nothing to learn merges from.");
        var segments = counts.Keys.ToArray();
        var unitsOf = segments.Select(s => TextUnits.Of(s, units)).ToArray();
        int[] baseSymbols = units == BaseUnits.Bytes ? [.. Enumerable.Range(0, 256)] : [.. unitsOf.SelectMany(u => u).Distinct().Order()];
        if (vocabularySize < baseSymbols.Length)
            throw new WorkbenchException($"The vocabulary size {vocabularySize} is below the {baseSymbols.Length} base symbols of the corpus.");
        var index = baseSymbols.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);
        var words = segments.Select((s, w) => new Word([.. unitsOf[w].Select(u => index[u])], counts[s])).ToArray();
        var state = new PairState(words);
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
            var (left, right, pairCount) = best;
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

    // A distinct segment of the corpus as a linked list of token ids, with its count.
    private sealed class Word
    {
        public Word(int[] symbols, long count)
        {
            Symbol = symbols;
            Count = count;
            Next = [.. Enumerable.Range(1, symbols.Length).Select(i => i < symbols.Length ? i : -1)];
            Previous = [.. Enumerable.Range(-1, symbols.Length)];
        }

        public int[] Symbol { get; }
        public int[] Next { get; }
        public int[] Previous { get; }
        public long Count { get; }
        public int Length => Symbol.Length;

        public int[] Tokens()
        {
            var result = new List<int>();
            for (var i = Symbol.Length == 0 ? -1 : 0; i >= 0; i = Next[i]) result.Add(Symbol[i]);
            return [.. result];
        }
    }

    // Pair counts over the corpus, the segments each pair occurs in, and a max-queue of pairs by count (stale entries are
    // skipped when popped: an entry is current when its count equals the pair's count now).
    private sealed class PairState
    {
        private readonly Word[] _words;
        private readonly Dictionary<long, long> _counts = [];
        private readonly Dictionary<long, HashSet<int>> _where = [];
        private readonly PriorityQueue<long, (long NegativeCount, int Left, int Right)> _queue = new();

        public PairState(Word[] words)
        {
            _words = words;
            for (var w = 0; w < words.Length; w++)
                for (var i = 0; i >= 0 && i < words[w].Length && words[w].Next[i] >= 0; i = words[w].Next[i])
                    Add(words[w].Symbol[i], words[w].Symbol[words[w].Next[i]], words[w].Count, w);
            foreach (var (pair, count) in _counts) Offer(pair, count);
        }

        public (int Left, int Right, long Count)? Best()
        {
            while (_queue.TryDequeue(out var pair, out var priority))
            {
                var count = _counts.GetValueOrDefault(pair);
                if (count <= 0) continue;
                if (count != -priority.NegativeCount)
                {
                    Offer(pair, count);
                    continue;
                }
                return (priority.Left, priority.Right, count);
            }
            return null;
        }

        // Replaces every non-overlapping occurrence of (left, right), left to right in each segment, by result; returns how many (weighted by segment counts).
        public long Merge(int left, int right, int result)
        {
            var pair = BpeTokenizer.Pair(left, right);
            var changed = new HashSet<long>();
            long occurrences = 0;
            foreach (var w in _where.GetValueOrDefault(pair)?.ToArray() ?? [])
            {
                var word = _words[w];
                for (var i = 0; i >= 0 && word.Length > 0;)
                {
                    var j = word.Next[i];
                    if (j < 0) break;
                    if (word.Symbol[i] != left || word.Symbol[j] != right)
                    {
                        i = j;
                        continue;
                    }
                    var before = word.Previous[i];
                    var after = word.Next[j];
                    if (before >= 0) Remove(word.Symbol[before], left, word.Count, changed);
                    if (after >= 0) Remove(right, word.Symbol[after], word.Count, changed);
                    Remove(left, right, word.Count, changed);
                    word.Symbol[i] = result;
                    word.Symbol[j] = -1;
                    word.Next[i] = after;
                    if (after >= 0) word.Previous[after] = i;
                    if (before >= 0) Add(word.Symbol[before], result, word.Count, w, changed);
                    if (after >= 0) Add(result, word.Symbol[after], word.Count, w, changed);
                    occurrences += word.Count;
                    // The next occurrence starts after the merged token: occurrences do not overlap.
                    i = after;
                }
            }
            foreach (var key in changed) Offer(key, _counts.GetValueOrDefault(key));
            return occurrences;
        }

        private void Add(int left, int right, long count, int word, HashSet<long>? changed = null)
        {
            var key = BpeTokenizer.Pair(left, right);
            _counts[key] = _counts.GetValueOrDefault(key) + count;
            if (!_where.TryGetValue(key, out var set)) _where[key] = set = [];
            set.Add(word);
            changed?.Add(key);
        }

        private void Remove(int left, int right, long count, HashSet<long> changed)
        {
            var key = BpeTokenizer.Pair(left, right);
            _counts[key] -= count;
            changed.Add(key);
        }

        private void Offer(long pair, long count)
        {
            if (count > 0) _queue.Enqueue(pair, (-count, (int)(pair >> 32), (int)(uint)pair));
        }
    }
}
