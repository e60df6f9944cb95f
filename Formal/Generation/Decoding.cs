using Workbench.Formal.LanguageModels;

namespace Workbench.Formal.Generation;

/// <summary>
/// Deterministic decoding: greedy (the argmax at each step) and beam search. Neither finds the most
/// probable string in general (P8.7). Ties go to the lowest symbol id (beam search sorts stably). Lecture on decoding.
/// </summary>
public static class Decoding
{
    /// <summary>
    /// Greedy decoding: append argmax p(· | prefix) until EOS; truncated when the argmax after
    /// <paramref name="maxLength"/> symbols is not EOS (the cap convention of <see cref="AncestralSampler"/>). O(maxLength) steps.
    /// </summary>
    public static GeneratedString Greedy(ILanguageModel model, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        var next = new double[model.Alphabet.SizeWithEos];
        var symbols = new List<int>();
        var prefix = model.Start();
        var logProbability = 0.0;
        while (true)
        {
            prefix.NextLogProbabilities(next);
            var symbol = Categorical.ArgMax(next);
            if (symbol == model.Alphabet.Eos) return new GeneratedString(symbols.ToArray(), logProbability + next[symbol], false);
            if (symbols.Count == maxLength) return new GeneratedString(symbols.ToArray(), logProbability, true);
            logProbability += next[symbol];
            symbols.Add(symbol);
            prefix = prefix.Advance(symbol);
        }
    }

    /// <summary>
    /// Beam search with width k: keep the k most probable unfinished prefixes, move EOS-extensions to
    /// the finished list, and stop when no unfinished prefix can beat the k-th finished string (scores
    /// only decrease) or prefixes reach the cap of <paramref name="maxLength"/> symbols. Returns finished strings, most probable first (at most k);
    /// when none finished within the cap, the best unfinished prefixes marked truncated.
    /// O(maxLength · k · |Σ̄| log(k|Σ̄|)).
    /// </summary>
    public static IReadOnlyList<GeneratedString> Beam(ILanguageModel model, int beamWidth, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(beamWidth, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        var size = model.Alphabet.SizeWithEos;
        var eos = model.Alphabet.Eos;
        var next = new double[size];
        var beam = new List<(int[] Symbols, IPrefix State, double Score)> { ([], model.Start(), 0.0) };
        var finished = new List<GeneratedString>();
        for (var length = 0; ; length++)
        {
            var candidates = new List<(int[] Prefix, IPrefix State, int Symbol, double Score)>();
            foreach (var (prefix, state, score) in beam)
            {
                state.NextLogProbabilities(next);
                for (var symbol = 0; symbol < size; symbol++)
                {
                    if (double.IsNegativeInfinity(next[symbol])) continue;
                    if (symbol == eos) finished.Add(new GeneratedString(prefix, score + next[symbol], false));
                    else candidates.Add((prefix, state, symbol, score + next[symbol]));
                }
            }
            finished = finished.OrderByDescending(f => f.LogProbability).Take(beamWidth).ToList();
            if (length == maxLength) break;
            // A prefix can only lose probability, so one scoring below the k-th finished string is dead.
            var bar = finished.Count == beamWidth ? finished[^1].LogProbability : double.NegativeInfinity;
            var survivors = candidates
                .OrderByDescending(c => c.Score)
                .Take(beamWidth)
                .Where(c => c.Score > bar)
                .Select(c => ((int[])[.. c.Prefix, c.Symbol], c.State.Advance(c.Symbol), c.Score))
                .ToList();
            if (survivors.Count == 0) break;
            beam = survivors;
        }
        if (finished.Count > 0) return finished;
        return beam.Select(b => new GeneratedString(b.Symbols, b.Score, true)).ToList();
    }
}
