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

    /// <summary>log P(|y| = n) under the model's own mass (−∞ when no string has length n).</summary>
    /// <exception cref="BudgetExceededException">The length is beyond what the sampler tabulates.</exception>
    double LogLengthProbability(int length);

    /// <summary>One draw from p(y | |y| = <paramref name="length"/>).</summary>
    /// <exception cref="WorkbenchException">No string has that length (P(|y| = n) = 0).</exception>
    /// <exception cref="BudgetExceededException">The length is beyond what the sampler tabulates.</exception>
    int[] SampleOfLength(Random random, int length);
}

/// <summary>Draws conditioned on a range of lengths, from a <see cref="ILengthConditionedSampler"/>.</summary>
public static class LengthConditionedSampling
{
    /// <summary>
    /// <paramref name="count"/> draws from p(y | min ≤ |y| ≤ max): each picks a length n with probability
    /// P(|y| = n)/P(min ≤ |y| ≤ max), then a string of that length. Empty when the range has probability 0. O(max − min)
    /// to weigh the lengths, then one conditional draw per string.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">min is negative or above max, or count is negative.</exception>
    public static int[][] SampleInRange(ILengthConditionedSampler sampler, Random random, int count, int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(min);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var logs = Enumerable.Range(min, max - min + 1).Select(sampler.LogLengthProbability).ToArray();
        var top = logs.Max();
        if (double.IsNegativeInfinity(top)) return [];
        // Relative weights: the largest length weighs 1, so no underflow decides which lengths can be drawn.
        var weights = logs.Select(l => Math.Exp(l - top)).ToArray();
        return [.. Enumerable.Range(0, count).Select(_ => sampler.SampleOfLength(random, min + Categorical.SampleWeighted(weights, random)))];
    }
}
