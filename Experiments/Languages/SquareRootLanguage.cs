using System.Numerics;
using Workbench.Formal.LanguageModels;
using static Workbench.Experiments.Languages.NumeralLanguages;

namespace Workbench.Experiments.Languages;

/// <summary>
/// Compute square root (Delétang et al. 2023; FLaRe, Butoi et al. 2025): x = z with z = ⌊√x⌋, numerals as in
/// <see cref="NumeralLanguages"/>. z's shortest numeral has ⌈b/2⌉ bits when x has bit length b ≥ 1 (one bit for x = 0),
/// and b is exactly distributed given |x| = a (x is uniform on [0, 2^a)), so the length law sums over a and b.
/// </summary>
public static class SquareRootLanguage
{
    /// <summary>The language with its exact model, recogniser, entropy and length-conditioned sampler.</summary>
    public static FormalLanguage Create() => NumeralLanguages.Create("compute-sqrt",
        "x=z over {0,1}, little-endian binary with trailing zeros, z = floor(sqrt(x)); |x| - 1 and z's padding geometric with mean 3 (FLaRe, Deletang et al.)",
        "=", operands => SquareRoot(operands[0]), new LengthLaw());

    /// <summary>⌊√x⌋ by Newton's iteration from above. O(log log x) iterations of big-integer division.</summary>
    public static BigInteger SquareRoot(BigInteger x)
    {
        if (x < 2)
            return x;
        BigInteger guess = BigInteger.One << (int)((x.GetBitLength() + 1) / 2);
        while (true)
        {
            BigInteger next = (guess + x / guess) >> 1;
            if (next >= guess)
                return guess;
            guess = next;
        }
    }

    // The length of z's shortest numeral when x has bit length b (0 for x = 0): ⌊√x⌋ has bit length ⌈b/2⌉.
    private static int RootLength(int bitLength) => Math.Max(1, (bitLength + 1) / 2);

    // log P(bit length b | |x| = a): x uniform on [0, 2^a), so b = 0 with 2^−a and b ≥ 1 with 2^(b−1−a).
    private static double LogBitLength(int b, int a) => (b == 0 ? -a : b - 1 - a) * Math.Log(2);

    /// <summary>|y| = a + RootLength(b) + 1 + p over splits (a ≥ 1, 0 ≤ b ≤ a) of core length a + RootLength(b).</summary>
    private sealed class LengthLaw() : TabulatedLengthLaw(separators: 1)
    {
        protected override IEnumerable<(NumeralSplit Split, int Core, double LogWeight)> Splits(int coreBelow)
        {
            for (int a = 1; a + 1 < coreBelow; a++)
                for (int b = 0; b <= a && a + RootLength(b) < coreBelow; b++)
                    yield return (new NumeralSplit(a, b, 0), a + RootLength(b), Weight(a, b));
        }

        protected override IEnumerable<(NumeralSplit Split, double LogWeight)> SplitsOf(int core)
        {
            for (int a = 1; a < core; a++)
                for (int b = 0; b <= a; b++)
                    if (a + RootLength(b) == core)
                        yield return (new NumeralSplit(a, b, 0), Weight(a, b));
        }

        // x uniform among the a-bit numerals of bit length b: bit b − 1 set, the bits below it uniform, the rest zero.
        protected override int[][] Operands(Random random, NumeralSplit split)
        {
            int a = split.A, b = split.B;
            BigInteger x = b == 0 ? BigInteger.Zero : (BigInteger.One << (b - 1)) + UniformBits(random, b - 1);
            return [Numeral(x, a)];
        }

        // E|y| = E|x| + 1 + E[RootLength(b)] + E[p], the third term summed over a ≤ A; the rest is at most Σ_{a>A} P(a)·a = c^A·(A + E|x|).
        public override CertifiedValue ExpectedLength()
        {
            const int longest = 400;
            double root = 0;
            for (int a = 1; a <= longest; a++)
                for (int b = 0; b <= a; b++)
                    root += Math.Exp(Weight(a, b)) * RootLength(b);
            double tail = Math.Pow(Continue, longest) * (longest + MeanNumeralLength);
            return new CertifiedValue(MeanNumeralLength + 1 + root + MeanPadding, tail + 1e-12, Invariant($"E|x| + 1 + E|z| + E[padding], E|z| summed to |x| = {longest}"));
        }

        private static double Weight(int a, int b) => LogNumeralLength(a) + LogBitLength(b, a);
    }
}
