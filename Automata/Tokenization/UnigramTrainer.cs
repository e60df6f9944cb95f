using Workbench.Formal.Errors;
using Workbench.Formal.Numerics;

namespace Workbench.Automata.Tokenization;

/// <summary>
/// Unigram training by EM over the segmentation lattices (Kudo 2018). The seed vocabulary is every base symbol and
/// every substring of 2..L symbols that occurs at least twice, the most frequent first, up to ten times the target
/// size, with probabilities proportional to frequency. Each round runs EM — the E-step computes each piece's expected
/// count from the forward and backward weights of every segment's lattice, the M-step renormalises them — and then
/// prunes to the larger of the target and a fixed share of the pieces, keeping those with the largest expected counts
/// and always every base symbol, so every text over the training alphabet stays segmentable. (SentencePiece prunes by
/// the loss of likelihood that removing a piece causes; ranking by expected count is this trainer's simpler rule.)
/// O(rounds·EM iterations·N·L) for N base symbols.
/// </summary>
public static class UnigramTrainer
{
    /// <summary>
    /// Trains a unigram tokenizer with about <paramref name="vocabularySize"/> pieces (never fewer than the base symbols);
    /// <paramref name="progress"/> hears (pieces kept, pieces wanted) after each pruning round.
    /// </summary>
    /// <exception cref="WorkbenchException">The corpus is empty.</exception>
    public static UnigramTokenizer Train(IEnumerable<string> corpus, int vocabularySize, BaseUnits units, PreTokenization preTokenization,
        int maxPieceLength = 8, int emIterations = 2, double keepShare = 0.75, Action<int, int>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPieceLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(emIterations, 1);
        if (!(keepShare is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(keepShare), keepShare, "The share kept per round must lie in (0, 1).");
        var counts = TextUnits.SegmentCounts(corpus, preTokenization, "pieces");
        var words = counts.Select(p => (Units: TextUnits.Of(p.Key, units), Count: (double)p.Value)).ToArray();

        var frequency = new Dictionary<string, (int[] Units, double Count)>(StringComparer.Ordinal);
        foreach (var (word, count) in words)
            for (var i = 0; i < word.Length; i++)
                for (var j = i + 1; j <= Math.Min(word.Length, i + maxPieceLength); j++)
                {
                    var key = string.Join(",", word[i..j]);
                    frequency[key] = (frequency.TryGetValue(key, out var seen) ? seen.Units : word[i..j], (frequency.TryGetValue(key, out seen) ? seen.Count : 0) + count);
                }
        var singles = frequency.Values.Where(p => p.Units.Length == 1).OrderBy(p => p.Units[0]).ToList();
        var longer = frequency.Values.Where(p => p.Units.Length > 1 && p.Count >= 2)
            .OrderByDescending(p => p.Count).ThenBy(p => string.Join(",", p.Units), StringComparer.Ordinal)
            .Take(Math.Max(0, 10 * vocabularySize - singles.Count)).ToList();
        var pieces = singles.Concat(longer).ToList();
        var target = Math.Max(vocabularySize, singles.Count);
        while (true)
        {
            for (var iteration = 0; iteration < emIterations; iteration++) pieces = ExpectationMaximisation(pieces, words, units, preTokenization);
            if (pieces.Count <= target) break;
            var keep = Math.Max(target, (int)(keepShare * pieces.Count));
            var ranked = pieces.Where(p => p.Units.Length > 1).OrderByDescending(p => p.Count).ThenBy(p => string.Join(",", p.Units), StringComparer.Ordinal)
                .Take(Math.Max(0, keep - singles.Count));
            pieces = [.. pieces.Where(p => p.Units.Length == 1).Concat(ranked)];
            progress?.Invoke(pieces.Count, target);
        }
        return Tokenizer(pieces, units, preTokenization);
    }

    // One EM step: each piece's expected count over all segmentations of the corpus under the current probabilities,
    // renormalised; pieces whose expected count vanishes are dropped, except base symbols (kept with a tiny count).
    private static List<(int[] Units, double Count)> ExpectationMaximisation(List<(int[] Units, double Count)> pieces, (int[] Units, double Count)[] words, BaseUnits units, PreTokenization preTokenization)
    {
        var tokenizer = Tokenizer(pieces, units, preTokenization);
        var expected = new double[pieces.Count];
        foreach (var (word, count) in words)
        {
            var alpha = tokenizer.Forward(word);
            var beta = tokenizer.Backward(word);
            var total = alpha[^1];
            if (double.IsNegativeInfinity(total)) continue;
            foreach (var (piece, start, end) in tokenizer.Arcs(word))
                expected[piece] += count * Math.Exp(alpha[start] + tokenizer.LogProbabilities[piece] + beta[end] - total);
        }
        return [.. pieces.Select((p, i) => (p.Units, Count: Math.Max(expected[i], p.Units.Length == 1 ? 1e-6 : 0))).Where(p => p.Count > 0)];
    }

    private static UnigramTokenizer Tokenizer(List<(int[] Units, double Count)> pieces, BaseUnits units, PreTokenization preTokenization)
    {
        var total = pieces.Sum(p => p.Count);
        return new UnigramTokenizer(units, preTokenization, [.. pieces.Select(p => (p.Units, p.Count / total))]);
    }
}
