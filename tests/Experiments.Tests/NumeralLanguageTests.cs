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

    [Fact]
    public void The_bit_length_share_of_a_product_is_the_count_of_its_pairs()
    {
        // Every pair of numbers of bit lengths α, β ≤ 8, counted one by one.
        for (int alpha = 1; alpha <= 8; alpha++)
            for (int beta = 1; beta <= 8; beta++)
            {
                int longer = 0;
                for (int u = 1 << (alpha - 1); u < 1 << alpha; u++)
                    for (int v = 1 << (beta - 1); v < 1 << beta; v++)
                        longer += u * v >= 1 << (alpha + beta - 1) ? 1 : 0;
                var (share, halfWidth) = ProductBitLength.LongerShare(alpha, beta);
                Assert.Equal(0, halfWidth);
                Assert.Equal(longer / Math.ScaleB(1.0, alpha + beta - 2), share, 14);
            }
    }

    [Theory]
    [InlineData(3, 200)]
    [InlineData(16, 112)]
    [InlineData(17, 17)]
    [InlineData(17, 40)]
    [InlineData(19, 19)]
    [InlineData(20, 300)]
    public void The_bounded_product_share_contains_the_count(int alpha, int beta)
    {
        // Beyond the counted range the share is an interval: the exact count, in big integers (2^(α−1) terms), lies inside it.
        BigInteger threshold = BigInteger.One << (alpha + beta - 1), top = BigInteger.One << beta, count = BigInteger.Zero;
        for (long u = 1L << (alpha - 1); u < 1L << alpha; u++)
            count += top - (threshold + u - 1) / u;
        double exact = Math.ScaleB((double)count, 2 - alpha - beta);
        var (share, halfWidth) = ProductBitLength.LongerShare(alpha, beta);
        Assert.True(halfWidth is > 0 and <= 1.0 / (1 << 16), $"half width {halfWidth}");
        Assert.True(Math.Abs(exact - share) <= halfWidth + 1e-15, $"({alpha}, {beta}): the count gives {exact}, the bound {share} ± {halfWidth}");
    }

    [Fact]
    public void The_product_length_law_is_exact_to_68_and_bounded_beyond_and_range_draws_follow_it()
    {
        var sampler = LanguageSuite.Get("binary-multiplication").LengthSampler;
        Assert.All(Enumerable.Range(0, 69), n => Assert.Equal(0, sampler.LogLengthProbabilityError(n)));
        Assert.All(Enumerable.Range(69, 432), n => Assert.InRange(sampler.LogLengthProbabilityError(n), 1e-300, 1e-5));
        // The range draws do not use the approximate law (which refuses to weigh lengths); their lengths follow it (to its 10⁻⁵).
        Assert.Throws<Workbench.Formal.Errors.WorkbenchException>(() => Workbench.Formal.Generation.LengthConditionedSampling.ByLengthLaw(sampler, new Random(1), 1, 60, 80));
        const int draws = 20000, seed = 77;
        var counts = new int[21];
        foreach (var y in sampler.SampleInRange(new Random(seed), draws, 60, 80))
            counts[y.Length - 60]++;
        double[] law = [.. Enumerable.Range(60, 21).Select(n => Math.Exp(sampler.LogLengthProbability(n)))];
        double total = law.Sum(), g = counts.Select((o, i) => o > 0 ? 2 * o * Math.Log(o / (draws * law[i] / total)) : 0).Sum();
        double pValue = 1 - MathNet.Numerics.Distributions.ChiSquared.CDF(20, g);
        Assert.True(pValue >= 1e-7, $"seed {seed}: lengths of range draws: G = {g} on 20 degrees of freedom (p = {pValue})");
    }

    public static TheoryData<string> Numerals() => new(["binary-addition", "binary-multiplication", "compute-sqrt"]);

    [Theory]
    [MemberData(nameof(Numerals))]
    public void The_length_law_and_the_conditioned_draws_match_the_model_at_every_length_to_eleven(string name)
    {
        var language = LanguageSuite.Get(name);
        int operands = name == "compute-sqrt" ? 1 : 2;
        var random = new Random(31);
        for (int n = 0; n <= 11; n++)
        {
            // Every string of the language is in the enumeration, which the recogniser confirms string by string; draws on every third length.
            LengthLawChecks.Check(language, n, [.. LanguageStrings(language, operands, n, Operation(name))], random, n % 3 == 1 ? 3000 : 0, 31);
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
    private static Func<BigInteger[], BigInteger> Operation(string name) => name switch
    {
        "binary-addition" => v => v[0] + v[1],
        "binary-multiplication" => v => v[0] * v[1],
        _ => v => SquareRootLanguage.SquareRoot(v[0]),
    };

    private static IEnumerable<int[]> LanguageStrings(FormalLanguage language, int operands, int n, Func<BigInteger[], BigInteger> operation)
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
            BigInteger result = operation(values);
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
