using System.Collections.Immutable;
using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Tokenization;

/// <summary>One BPE merge: the adjacent pair (<paramref name="Left"/>, <paramref name="Right"/>) becomes <paramref name="Result"/>.</summary>
public readonly record struct BpeMerge(int Left, int Right, int Result);

/// <summary>
/// A byte-pair-encoding tokenizer (Sennrich et al. 2016; Gage 1994): the base symbols (code points or bytes) are tokens
/// 0..B−1 (in the order given: by value when trained here, in the file's order when read), and each merge joins an adjacent pair into a token that stands for the concatenation.
/// Encoding applies the merges in the order they were learned, each to every non-overlapping occurrence from left to
/// right, within each segment of the pre-tokenization; decoding concatenates what the tokens stand for (κ, a
/// homomorphism). Immutable. Encoding costs O(n log n) per segment of n base symbols (a priority queue of pair
/// positions by merge rank), with a cache of segments already seen. Notes, part on tokenization (P8.1).
/// </summary>
public sealed class BpeTokenizer : ITokenizer
{
    /// <summary>Segments longer than this many base units are not cached.</summary>
    private const int CachedSegmentLength = 64;

    private readonly ImmutableArray<ImmutableArray<int>> _contents;
    private readonly Dictionary<int, int> _baseIndex;
    private readonly Dictionary<long, (int Rank, int Result)> _ranks;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);

    /// <summary>Builds the tokenizer, checking that every merge joins tokens that exist before it.</summary>
    /// <exception cref="InvalidModelException">Base symbols repeat or are out of range, or a merge names a token that does not exist yet, or repeats a pair.</exception>
    public BpeTokenizer(BaseUnits units, PreTokenization preTokenization, IReadOnlyList<int> baseSymbols, IReadOnlyList<(int Left, int Right)> merges)
    {
        Units = units;
        PreTokenization = preTokenization;
        var symbols = baseSymbols.ToArray();
        if (symbols.Length == 0) throw new InvalidModelException("A BPE tokenizer needs at least one base symbol.");
        for (var i = 0; i < symbols.Length; i++)
        {
            var valid = units == BaseUnits.Bytes ? symbols[i] is >= 0 and <= 255 : symbols[i] is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF);
            if (!valid) throw new InvalidModelException($"Base symbol {i} ({symbols[i]}) is not a {(units == BaseUnits.Bytes ? "byte" : "Unicode scalar value")}.");
        }
        BaseSymbols = [.. symbols];
        _baseIndex = [];
        for (var i = 0; i < symbols.Length; i++)
            if (!_baseIndex.TryAdd(symbols[i], i)) throw new InvalidModelException($"Base symbol {i} ({symbols[i]}) repeats base symbol {_baseIndex[symbols[i]]}.");
        var contents = symbols.Select(s => ImmutableArray.Create(s)).ToList();
        var byContent = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < contents.Count; i++) byContent[Key(contents[i])] = i;
        _ranks = [];
        var resolved = new List<BpeMerge>(merges.Count);
        for (var k = 0; k < merges.Count; k++)
        {
            var (left, right) = merges[k];
            if ((uint)left >= (uint)contents.Count || (uint)right >= (uint)contents.Count)
                throw new InvalidModelException($"Merge {k} joins token {left} and token {right}, but only tokens 0..{contents.Count - 1} exist before it.");
            var content = contents[left].AddRange(contents[right]);
            var key = Key(content);
            if (!byContent.TryGetValue(key, out var result))
            {
                result = contents.Count;
                contents.Add(content);
                byContent[key] = result;
            }
            if (!_ranks.TryAdd(PairStatistics.Key(left, right), (k, result)))
                throw new InvalidModelException($"Merge {k} repeats the pair ({left}, {right}).");
            resolved.Add(new BpeMerge(left, right, result));
        }
        Merges = [.. resolved];
        _contents = [.. contents];
    }

    /// <summary>Code points or bytes.</summary>
    public BaseUnits Units { get; }

    /// <summary>How text is cut into segments before merging.</summary>
    public PreTokenization PreTokenization { get; }

    /// <summary>The base symbols (code points or byte values): token i stands for base symbol i.</summary>
    public ImmutableArray<int> BaseSymbols { get; }

    /// <summary>The merges in the order they apply.</summary>
    public ImmutableArray<BpeMerge> Merges { get; }

    /// <summary>|V|: the base symbols and every distinct merged token.</summary>
    public int VocabularySize => _contents.Length;

    /// <summary>κ(token): the base units the token stands for.</summary>
    public ImmutableArray<int> UnitsOf(int token) => _contents[token];

    /// <summary>The text of a token (for byte tokens that split a character, their bytes by <see cref="TextUnits.NameOf"/>).</summary>
    public string TextOf(int token) => TextUnits.Display(_contents[token], Units);

    /// <summary>τ(x): the token ids of <paramref name="text"/>.</summary>
    /// <exception cref="UnknownSymbolException">A character that is not a base symbol (characters mode); the message gives its position.</exception>
    public int[] Encode(string text)
    {
        var result = new List<int>();
        var offset = 0;
        foreach (var segment in TextUnits.Segments(text, PreTokenization))
        {
            result.AddRange(EncodeSegment(segment, offset));
            offset += segment.Length;
        }
        return [.. result];
    }

    /// <summary>The merges applied to a sequence of base units as one segment (no pre-tokenization), for any units, also bytes that are not UTF-8.</summary>
    /// <exception cref="UnknownSymbolException">A unit is not a base symbol.</exception>
    public int[] EncodeUnits(IReadOnlyList<int> units)
    {
        var tokens = new int[units.Count];
        for (var i = 0; i < tokens.Length; i++)
            if (!_baseIndex.TryGetValue(units[i], out tokens[i]))
                throw new UnknownSymbolException($"The unit {units[i]} at position {i + 1} is not a base symbol of the tokenizer.", TextUnits.NameOf(units[i], Units), i + 1);
        return ApplyMerges(tokens);
    }

    /// <summary>
    /// τ as a functional transducer: κ⁻¹ composed with the identity on the canonical token strings
    /// (<see cref="Canonicality.Automaton"/>), since τ(x) is the one canonical token string that spells x (Berglund et
    /// al. 2024 and Cognetta &amp; Okazaki 2024 give direct constructions; this one reuses the bigram characterisation).
    /// About Σ_τ |κ(τ)| + |V| states and O(|V|²) arcs.
    /// </summary>
    /// <exception cref="WorkbenchException">The pre-tokenization is not local, or the vocabulary exceeds <see cref="Canonicality.MaxVocabulary"/>.</exception>
    public Wfst<Real> EncoderTransducer() =>
        Operations.Composition.Compose(DecoderTransducer.Of(this).Inverse(), Wfst<Real>.Identity(Canonicality.Automaton(this)));

    /// <summary>κ(τ): the base units the tokens stand for, concatenated. O(output).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A token id is outside the vocabulary.</exception>
    public int[] DecodeUnits(IReadOnlyList<int> tokens)
    {
        var units = new List<int>();
        foreach (var token in tokens)
        {
            if ((uint)token >= (uint)_contents.Length) throw new ArgumentOutOfRangeException(nameof(tokens), token, $"Token ids run from 0 to {_contents.Length - 1}.");
            units.AddRange(_contents[token]);
        }
        return [.. units];
    }

    /// <summary>The text of a token sequence.</summary>
    /// <exception cref="ParseException">Bytes mode and the bytes are not valid UTF-8.</exception>
    public string Decode(IReadOnlyList<int> tokens) => TextUnits.Text(DecodeUnits(tokens), Units);

    private int[] EncodeSegment(string segment, int offset)
    {
        if (_cache.TryGetValue(segment, out var cached)) return cached;
        var units = TextUnits.Of(segment, Units);
        var tokens = new int[units.Length];
        for (var i = 0; i < units.Length; i++)
        {
            if (!_baseIndex.TryGetValue(units[i], out tokens[i]))
                throw new UnknownSymbolException($"The character '{TextUnits.NameOf(units[i], Units)}' at position {offset + i + 1} is not in the tokenizer's alphabet.", TextUnits.NameOf(units[i], Units), offset + i + 1);
        }
        var merged = ApplyMerges(tokens);
        if (units.Length <= CachedSegmentLength) _cache.TryAdd(segment, merged);
        return merged;
    }

    // The merges in rank order, each left to right over non-overlapping occurrences: a queue of (rank, position) over a
    // linked list. A merge never creates a pair of lower rank (its result did not exist when those were learned), so
    // popping the lowest rank, leftmost first, is applying the merges in order.
    private int[] ApplyMerges(int[] tokens)
    {
        var n = tokens.Length;
        if (n < 2) return tokens;
        var symbol = (int[])tokens.Clone();
        var next = new int[n];
        var previous = new int[n];
        for (var i = 0; i < n; i++)
        {
            next[i] = i + 1 < n ? i + 1 : -1;
            previous[i] = i - 1;
        }
        var queue = new PriorityQueue<int, (int Rank, int Position)>();
        void Offer(int position)
        {
            if (position < 0 || next[position] < 0) return;
            if (_ranks.TryGetValue(PairStatistics.Key(symbol[position], symbol[next[position]]), out var merge)) queue.Enqueue(position, (merge.Rank, position));
        }
        for (var i = 0; i + 1 < n; i++) Offer(i);
        while (queue.TryDequeue(out var position, out var priority))
        {
            var right = next[position];
            if (symbol[position] < 0 || right < 0) continue;
            if (!_ranks.TryGetValue(PairStatistics.Key(symbol[position], symbol[right]), out var merge) || merge.Rank != priority.Rank) continue;
            symbol[position] = merge.Result;
            symbol[right] = -1;
            next[position] = next[right];
            if (next[right] >= 0) previous[next[right]] = position;
            Offer(previous[position]);
            Offer(position);
        }
        var result = new List<int>(n);
        for (var i = 0; i >= 0; i = next[i]) result.Add(symbol[i]);
        return [.. result];
    }

    /// <summary>The first merges, as "left" + "right" → "result".</summary>
    public IReadOnlyList<string> Highlights(int count) =>
        [.. Merges.Take(count).Select(m => $"\"{TextOf(m.Left)}\" + \"{TextOf(m.Right)}\" → \"{TextOf(m.Result)}\"")];

    private static string Key(ImmutableArray<int> units) => string.Join(",", units);
}
