using Workbench.Formal.LanguageModels;

namespace Workbench.Formal.Generation;

/// <summary>A string drawn or decoded from a model, with its log-probability and whether a length cap cut it.</summary>
/// <param name="Symbols">The symbols (EOS not included).</param>
/// <param name="LogProbability">
/// log p(y) when the string ended with EOS; when <paramref name="Truncated"/>, the log of the prefix's
/// cylinder mass (the string never stopped within the cap).
/// </param>
/// <param name="Truncated">True when the string needed more symbols than the cap allows.</param>
public sealed record GeneratedString(int[] Symbols, double LogProbability, bool Truncated);

/// <summary>
/// Exact ancestral sampling: draw y₁ ~ p(· | ε), y₂ ~ p(· | y₁), … until EOS. A non-tight model may
/// never stop, so a length cap L ends the draw: strings of up to L symbols complete, and a draw that
/// picks a symbol after L symbols stops there, marked truncated. The truncation rate is therefore
/// P(|y| &gt; L) (P8.2). Notes §2.4, lecture on decoding. O(length) model steps per draw.
/// </summary>
public static class AncestralSampler
{
    /// <summary>Draws one string of at most <paramref name="maxLength"/> symbols, truncated if it would be longer.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is negative.</exception>
    public static GeneratedString Sample<TState>(IAutoregressiveLanguageModel<TState> model, Random random, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        var size = model.Alphabet.SizeWithEos;
        var eos = model.Alphabet.Eos;
        // Stryker disable once Equality,Conditional : a stack or a heap buffer with the same contents; the limit only guards the stack
        Span<double> next = size <= ChainRule.StackBufferLimit ? stackalloc double[size] : new double[size];
        var symbols = new List<int>();
        var state = model.InitialState;
        var logProbability = 0.0;
        while (true)
        {
            model.NextLogProbabilities(state, next);
            if (Extend(symbols, ref logProbability, next, eos, random, maxLength) is { } finished) return finished;
            state = model.Advance(state, symbols[^1]);
        }
    }

    /// <summary>
    /// One step of a draw whose symbols so far are <paramref name="symbols"/> (log-probability <paramref name="logProbability"/>):
    /// picks the next symbol from the distribution <paramref name="next"/> over Σ̄. EOS finishes the string; a symbol after
    /// <paramref name="maxLength"/> symbols finishes it truncated; any other symbol is appended (and its log-probability added),
    /// and null says the draw goes on. Every sampler, one draw at a time or many in lock-step, steps through this. O(|Σ̄|).
    /// </summary>
    public static GeneratedString? Extend(List<int> symbols, ref double logProbability, ReadOnlySpan<double> next, int eos, Random random, int maxLength)
    {
        var symbol = Categorical.Sample(next, random);
        if (symbol == eos) return new GeneratedString(symbols.ToArray(), logProbability + next[symbol], Truncated: false);
        if (symbols.Count == maxLength) return new GeneratedString(symbols.ToArray(), logProbability, Truncated: true);
        logProbability += next[symbol];
        symbols.Add(symbol);
        return null;
    }

    /// <summary>Draws one string through the model's erased view (<see cref="ILanguageModel.Start"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is negative.</exception>
    public static GeneratedString Sample(ILanguageModel model, Random random, int maxLength) => Sample(PrefixView.Of(model), random, maxLength);

    /// <summary>
    /// Draws <paramref name="count"/> independent strings, draw i from <see cref="DrawRandom"/>(seed, i), by the model's own
    /// <see cref="ILanguageModel.SampleMany"/> (a network advances the draws in lock-step batches; other models walk their
    /// erased view one draw at a time). The same strings as <see cref="SampleMany{TState}"/> on the typed view.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative count or cap.</exception>
    public static IReadOnlyList<GeneratedString> SampleMany(ILanguageModel model, int count, int seed, int maxLength) =>
        model.SampleMany(0, count, seed, maxLength);

    /// <summary>
    /// Draws first … first + count − 1 of the run seeded with <paramref name="seed"/>, draw i from
    /// <see cref="DrawRandom"/>(seed, i), one at a time through the typed view (kept in memory: O(count · length)).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative first draw, count or cap.</exception>
    public static IReadOnlyList<GeneratedString> SampleMany<TState>(
        IAutoregressiveLanguageModel<TState> model, int count, int seed, int maxLength, int first = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        var result = new GeneratedString[count];
        for (var i = 0; i < count; i++) result[i] = Sample(model, DrawRandom(seed, first + i), maxLength);
        return result;
    }

    /// <summary>
    /// The generator of draw <paramref name="index"/> in a run seeded with <paramref name="seed"/>: a <see cref="Random"/> seeded by
    /// the SplitMix64 finaliser of (seed, index). Each draw owns its generator, so draw i depends on (seed, i) alone and the draws
    /// of a run can be made one by one, in lock-step batches or in shards, with the same strings. O(1).
    /// </summary>
    public static Random DrawRandom(int seed, int index)
    {
        ulong z = (((ulong)(uint)seed << 32) | (uint)index) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return new Random((int)(z >> 33));
    }
}
