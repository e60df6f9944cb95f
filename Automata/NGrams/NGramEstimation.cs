using Workbench.Formal.Errors;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.NGrams;

/// <summary>
/// Estimating n-gram LMs from a corpus. Every string is read as BOS^{n−1}·y·EOS; the events are the pairs
/// (history of n − 1 symbols, next symbol in Σ̄). Notes §4.1 (n-gram LMs), §3.2 (MLE).
/// </summary>
public static class NGramEstimation
{
    /// <summary>The largest number of histories a smoothed model may enumerate (all BOS-padded histories).</summary>
    public const int MaxHistories = 2_000_000;

    /// <summary>The most conditional probabilities (histories × |Σ̄|) a smoothed model may hold.</summary>
    public const double MaxTableEntries = 50_000_000;

    /// <summary>Maximum likelihood: p(ȳ | h) = c(h ȳ)/c(h) on the observed histories (relative frequencies, P3.9). O(Σ|y|·n).</summary>
    public static NGramModel MaximumLikelihood(Alphabet alphabet, int order, IEnumerable<int[]> corpus)
    {
        var counts = Count(alphabet, order, corpus);
        return new NGramModel(alphabet, order, counts.Select(entry => (entry.Key.History, Normalise(entry.Value))));
    }

    /// <summary>
    /// Add-λ (Lidstone) smoothing over every BOS-padded history: p(ȳ | h) = (c(h ȳ) + λ)/(c(h) + λ|Σ̄|), so every
    /// string has positive probability. O(Σ_{k&lt;n}|Σ|^k · |Σ̄| + Σ|y|·n).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">λ is not positive.</exception>
    public static NGramModel AddLambda(Alphabet alphabet, int order, IEnumerable<int[]> corpus, double lambda)
    {
        if (!(lambda > 0) || double.IsInfinity(lambda)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must be a positive finite number.");
        var counts = Count(alphabet, order, corpus);
        return new NGramModel(alphabet, order, AllHistories(alphabet, order).Select(history =>
        {
            var observed = counts.GetValueOrDefault(new HistoryKey(history));
            var total = (observed?.Sum() ?? 0) + lambda * alphabet.SizeWithEos;
            return (history, Enumerable.Range(0, alphabet.SizeWithEos).Select(s => ((observed?[s] ?? 0) + lambda) / total).ToArray());
        }));
    }

    /// <summary>
    /// Interpolated Kneser–Ney (Chen &amp; Goodman 1999) with absolute discount d: p(ȳ | h) =
    /// max(c(h ȳ) − d, 0)/c(h) + d·N₁₊(h •)/c(h)·p(ȳ | h′), h′ the history without its first symbol; lower
    /// orders count distinct left contexts (continuation counts) instead of tokens; the recursion ends in
    /// the uniform distribution over Σ̄, so every string has positive probability. Unseen histories back
    /// off entirely. Over every BOS-padded history.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">d is not in (0, 1).</exception>
    public static NGramModel InterpolatedKneserNey(Alphabet alphabet, int order, IEnumerable<int[]> corpus, double discount = 0.75)
    {
        if (!(discount is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(discount), discount, "The discount must lie in (0, 1).");
        var strings = corpus.ToList();
        // Counts per order k = 1..n: tokens at the top order, distinct left extensions below it.
        var levels = new Dictionary<HistoryKey, double[]>[order + 1];
        levels[order] = Count(alphabet, order, strings).ToDictionary(e => e.Key, e => e.Value);
        for (var k = order - 1; k >= 1; k--)
        {
            var level = new Dictionary<HistoryKey, double[]>();
            foreach (var (key, next) in levels[k + 1])
            {
                var shorter = new HistoryKey(key.History[1..]);
                if (!level.TryGetValue(shorter, out var counts)) level[shorter] = counts = new double[alphabet.SizeWithEos];
                for (var s = 0; s < next.Length; s++)
                    if (next[s] > 0) counts[s] += 1;
            }
            levels[k] = level;
        }
        var uniform = Enumerable.Repeat(1.0 / alphabet.SizeWithEos, alphabet.SizeWithEos).ToArray();
        var memo = new Dictionary<HistoryKey, double[]>();
        double[] Probability(int[] history)
        {
            var key = new HistoryKey(history);
            if (memo.TryGetValue(key, out var cached)) return cached;
            var lower = history.Length == 0 ? uniform : Probability(history[1..]);
            var result = lower;
            if (levels[history.Length + 1].TryGetValue(key, out var counts) && counts.Sum() is var total and > 0)
            {
                var distinct = counts.Count(c => c > 0);
                result = new double[counts.Length];
                for (var s = 0; s < counts.Length; s++)
                    result[s] = Math.Max(counts[s] - discount, 0) / total + discount * distinct / total * lower[s];
            }
            memo[key] = result;
            return result;
        }
        return new NGramModel(alphabet, order, AllHistories(alphabet, order).Select(h => (h, Probability(h))));
    }

    /// <summary>Every BOS-padded history of length n − 1: BOS^{n−1−k} followed by k symbols, k = 0..n−1.</summary>
    /// <exception cref="WorkbenchException">There are more than <see cref="MaxHistories"/>.</exception>
    public static IEnumerable<int[]> AllHistories(Alphabet alphabet, int order)
    {
        var count = Enumerable.Range(0, order).Sum(k => Math.Pow(alphabet.Size, k));
        if (count > MaxHistories || count * alphabet.SizeWithEos > MaxTableEntries)
            throw new BudgetExceededException(FormattableString.Invariant(
                $"An order-{order} model over {alphabet.Size} symbols has {count:G3} histories with {alphabet.SizeWithEos} probabilities each, more than the {MaxHistories:G3} histories or {MaxTableEntries:G3} entries a smoothed model may enumerate (about 400 MB); use a lower order, or maximum likelihood without smoothing."));
        IEnumerable<int[]> suffixes = [[]];
        for (var k = 0; k < order; k++)
        {
            foreach (var suffix in suffixes) yield return [.. Enumerable.Repeat(alphabet.Bos, order - 1 - k), .. suffix];
            if (k == order - 1) break;
            suffixes = suffixes.SelectMany(s => Enumerable.Range(0, alphabet.Size).Select(a => (int[])[.. s, a])).ToList();
        }
    }

    private static Dictionary<HistoryKey, double[]> Count(Alphabet alphabet, int order, IEnumerable<int[]> corpus)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        var counts = new Dictionary<HistoryKey, double[]>();
        foreach (var y in corpus)
        {
            alphabet.Validate(y);
            int[] padded = [.. Enumerable.Repeat(alphabet.Bos, order - 1), .. y, alphabet.Eos];
            for (var t = order - 1; t < padded.Length; t++)
            {
                var key = new HistoryKey(padded[(t - order + 1)..t]);
                if (!counts.TryGetValue(key, out var next))
                {
                    if ((counts.Count + 1.0) * alphabet.SizeWithEos > MaxTableEntries)
                        throw new BudgetExceededException(FormattableString.Invariant(
                            $"The corpus has more than {counts.Count:N0} distinct order-{order} histories over {alphabet.Size} symbols: their tables would pass the {MaxTableEntries:G3} entries a model may hold (about 400 MB); use a lower order."));
                    counts[key] = next = new double[alphabet.SizeWithEos];
                }
                next[padded[t]]++;
            }
        }
        return counts;
    }

    private static double[] Normalise(double[] counts)
    {
        var total = counts.Sum();
        return counts.Select(c => c / total).ToArray();
    }

    /// <summary>A history as a dictionary key with value equality.</summary>
    private sealed record HistoryKey(int[] History)
    {
        public bool Equals(HistoryKey? other) => other is not null && History.AsSpan().SequenceEqual(other.History);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var s in History) hash.Add(s);
            return hash.ToHashCode();
        }
    }
}
