using System.Numerics;
using Workbench.Formal.LanguageModels;
using static Workbench.Experiments.Languages.NumeralLanguages;

namespace Workbench.Experiments.Languages;

/// <summary>
/// Binary addition (Delétang et al. 2023; FLaRe, Butoi et al. 2025): x + y = z with z = x + y, numerals as in
/// <see cref="NumeralLanguages"/>. With x uniform on [0, 2^a) and y on [0, 2^b), the bit length of the sum has a closed-form
/// law (below), so P(|y| = n) is a finite sum and the operands can be drawn exactly given the length.
/// </summary>
public static class BinaryAdditionLanguage
{
    /// <summary>The language with its exact model, recogniser, entropy and length-conditioned sampler.</summary>
    public static FormalLanguage Create() => NumeralLanguages.Create("binary-addition",
        "x+y=z over {0,1}, little-endian binary with trailing zeros, z = x + y; |x| - 1, |y| - 1 and z's padding geometric with mean 3 (FLaRe, Deletang et al.)",
        "+=", operands => operands[0] + operands[1], new LengthLaw());

    private static readonly double Log2 = Math.Log(2), Log3 = Math.Log(3);

    /// <summary>
    /// log P(|z| = j | |x| = a, |y| = b) for z the shortest numeral of x + y (one bit for a sum below 2), with A = min(a, b) and
    /// B = max(a, b): counting the pairs with x + y &lt; 2ᵏ (a triangle clipped by the box [0, 2^A) × [0, 2^B)) gives
    /// 3·2^−(A+B) for j = 1; (3·2^(2j−3) + 2^(j−2))·2^−(A+B) for 2 ≤ j ≤ A; 2^(A−B) for j = A + 1 ≤ B; 2^(j−1−B) for
    /// A + 1 &lt; j ≤ B; (2^A − 1)·2^−(B+1) for j = B + 1; and 0 otherwise.
    /// </summary>
    public static double LogSumLength(int j, int a, int b)
    {
        int small = Math.Min(a, b), large = Math.Max(a, b);
        return j switch
        {
            1 => Log3 - (small + large) * Log2,
            // 3·2^(2j−3) + 2^(j−2) = 2^(2j−3)·3·(1 + 2^(1−j)/3), written so that no power of two overflows.
            _ when j <= small => (2 * j - 3 - small - large) * Log2 + Log3 + Math.Log(1 + Math.ScaleB(1.0, 1 - j) / 3),
            _ when j == small + 1 && j <= large => (small - large) * Log2,
            _ when j <= large => (j - 1 - large) * Log2,
            _ when j == large + 1 => Math.Log(1 - Math.ScaleB(1.0, -small)) + (small - large - 1) * Log2,
            _ => double.NegativeInfinity,
        };
    }

    /// <summary>|y| = a + b + j + 2 + p over splits (a, b ≥ 1, 1 ≤ j ≤ max(a, b) + 1) of core length a + b + j.</summary>
    private sealed class LengthLaw() : TabulatedLengthLaw(separators: 2)
    {
        protected override IEnumerable<(NumeralSplit Split, int Core, double LogWeight)> Splits(int coreBelow)
        {
            for (int a = 1; a + 2 < coreBelow; a++)
                for (int b = 1; a + b + 1 < coreBelow; b++)
                {
                    double operands = LogNumeralLength(a) + LogNumeralLength(b);
                    for (int j = 1; j <= Math.Max(a, b) + 1 && a + b + j < coreBelow; j++)
                        yield return (new NumeralSplit(a, b, j), a + b + j, operands + LogSumLength(j, a, b));
                }
        }

        protected override IEnumerable<(NumeralSplit Split, double LogWeight)> SplitsOf(int core)
        {
            for (int a = 1; a < core; a++)
                for (int b = 1; a + b < core; b++)
                    yield return (new NumeralSplit(a, b, core - a - b), Weight(a, b, core - a - b));
        }

        protected override int[][] Operands(Random random, NumeralSplit split)
        {
            int x = split.A, y = split.B;
            var (small, large) = Operands(random, Math.Min(x, y), Math.Max(x, y), split.C);
            return x <= y ? [Numeral(small, x), Numeral(large, y)] : [Numeral(large, x), Numeral(small, y)];
        }

        // E|y| = E|x| + E|y| + 2 + E|z| + E[p], E|z| summed over a, b ≤ L; the rest is at most 2·c^L·(L + 2·E|x|) since |z| ≤ a + b.
        public override CertifiedValue ExpectedLength()
        {
            const int longest = 300;
            double sum = 0;
            for (int a = 1; a <= longest; a++)
                for (int b = 1; b <= longest; b++)
                    for (int j = 1; j <= Math.Max(a, b) + 1; j++)
                        sum += j * Math.Exp(Weight(a, b, j));
            double tail = 2 * Math.Pow(Continue, longest) * (longest + 2 * MeanNumeralLength);
            return new CertifiedValue(2 * MeanNumeralLength + 2 + sum + MeanPadding, tail + 1e-12, Invariant($"E|x| + E|y| + 2 + E|z| + E[padding], E|z| summed to |x|, |y| = {longest}"));
        }

        private static double Weight(int a, int b, int j) => LogNumeralLength(a) + LogNumeralLength(b) + LogSumLength(j, a, b);

        // The operands u < 2^A, v < 2^B, uniform among the pairs whose sum's shortest numeral has j bits (the cases of LogSumLength).
        private static (BigInteger Small, BigInteger Large) Operands(Random random, int small, int large, int j)
        {
            if (j <= small)
            {
                // Both below 2^j; the sum in [2^(j−1), 2^j) (below 2 for j = 1) for at least 3/8 of such pairs.
                BigInteger low = j == 1 ? BigInteger.Zero : BigInteger.One << (j - 1), high = BigInteger.One << j;
                while (true)
                {
                    BigInteger u = UniformBits(random, j), v = UniformBits(random, j);
                    if (u + v >= low && u + v < high)
                        return (u, v);
                }
            }
            if (j <= large)
            {
                // Every u leaves 2^(j−1) values of v, from 2^(j−1) − u.
                BigInteger u = UniformBits(random, small);
                return (u, (BigInteger.One << (j - 1)) - u + UniformBits(random, j - 1));
            }
            // j = B + 1: the sum reaches 2^B, so v ∈ [2^B − u, 2^B): u ≥ 1 with weight u, then v uniform among u values.
            while (true)
            {
                BigInteger u = UniformBits(random, small);
                if (UniformBits(random, small) < u)
                    return (u, (BigInteger.One << large) - u + UniformBelow(random, u));
            }
        }

        private static BigInteger UniformBelow(Random random, BigInteger bound)
        {
            int bits = (int)bound.GetBitLength();
            while (true)
            {
                BigInteger value = UniformBits(random, bits);
                if (value < bound)
                    return value;
            }
        }
    }
}
