using Workbench.Formal.Errors;
using Workbench.Formal.Generation;

namespace Workbench.Neural.Recognition;

/// <summary>
/// The FLaRe protocol's examples (Butoi et al. 2025, §4): a label that is positive with probability ½; a positive is a
/// string of a length drawn uniformly from the lengths of the range that the language has strings of, then drawn exactly
/// from p(y | |y| = n); a negative is, with the perturbation probability, a positive changed by K ~ Geometric(½) (K ≥ 1)
/// random insertions, replacements or deletions that keep the length in range, and otherwise a uniformly random string of a
/// uniformly drawn length in range; a proposal in the language is rejected. After 100 rejections in a row at a single length
/// with at most 2¹⁶ strings, those strings are enumerated: a negative is drawn uniformly among them, or, when the language holds
/// all of them, the example becomes a positive; anywhere else 100 rejections are an error.
/// Membership is decided by the language's own recogniser, never by a trained model.
/// </summary>
public sealed class RecognitionSampler
{
    private const int MaxTries = 100;
    private readonly ILengthConditionedSampler positives;
    private readonly Func<int[], bool> accepts;
    private readonly Func<int[], bool[][]>? nextSymbols;
    private readonly int alphabetSize;
    private readonly double perturbationProbability;

    /// <summary>Creates the sampler of a language.</summary>
    /// <param name="positives">Exact length-conditioned draws from the language's distribution.</param>
    /// <param name="accepts">Membership.</param>
    /// <param name="nextSymbols">The valid next symbols of a positive after every prefix (null: positives carry none).</param>
    /// <param name="alphabetSize">|Σ|, the symbols 0…|Σ| − 1 that random strings and edits use.</param>
    /// <param name="perturbationProbability">The probability that a negative proposal is an edited positive (FLaRe: ½).</param>
    /// <exception cref="ArgumentOutOfRangeException">An empty alphabet or a probability outside [0, 1].</exception>
    public RecognitionSampler(ILengthConditionedSampler positives, Func<int[], bool> accepts, Func<int[], bool[][]>? nextSymbols, int alphabetSize, double perturbationProbability = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(alphabetSize, 1);
        if (perturbationProbability is < 0 or > 1 || double.IsNaN(perturbationProbability))
            throw new ArgumentOutOfRangeException(nameof(perturbationProbability), perturbationProbability, "must be in [0, 1]");
        this.positives = positives;
        this.accepts = accepts;
        this.nextSymbols = nextSymbols;
        this.alphabetSize = alphabetSize;
        this.perturbationProbability = perturbationProbability;
    }

    /// <summary>count examples with lengths in [min, max], each positive with probability ½ (all negative when the range holds no string of the language).</summary>
    /// <exception cref="WorkbenchException">100 negative proposals in a row were in the language, over a range too large to enumerate.</exception>
    public RecognitionExample[] Sample(Random random, int count, int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(min);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        int[] lengths = Enumerable.Range(min, max - min + 1).Where(n => !double.IsNegativeInfinity(positives.LogLengthProbability(n))).ToArray();
        var examples = new RecognitionExample[count];
        for (int i = 0; i < count; i++)
            examples[i] = random.Next(2) == 1 && lengths.Length > 0
                ? Positive(random, lengths)
                : Negative(random, lengths, min, max) ?? OnlyNegative(random, min, max) ?? OnlyPositive(random, lengths, min, max);
        return examples;
    }

    /// <summary>The strings of length n outside the language, enumerated when there are few strings of that length (|Σ|ⁿ ≤ 2¹⁶).</summary>
    private List<int[]>? NegativesOfLength(int n)
    {
        if (Math.Pow(alphabetSize, n) > 1 << 16)
            return null;
        var negatives = new List<int[]>();
        var y = new int[n];
        for (long code = 0, total = (long)Math.Pow(alphabetSize, n); code < total; code++)
        {
            for (long rest = code, t = 0; t < n; t++, rest /= alphabetSize)
                y[t] = (int)(rest % alphabetSize);
            if (!accepts(y))
                negatives.Add((int[])y.Clone());
        }
        return negatives;
    }

    // After 100 rejected proposals at one length, the few strings of that length decide exactly: a uniform negative if any exists.
    private RecognitionExample? OnlyNegative(Random random, int min, int max)
    {
        if (min != max || NegativesOfLength(min) is not { } negatives)
            throw new WorkbenchException(Invariant($"no negative example of length {min}–{max} after {MaxTries} proposals in a row: the language holds (nearly) every string of those lengths"));
        return negatives.Count == 0 ? null : new RecognitionExample(negatives[random.Next(negatives.Count)], false, null);
    }

    // Every string of the length is in the language: the example is a positive (the only label that length has).
    private RecognitionExample OnlyPositive(Random random, int[] lengths, int min, int max) =>
        lengths.Length > 0 ? Positive(random, lengths) : throw new WorkbenchException(Invariant($"lengths {min}–{max} have neither positive nor negative strings"));

    private RecognitionExample Positive(Random random, int[] lengths)
    {
        int[] y = positives.SampleOfLength(random, lengths[random.Next(lengths.Length)]);
        return new RecognitionExample(y, true, nextSymbols?.Invoke(y));
    }

    private RecognitionExample? Negative(Random random, int[] lengths, int min, int max)
    {
        for (int tries = 0; tries < MaxTries; tries++)
        {
            int[] proposal = lengths.Length > 0 && random.NextDouble() < perturbationProbability
                ? Edited(positives.SampleOfLength(random, lengths[random.Next(lengths.Length)]), GeometricEdits(random), min, max, random)
                : RandomString(random, min, max);
            if (!accepts(proposal))
                return new RecognitionExample(proposal, false, null);
        }
        return null;
    }

    private int[] RandomString(Random random, int min, int max)
    {
        var y = new int[random.Next(min, max + 1)];
        for (int t = 0; t < y.Length; t++)
            y[t] = random.Next(alphabetSize);
        return y;
    }

    /// <summary>K ~ Geometric(½) on {1, 2, …}.</summary>
    private static int GeometricEdits(Random random)
    {
        int edits = 1;
        while (random.Next(2) == 0)
            edits++;
        return edits;
    }

    /// <summary>
    /// The string after <paramref name="edits"/> random edits, each chosen uniformly among those allowed: an insertion (if the
    /// length stays at most max), a replacement by another symbol (if the string is non-empty and |Σ| ≥ 2), a deletion (if the
    /// length stays at least min). Positions and symbols are uniform.
    /// </summary>
    public int[] Edited(int[] y, int edits, int min, int max, Random random)
    {
        var s = new List<int>(y);
        for (int e = 0; e < edits; e++)
        {
            var allowed = new List<int>(3);
            if (s.Count < max) allowed.Add(0);
            if (s.Count > 0 && alphabetSize > 1) allowed.Add(1);
            if (s.Count > min) allowed.Add(2);
            if (allowed.Count == 0)
                break;
            switch (allowed[random.Next(allowed.Count)])
            {
                case 0:
                    s.Insert(random.Next(s.Count + 1), random.Next(alphabetSize));
                    break;
                case 1:
                    int i = random.Next(s.Count), replacement = random.Next(alphabetSize - 1);
                    s[i] = replacement >= s[i] ? replacement + 1 : replacement;
                    break;
                default:
                    s.RemoveAt(random.Next(s.Count));
                    break;
            }
        }
        return [.. s];
    }
}
