using Workbench.Formal.Errors;

namespace Workbench.Formal.Generation;

/// <summary>
/// Exact sampling from a language model conditioned on the string's length, p(y | |y| = n) = p(y)/P(|y| = n), without
/// rejection: a PFSA by its backward weights over lengths, a PCFG by the inside weights of its length-n yields, a process
/// with a closed-form length law by that law. It fills long-length evaluation bins exactly, however fast the length
/// distribution decays. Notes §2.4 (sampling), §4.1–4.2.
/// </summary>
public interface ILengthConditionedSampler
{
    /// <summary>The longest length the sampler tabulates (beyond it, its methods refuse); null when there is no limit.</summary>
    int? MaxLength { get; }

    /// <summary>
    /// log P(|y| = n) under the model's own mass (−∞ when no string has length n, exactly), to within
    /// <see cref="LogLengthProbabilityError"/>.
    /// </summary>
    /// <exception cref="BudgetExceededException">The length is beyond what the sampler tabulates.</exception>
    double LogLengthProbability(int length);

    /// <summary>
    /// A bound on |log P̂ − log P(|y| = n)| for <see cref="LogLengthProbability"/>, in nats: 0 where the law is exact up to
    /// rounding (every sampler but those whose law has no closed form, such as the bit length of a product).
    /// </summary>
    double LogLengthProbabilityError(int length) => 0;

    /// <summary>
    /// <paramref name="count"/> draws from p(y | min ≤ |y| ≤ max), exact whatever <see cref="LogLengthProbabilityError"/> is;
    /// empty when the range has probability 0. By default each draw picks a length n with probability
    /// P(|y| = n)/P(min ≤ |y| ≤ max), then a string of that length: O(max − min) to weigh the lengths once.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">min is negative or above max, or count is negative.</exception>
    int[][] SampleInRange(Random random, int count, int min, int max) => LengthConditionedSampling.ByLengthLaw(this, random, count, min, max);

    /// <summary>One draw from p(y | |y| = <paramref name="length"/>).</summary>
    /// <exception cref="WorkbenchException">No string has that length (P(|y| = n) = 0).</exception>
    /// <exception cref="BudgetExceededException">The length is beyond what the sampler tabulates.</exception>
    int[] SampleOfLength(Random random, int length);
}

/// <summary>Draws conditioned on a range of lengths, from a <see cref="ILengthConditionedSampler"/>'s exact length law.</summary>
public static class LengthConditionedSampling
{
    /// <summary>
    /// <paramref name="count"/> draws from p(y | min ≤ |y| ≤ max): each picks a length n with probability
    /// P(|y| = n)/P(min ≤ |y| ≤ max), then a string of that length. Empty when the range has probability 0. O(max − min)
    /// to weigh the lengths, then one conditional draw per string. Refuses a range where the law is not exact (a sampler with an approximate law draws ranges itself).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">min is negative or above max, or count is negative.</exception>
    /// <exception cref="WorkbenchException">The length law has a positive error bound at a length of the range.</exception>
    public static int[][] ByLengthLaw(ILengthConditionedSampler sampler, Random random, int count, int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(min);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (Enumerable.Range(min, max - min + 1).FirstOrDefault(n => sampler.LogLengthProbabilityError(n) > 0, -1) is var inexact and >= 0)
            throw new WorkbenchException(Invariant($"P(|y| = {inexact}) is known only to within {sampler.LogLengthProbabilityError(inexact):g3} nats, so it cannot weigh the lengths of an exact draw"));
        return RelativeLengthWeights(sampler.LogLengthProbability, min, max) is { } weights
            ? [.. Enumerable.Range(0, count).Select(_ => sampler.SampleOfLength(random, min + Categorical.SampleWeighted(weights, random)))]
            : [];
    }

    /// <summary>
    /// The weights of the lengths min…max under a length law, P(|y| = n) relative to the most likely of them (so no underflow
    /// decides which lengths can be drawn), for <see cref="Categorical.SampleWeighted"/>; null when the range has probability 0.
    /// O(max − min) evaluations of the law.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">min is negative or above max.</exception>
    public static double[]? RelativeLengthWeights(Func<int, double> logLengthProbability, int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(min);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        var logs = Enumerable.Range(min, max - min + 1).Select(logLengthProbability).ToArray();
        var top = logs.Max();
        return double.IsNegativeInfinity(top) ? null : [.. logs.Select(l => Math.Exp(l - top))];
    }
}
