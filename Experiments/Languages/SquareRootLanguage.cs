using System.Numerics;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Symbols;

namespace Workbench.Experiments.Languages;

/// <summary>
/// Compute square root (Delétang et al. 2023; FLaRe, Butoi et al. 2025): x = z over {0, 1, =}, x and z little-endian binary
/// numerals (least significant bit first, trailing zeros allowed, neither empty) with z = ⌊√x⌋. The distribution: a = |x|
/// is 1 + a geometric count (c = <see cref="ContextSensitiveLanguages.Continue"/>), the bits of x are uniform, z is written as
/// its shortest numeral and then padded with a geometric number of zeros. z is determined by x, so
/// H = log 2 + 2·H(geometric) + E[a − 1]·log 2, in closed form; the length law sums over |x| and the bit length of x.
/// </summary>
public static class SquareRootLanguage
{
    private const double Continue = ContextSensitiveLanguages.Continue;

    /// <summary>The language with its exact model, recogniser, entropy and length-conditioned sampler.</summary>
    public static FormalLanguage Create()
    {
        var model = new SquareRootModel(Alphabet.FromCharacters("01="));
        double entropy = Math.Log(2) + 2 * ContextSensitiveLanguages.LengthEntropy + Continue / (1 - Continue) * Math.Log(2);
        return FormalLanguage.Autoregressive("compute-sqrt", ChomskyLevel.ContextSensitive,
            "x=z over {0,1}, little-endian binary with trailing zeros, z = floor(sqrt(x)); |x| - 1 and z's padding geometric with mean 3 (FLaRe, Deletang et al.)",
            model, Accepts, entropy, model);
    }

    /// <summary>Whether y is x = z with both numerals non-empty and z = ⌊√x⌋.</summary>
    public static bool Accepts(int[] y)
    {
        int equals = Array.IndexOf(y, EqualsSymbol);
        if (equals <= 0 || equals == y.Length - 1 || Array.LastIndexOf(y, EqualsSymbol) != equals)
            return false;
        return SquareRoot(Value(y.AsSpan(0, equals))) == Value(y.AsSpan(equals + 1));
    }

    private const int EqualsSymbol = 2;

    /// <summary>The value of a little-endian numeral.</summary>
    private static BigInteger Value(ReadOnlySpan<int> bits)
    {
        BigInteger value = BigInteger.Zero;
        for (int i = bits.Length - 1; i >= 0; i--)
            value = (value << 1) + bits[i];
        return value;
    }

    /// <summary>⌊√x⌋ by Newton's iteration from above. O(log x) iterations of big-integer division.</summary>
    private static BigInteger SquareRoot(BigInteger x)
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

    /// <summary>The shortest little-endian numeral of a value ("0" for zero).</summary>
    private static int[] Shortest(BigInteger value)
    {
        if (value.IsZero)
            return [0];
        var bits = new int[value.GetBitLength()];
        for (int i = 0; i < bits.Length; i++)
            bits[i] = (int)((value >> i) & 1);
        return bits;
    }

    // The length of z's shortest numeral when x has bit length b (0 for x = 0): ⌊√x⌋ has bit length ⌈b/2⌉.
    private static int RootLength(int bitLength) => Math.Max(1, (bitLength + 1) / 2);

    // log P(|x| = a) and log P(bit length b | |x| = a): x uniform on [0, 2^a), so b = 0 with 2^−a and b ≥ 1 with 2^(b−1−a).
    private static double LogNumeralLength(int a) => a < 1 ? double.NegativeInfinity : Math.Log(1 - Continue) + (a - 1) * Math.Log(Continue);

    private static double LogBitLength(int b, int a) => (b == 0 ? -a : b - 1 - a) * Math.Log(2);

    private static double LogPadding(int p) => p < 0 ? double.NegativeInfinity : Math.Log(1 - Continue) + p * Math.Log(Continue);

    /// <summary>The state: x's bits so far, or z's shortest numeral and how much of it is written (then padding), or dead.</summary>
    private sealed record State(int[] X, int[]? Root, int Written, bool Dead);

    private sealed class SquareRootModel(Alphabet alphabet) : IAutoregressiveLanguageModel<State>, ILengthConditionedSampler, IExpectedLengthModel
    {
        private readonly Dictionary<int, double> _lengthLaw = [];

        public Alphabet Alphabet => alphabet;

        public State InitialState { get; } = new([], null, 0, false);

        public int? MaxLength => null;

        public double LogProbability(ReadOnlySpan<int> symbols) => ChainRule.LogProbability(this, symbols);

        public void NextLogProbabilities(State state, Span<double> next)
        {
            next.Fill(double.NegativeInfinity);
            if (state.Dead)
                next[alphabet.Eos] = 0;
            else if (state.Root is null && state.X.Length == 0)
                next[0] = next[1] = Math.Log(0.5);
            else if (state.Root is null)
            {
                next[0] = next[1] = Math.Log(Continue / 2);
                next[EqualsSymbol] = Math.Log(1 - Continue);
            }
            else if (state.Written < state.Root.Length)
                next[state.Root[state.Written]] = 0;
            else
            {
                next[0] = Math.Log(Continue);
                next[alphabet.Eos] = Math.Log(1 - Continue);
            }
        }

        public State Advance(State state, int symbol)
        {
            alphabet.Validate([symbol]);
            if (state.Dead)
                return state;
            if (state.Root is null)
                return symbol != EqualsSymbol ? state with { X = [.. state.X, symbol] }
                    : state.X.Length > 0 ? state with { Root = Shortest(SquareRoot(Value(state.X))) }
                    : state with { Dead = true };
            if (state.Written < state.Root.Length)
                return state.Root[state.Written] == symbol ? state with { Written = state.Written + 1 } : state with { Dead = true };
            return symbol == 0 ? state : state with { Dead = true };
        }

        // |y| = a + 1 + RootLength(b) + p: a sum over the numeral length a and the bit length b ≤ a. O(n²) per length, memoised.
        public double LogLengthProbability(int length)
        {
            if (_lengthLaw.TryGetValue(length, out double known))
                return known;
            var terms = new List<double>();
            foreach (var (a, b, p) in Splits(length))
                terms.Add(LogNumeralLength(a) + LogBitLength(b, a) + LogPadding(p));
            double value = terms.Count == 0 ? double.NegativeInfinity : LogSumExp(terms);
            _lengthLaw[length] = value;
            return value;
        }

        public int[] SampleOfLength(Random random, int length)
        {
            var splits = Splits(length).ToArray();
            if (splits.Length == 0)
                throw new Formal.Errors.WorkbenchException(Invariant($"x=z has no string of length {length}."));
            double total = LogLengthProbability(length), u = random.NextDouble(), cumulative = 0;
            var (a, b, p) = splits[^1];
            foreach (var split in splits)
            {
                cumulative += Math.Exp(LogNumeralLength(split.A) + LogBitLength(split.B, split.A) + LogPadding(split.P) - total);
                if (u < cumulative)
                {
                    (a, b, p) = split;
                    break;
                }
            }
            // x uniform among the a-bit numerals of bit length b: bit b − 1 set, the bits below it uniform, the rest zero.
            var x = new int[a];
            for (int i = 0; i < b - 1; i++)
                x[i] = random.Next(2);
            if (b > 0)
                x[b - 1] = 1;
            return [.. x, EqualsSymbol, .. Shortest(SquareRoot(Value(x))), .. new int[p]];
        }

        // Every (a, b, p) with a + 1 + RootLength(b) + p = length, a ≥ 1, 0 ≤ b ≤ a, p ≥ 0.
        private static IEnumerable<(int A, int B, int P)> Splits(int length)
        {
            for (int a = 1; a + 2 <= length; a++)
                for (int b = 0; b <= a; b++)
                {
                    int p = length - a - 1 - RootLength(b);
                    if (p >= 0)
                        yield return (a, b, p);
                }
        }

        // E|y| = E[a] + 1 + E[RootLength(b)] + E[p], the middle term summed over a ≤ A; the rest is at most Σ_{a>A} P(a)·a.
        public CertifiedValue ExpectedLength()
        {
            const int longest = 400;
            double root = 0;
            for (int a = 1; a <= longest; a++)
                for (int b = 0; b <= a; b++)
                    root += Math.Exp(LogNumeralLength(a) + LogBitLength(b, a)) * RootLength(b);
            double mean = 1 / (1 - Continue), tail = Math.Pow(Continue, longest) * (longest + mean);
            return new CertifiedValue(mean + 1 + root + Continue / (1 - Continue), tail + 1e-12,
                Invariant($"E|x| + 1 + E|z| + E[padding], E|z| summed to |x| = {longest}"));
        }

        private static double LogSumExp(List<double> terms)
        {
            double max = terms.Max();
            return max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
        }
    }
}
