namespace Workbench.Automata.Tokenization;

/// <summary>A distinct segment of a training corpus as a linked list of token ids, with how often it occurs.</summary>
internal sealed class MergeWord
{
    public MergeWord(int[] symbols, long count)
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

    /// <summary>The tokens left after the merges so far.</summary>
    public int[] Tokens()
    {
        var result = new List<int>();
        for (var i = Symbol.Length == 0 ? -1 : 0; i >= 0; i = Next[i]) result.Add(Symbol[i]);
        return [.. result];
    }
}

/// <summary>
/// The pair statistics that merge-based tokenizer training keeps incrementally: how often each adjacent pair of tokens
/// occurs (overlapping occurrences counted), how often each token occurs, the segments each pair occurs in, and a
/// max-queue of pairs by score with lazy deletion (an entry is current when its score equals the pair's score now).
/// The score is the pair count (BPE) or any function of the pair count and its two tokens' counts (WordPiece's
/// likelihood ratio); when it depends on token counts, a merge re-queues every pair that contains a token whose count
/// it changed. Ties go to the smaller left id, then the smaller right id.
/// </summary>
internal sealed class PairStatistics
{
    private readonly MergeWord[] _words;
    private readonly Func<long, long, long, double>? _score;
    private readonly Dictionary<long, long> _counts = [];
    private readonly Dictionary<int, long> _tokenCounts = [];
    private readonly Dictionary<long, HashSet<int>> _where = [];
    private readonly Dictionary<int, HashSet<long>> _pairsOf = [];
    private readonly PriorityQueue<long, (double NegativeScore, int Left, int Right)> _queue = new();

    /// <param name="words">The corpus's distinct segments.</param>
    /// <param name="score">The score of a pair from (pair count, left token count, right token count); the pair count when null.</param>
    public PairStatistics(MergeWord[] words, Func<long, long, long, double>? score = null)
    {
        _words = words;
        _score = score;
        for (var w = 0; w < words.Length; w++)
        {
            var word = words[w];
            for (var i = word.Length == 0 ? -1 : 0; i >= 0; i = word.Next[i])
            {
                _tokenCounts[word.Symbol[i]] = _tokenCounts.GetValueOrDefault(word.Symbol[i]) + word.Count;
                if (word.Next[i] >= 0) Add(word.Symbol[i], word.Symbol[word.Next[i]], word.Count, w);
            }
        }
        foreach (var pair in _counts.Keys) Offer(pair);
    }

    /// <summary>The pair of highest score that still occurs, with its count and score, or null when no pair is left.</summary>
    public (int Left, int Right, long Count, double Score)? Best()
    {
        while (_queue.TryDequeue(out var pair, out var priority))
        {
            var count = _counts.GetValueOrDefault(pair);
            if (count <= 0) continue;
            var score = Score(pair, count);
            if (score != -priority.NegativeScore)
            {
                Offer(pair);
                continue;
            }
            return (priority.Left, priority.Right, count, score);
        }
        return null;
    }

    /// <summary>Replaces every non-overlapping occurrence of (left, right), left to right in each segment, by result; returns how many (weighted by segment counts).</summary>
    public long Merge(int left, int right, int result)
    {
        var changed = new HashSet<long>();
        long occurrences = 0;
        foreach (var w in _where.GetValueOrDefault(Key(left, right))?.ToArray() ?? [])
        {
            var word = _words[w];
            for (var i = word.Length == 0 ? -1 : 0; i >= 0;)
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
        _tokenCounts[left] = _tokenCounts.GetValueOrDefault(left) - occurrences;
        _tokenCounts[right] = _tokenCounts.GetValueOrDefault(right) - occurrences;
        _tokenCounts[result] = _tokenCounts.GetValueOrDefault(result) + occurrences;
        if (_score is not null)
            foreach (var token in new[] { left, right, result })
                changed.UnionWith(_pairsOf.GetValueOrDefault(token) ?? []);
        foreach (var key in changed) Offer(key);
        return occurrences;
    }

    /// <summary>The pair (left, right) as one key.</summary>
    public static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    private double Score(long pair, long count) =>
        _score is null ? count : _score(count, _tokenCounts.GetValueOrDefault((int)(pair >> 32)), _tokenCounts.GetValueOrDefault((int)(uint)pair));

    private void Add(int left, int right, long count, int word, HashSet<long>? changed = null)
    {
        var key = Key(left, right);
        _counts[key] = _counts.GetValueOrDefault(key) + count;
        if (!_where.TryGetValue(key, out var set)) _where[key] = set = [];
        set.Add(word);
        if (_score is not null)
        {
            foreach (var token in new[] { left, right })
            {
                if (!_pairsOf.TryGetValue(token, out var pairs)) _pairsOf[token] = pairs = [];
                pairs.Add(key);
            }
        }
        changed?.Add(key);
    }

    private void Remove(int left, int right, long count, HashSet<long> changed)
    {
        var key = Key(left, right);
        _counts[key] -= count;
        changed.Add(key);
    }

    private void Offer(long pair)
    {
        var count = _counts.GetValueOrDefault(pair);
        if (count > 0) _queue.Enqueue(pair, (-Score(pair, count), (int)(pair >> 32), (int)(uint)pair));
    }
}
