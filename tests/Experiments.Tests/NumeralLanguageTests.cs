using System.Numerics;
using Workbench.Experiments.Languages;

namespace Workbench.Experiments.Tests;

/// <summary>
/// The arithmetic languages' length laws against brute force: the sum's bit-length law against counted pairs, and
/// P(|y| = n) against the exact model's probabilities summed over every string of the language of that length (enumerated by
/// structure, not by all |Σ|ⁿ strings, so lengths up to 11 are reached), with a G-test of the length-conditioned draws.
/// </summary>
public sealed class NumeralLanguageTests
{
    [Fact]
    public void The_bit_length_law_of_a_sum_is_the_count_of_its_pairs()
    {
        for (int a = 1; a <= 6; a++)
            for (int b = 1; b <= 6; b++)
            {
                var counts = new int[14];
                for (int x = 0; x < 1 << a; x++)
                    for (int y = 0; y < 1 << b; y++)
                        counts[Math.Max(1, (int)BigInteger.Log((x + y) | 1, 2) + 1)]++;
                for (int j = 1; j < counts.Length; j++)
                {
                    double expected = counts[j] / (double)(1 << (a + b));
                    Assert.Equal(expected, Math.Exp(BinaryAdditionLanguage.LogSumLength(j, a, b)), 12);
                }
            }
    }

    [Fact]
    public void The_integer_square_root_is_exact_at_squares_and_their_neighbours()
    {
        for (int k = 0; k < 2000; k++)
        {
            BigInteger square = (BigInteger)k * k;
            Assert.Equal(k, SquareRootLanguage.SquareRoot(square));
            Assert.Equal(k, SquareRootLanguage.SquareRoot(square + 2 * k));
        }
        BigInteger huge = BigInteger.Pow(3, 400);
        BigInteger root = SquareRootLanguage.SquareRoot(huge);
        Assert.True(root * root <= huge && (root + 1) * (root + 1) > huge);
    }

    public static TheoryData<string> Numerals() => new(["binary-addition", "compute-sqrt"]);

    [Theory]
    [MemberData(nameof(Numerals))]
    public void The_length_law_and_the_conditioned_draws_match_the_model_at_every_length_to_eleven(string name)
    {
        var language = LanguageSuite.Get(name);
        int operands = name == "binary-addition" ? 2 : 1;
        var random = new Random(31);
        for (int n = 0; n <= 11; n++)
        {
            // Every string of the language is in the enumeration, which the recogniser confirms string by string; draws on every third length.
            LengthLawChecks.Check(language, n, [.. LanguageStrings(language, operands, n)], random, n % 3 == 1 ? 3000 : 0, 31);
        }
    }

    [Theory]
    [MemberData(nameof(Numerals))]
    public void Long_draws_are_accepted_and_a_changed_result_bit_is_not(string name)
    {
        var language = LanguageSuite.Get(name);
        var random = new Random(5);
        for (int i = 0; i < 20; i++)
        {
            int[] y = language.LengthSampler.SampleOfLength(random, 300 + i);
            Assert.Equal(300 + i, y.Length);
            Assert.True(language.Accepts(y), $"{name}: a draw of length {300 + i} is rejected");
            Assert.True(double.IsFinite(language.Model.LogProbability(y)));
            int equals = Array.LastIndexOf(y, language.Model.Alphabet.Size - 1);
            int[] changed = [.. y];
            changed[equals + 1] ^= 1;
            Assert.False(language.Accepts(changed), $"{name}: the lowest result bit flipped is still accepted");
            Assert.True(double.IsNegativeInfinity(language.Model.LogProbability(changed)));
        }
    }

    // Every string of the language of length n: operand numerals of every length and value, the result's shortest numeral, padding.
    private static IEnumerable<int[]> LanguageStrings(FormalLanguage language, int operands, int n)
    {
        IEnumerable<int[][]> Numerals(int count, int budget)
        {
            if (count == 0)
            {
                yield return [];
                yield break;
            }
            for (int a = 1; a <= budget; a++)
                for (int value = 0; value < 1 << a; value++)
                {
                    int[] numeral = [.. Enumerable.Range(0, a).Select(i => (value >> i) & 1)];
                    foreach (var rest in Numerals(count - 1, budget - a))
                        yield return [numeral, .. rest];
                }
        }
        foreach (var numerals in Numerals(operands, n - operands - 1))
        {
            var values = numerals.Select(x => x.Select((bit, i) => (BigInteger)bit << i).Aggregate(BigInteger.Zero, (s, v) => s + v)).ToArray();
            BigInteger result = operands == 2 ? values[0] + values[1] : SquareRootLanguage.SquareRoot(values[0]);
            int[] shortest = result.IsZero ? [0] : [.. Enumerable.Range(0, (int)result.GetBitLength()).Select(i => (int)((result >> i) & 1))];
            int padding = n - numerals.Sum(x => x.Length) - operands - shortest.Length;
            if (padding < 0)
                continue;
            var y = new List<int>();
            for (int i = 0; i < operands; i++)
                y.AddRange([.. numerals[i], 2 + i]);
            y.AddRange(shortest);
            y.AddRange(new int[padding]);
            Assert.True(language.Accepts([.. y]) && double.IsFinite(language.Model.LogProbability([.. y])), $"[{string.Join(",", y)}] is not in the language's support");
            yield return [.. y];
        }
    }
}
