using System.Numerics;
using Workbench.Formal.Errors;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using static Workbench.Experiments.Languages.NumeralLanguages;

namespace Workbench.Experiments.Languages;

/// <summary>
/// Binary multiplication (Delétang et al. 2023; FLaRe, Butoi et al. 2025): x*y=z with z = x·y, numerals as in
/// <see cref="NumeralLanguages"/>. With x uniform on [0, 2^a), x's bit length α is 0 with probability 2^−a and α ≥ 1 with
/// 2^(α−1−a); a zero operand makes z = 0 (one bit), and otherwise |z| = α + β − 1 + s with s = 1 with probability
/// <see cref="ProductBitLength.LongerShare"/>(α, β). The string's probability, entropy and recogniser are exact as for every
/// numeral language. The length law sums over α + β and s in closed form except for that share, which is exact unless both
/// operands have more than <see cref="ProductBitLength.ExactBits"/> significant bits (so at every length up to 68) and is
/// bounded beyond: <see cref="ILengthConditionedSampler.LogLengthProbabilityError"/> says by how much (below 10⁻⁵ nats).
/// Length-conditioned draws never use the share: they propose the operands' bit lengths with the share replaced by its
/// bound 1 and accept by the drawn product's real length, so they are exact at every length.
/// </summary>
public static class BinaryMultiplicationLanguage
{
    /// <summary>The language with its exact model, recogniser, entropy and length-conditioned sampler.</summary>
    public static FormalLanguage Create() => NumeralLanguages.Create("binary-multiplication",
        "x*y=z over {0,1}, little-endian binary with trailing zeros, z = x * y; |x| - 1, |y| - 1 and z's padding geometric with mean 3 (FLaRe, Deletang et al.)",
        "*=", operands => operands[0] * operands[1], new LengthLaw());

    /// <summary>
    /// The law in coordinates that factor: an operand of length a and bit length α ≥ 1 weighs (1 − c)·c^(a−1)·2^(α−1−a), so with
    /// k = α + β and g = (a − α) + (b − β) the pair weighs (1 − c)²·c^(k+g−2)·2^(−g−2), shared by the k − 1 splits of k and the
    /// g + 1 splits of g. The core (numerals without separators or padding) has length 2k + g − 1 + s; with a zero operand it
    /// has a + b + 1, and (a, b) with a + b = S weighs (1 − c)²·c^(S−2)·(2^−a + 2^−b − 2^−S).
    /// </summary>
    private sealed class LengthLaw : INumeralLengthLaw
    {
        private const int Longest = 2048;
        private static readonly double Stop = 1 - Continue, Log2 = Math.Log(2);
        private static readonly Lazy<(double[] Longer, double[] HalfWidth)> Shares = new(SumShares);
        private static readonly Lazy<double[]> NonzeroCores = new(WeighNonzeroCores);

        public int? MaxLength => Longest;

        public double LogLengthProbability(int length)
        {
            var (probability, _) = LengthProbability(length);
            return probability > 0 ? Math.Log(probability) : double.NegativeInfinity;
        }

        public double LogLengthProbabilityError(int length)
        {
            var (probability, error) = LengthProbability(length);
            return error == 0 ? 0 : error < probability ? -Math.Log(1 - error / probability) : double.PositiveInfinity;
        }

        // P(|y| = n) = Σ_S (1 − c)³c^(n−5)·Z(S) + Σ_k Σ_s A_s(k)·(1 − c)³·c^(n−3−k−s)·F(n − 1 − 2k − s)/4, with A_1(k) the summed shares
        // of the splits of k, A_0(k) = k − 1 − A_1(k) and F(G) = Σ_{g≤G} (g + 1)·2^−g = 4 − (G + 3)·2^−G; the error moves each share's
        // half width between s = 0 and s = 1.
        private (double Probability, double Error) LengthProbability(int length)
        {
            Check(length);
            var (longer, halfWidth) = Shares.Value;
            double cubed = Stop * Stop * Stop, zero = 0, nonzero = 0, error = 0;
            for (int sum = 2; sum <= length - 3; sum++)
                zero += ZeroPair(sum) * Stop * Math.Pow(Continue, length - 3 - sum);
            for (int k = 2; 2 * k - 1 <= length - 2; k++)
            {
                double shorterTerm = Math.Pow(Continue, length - 3 - k) * Spread(length - 1 - 2 * k),
                    longerTerm = Math.Pow(Continue, length - 4 - k) * Spread(length - 2 - 2 * k);
                nonzero += (k - 1 - longer[k]) * shorterTerm + longer[k] * longerTerm;
                error += halfWidth[k] * Math.Abs(longerTerm - shorterTerm);
            }
            return (zero + cubed * nonzero / 4, cubed * error / 4);
        }

        public (int[][] Operands, int Padding)[] Sample(Random random, int count, int min, int max)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(min);
            ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
            Check(max);
            // Proposals: a zero operand with a + b = S (core S + 1), or nonzero operands whose core is m or m + 1 (m = 2k + g − 1),
            // weighted by the larger of the two padding chances; the drawn product then picks s and is accepted with the ratio.
            var proposals = new List<(bool Zero, int Size, double Weight)>();
            for (int sum = 2; sum + 1 <= max - 2; sum++)
                proposals.Add((true, sum, ZeroPair(sum) * PaddingInRange(sum + 1, min, max)));
            for (int core = 3; core <= max - 2; core++)
                proposals.Add((false, core, NonzeroCores.Value[core] * Math.Max(PaddingInRange(core, min, max), PaddingInRange(core + 1, min, max))));
            double[] weights = [.. proposals.Select(p => p.Weight)];
            if (!weights.Any(w => w > 0))
                return [];
            var draws = new (int[][] Operands, int Padding)[count];
            for (int i = 0; i < count; i++)
                while (true)
                {
                    var (zero, size, weight) = proposals[Categorical.SampleWeighted(weights, random)];
                    var (operands, core) = zero ? ZeroOperands(random, size) : NonzeroOperands(random, size);
                    if (zero || random.NextDouble() * Math.Max(PaddingInRange(size, min, max), PaddingInRange(size + 1, min, max)) < PaddingInRange(core, min, max))
                    {
                        draws[i] = (operands, Padding(random, core, min, max));
                        break;
                    }
                }
            return draws;
        }

        // E|y| = E|x| + E|y| + 2 + E|z| + E[padding], with E|z| = P(a zero operand) + Σ_{α,β≥1} P(α)P(β)(α + β − 1 + share) and
        // P(α) = (1 − c)c^(α−1)/(2 − c): closed form but for the shares, summed to α, β ≤ 300 (the rest weighs at most 2c^300/(2 − c)).
        public CertifiedValue ExpectedLength()
        {
            const int longest = 300;
            double nonzero = 1 / (2 - Continue), meanBits = nonzero / Stop, shares = 0, error = 2 * Math.Pow(Continue, longest) / (2 - Continue);
            for (int alpha = 1; alpha <= longest; alpha++)
                for (int beta = 1; beta <= longest; beta++)
                {
                    var (share, halfWidth) = ProductBitLength.LongerShare(alpha, beta);
                    double weight = BitLength(alpha) * BitLength(beta);
                    shares += weight * share;
                    error += weight * halfWidth;
                }
            double result = 1 - nonzero * nonzero + 2 * meanBits * nonzero - nonzero * nonzero + shares;
            return new CertifiedValue(2 * MeanNumeralLength + 2 + result + MeanPadding, error + 1e-12,
                Invariant($"E|x| + E|y| + 2 + E|z| + E[padding], the product's bit-length shares summed to {longest} bits"));
        }

        private static double BitLength(int alpha) => Stop * Math.Pow(Continue, alpha - 1) / (2 - Continue);

        private static void Check(int length)
        {
            if (length > Longest)
                throw new BudgetExceededException(Invariant($"the length law is tabulated up to {Longest}, not {length}"));
        }

        // (1 − c)²·c^(S−2)·Σ_{a+b=S} (2^−a + 2^−b − 2^−S): a + b = S with x = 0 or y = 0, the sum being 2(1 − 2^(1−S)) − (S − 1)·2^−S.
        private static double ZeroPair(int sum) =>
            Stop * Stop * Math.Pow(Continue, sum - 2) * (2 * (1 - Math.ScaleB(1.0, 1 - sum)) - (sum - 1) * Math.ScaleB(1.0, -sum));

        // F(G) = Σ_{g=0}^{G} (g + 1)·2^−g, the weight of the g + 1 ways to share g trailing zeros; 0 for G < 0.
        private static double Spread(int longest) => longest < 0 ? 0 : 4 - (longest + 3) * Math.ScaleB(1.0, -longest);

        // P(min ≤ |y| ≤ max | core m) = P(padding ∈ [min − 2 − m, max − 2 − m]).
        private static double PaddingInRange(int core, int min, int max) =>
            core > max - 2 ? 0 : Math.Pow(Continue, Math.Max(0, min - 2 - core)) - Math.Pow(Continue, max - 1 - core);

        private static int Padding(Random random, int core, int min, int max) =>
            Draw(random, Enumerable.Range(Math.Max(0, min - 2 - core), max - 2 - core - Math.Max(0, min - 2 - core) + 1).Select(p => (p, LogPadding(p))));

        // a + b = S with a zero operand: a by its weight, then x = 0 with probability 2^−a/(2^−a + 2^−b − 2^−S), else y = 0 and x ≠ 0.
        private static (int[][] Operands, int Core) ZeroOperands(Random random, int sum)
        {
            int a = Draw(random, Enumerable.Range(1, sum - 1).Select(a =>
            {
                int shorter = Math.Min(a, sum - a), longer = Math.Max(a, sum - a);
                return (a, -shorter * Log2 + Math.Log(1 + Math.ScaleB(1.0, shorter - longer) - Math.ScaleB(1.0, -longer)));
            })), b = sum - a;
            if (random.NextDouble() < 1 / (1 + Math.ScaleB(1.0, a - b) - Math.ScaleB(1.0, -b)))
                return ([Numeral(0, a), Numeral(UniformBits(random, b), b)], sum + 1);
            BigInteger x;
            do x = UniformBits(random, a);
            while (x.IsZero);
            return ([Numeral(x, a), Numeral(0, b)], sum + 1);
        }

        // Nonzero operands with 2k + g − 1 = m: k by (k − 1)(g + 1)c^(k+g)2^−g, then α among the k − 1 splits, the trailing zeros
        // among the g + 1 splits, each operand uniform among the numbers of its bit length; the core is m + s for the product's s.
        private static (int[][] Operands, int Core) NonzeroOperands(Random random, int core)
        {
            int k = Draw(random, Enumerable.Range(2, Math.Max(0, (core + 1) / 2 - 1)).Select(k =>
            {
                int g = core + 1 - 2 * k;
                return (k, Math.Log(k - 1) + Math.Log(g + 1) + (k + g) * Math.Log(Continue) - g * Log2);
            }));
            int zeros = core + 1 - 2 * k, alpha = 1 + random.Next(k - 1), beta = k - alpha, first = random.Next(zeros + 1);
            BigInteger x = (BigInteger.One << (alpha - 1)) + UniformBits(random, alpha - 1), y = (BigInteger.One << (beta - 1)) + UniformBits(random, beta - 1);
            int longer = (int)(x * y).GetBitLength() - (k - 1);
            return ([Numeral(x, alpha + first), Numeral(y, beta + zeros - first)], core + longer);
        }

        // Σ over the splits of each k of the share and of its half width.
        private static (double[] Longer, double[] HalfWidth) SumShares()
        {
            int most = Longest / 2 + 1;
            double[] longer = new double[most + 1], halfWidth = new double[most + 1];
            for (int k = 2; k <= most; k++)
                for (int alpha = 1; alpha < k; alpha++)
                {
                    var (share, half) = ProductBitLength.LongerShare(alpha, k - alpha);
                    longer[k] += share;
                    halfWidth[k] += half;
                }
            return (longer, halfWidth);
        }

        // The weight of nonzero operands by m = 2k + g − 1: Σ_k (k − 1)(g + 1)·(1 − c)²·c^(k+g−2)·2^(−g−2).
        private static double[] WeighNonzeroCores()
        {
            var cores = new double[Longest + 1];
            for (int core = 3; core <= Longest; core++)
                for (int k = 2; 2 * k - 1 <= core; k++)
                {
                    int g = core + 1 - 2 * k;
                    cores[core] += (k - 1) * (g + 1) * Stop * Stop * Math.Pow(Continue, k + g - 2) * Math.ScaleB(1.0, -g - 2);
                }
            return cores;
        }
    }
}
