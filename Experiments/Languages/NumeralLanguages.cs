using System.Numerics;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Symbols;

namespace Workbench.Experiments.Languages;

/// <summary>
/// How a numeral language's lengths fall: |y| = Σ|xᵢ| + k + |z| + p for k operands, the shortest numeral z of the result and
/// p padding zeros, where |z| depends on the operands' values; each operation supplies the law and a sampler of the operands
/// given the length.
/// </summary>
internal interface INumeralLengthLaw
{
    /// <summary>The longest length the law is tabulated to (null: any).</summary>
    int? MaxLength { get; }

    /// <summary>log P(|y| = n), to within <see cref="LogLengthProbabilityError"/> (−∞ exactly when no string has length n).</summary>
    double LogLengthProbability(int length);

    /// <summary>A bound on the error of <see cref="LogLengthProbability"/> in nats (0: exact to rounding).</summary>
    double LogLengthProbabilityError(int length);

    /// <summary><paramref name="count"/> draws of operand numerals and a padding count from p(· | min ≤ |y| ≤ max), exactly; none when the range has probability 0.</summary>
    (int[][] Operands, int Padding)[] Sample(Random random, int count, int min, int max);

    /// <summary>E|y|, with a bound on its error.</summary>
    CertifiedValue ExpectedLength();
}

/// <summary>The lengths that fix a numeral string's core, as its operation defines them (square root: |x| and x's bit length; addition: |x|, |y| and |z|).</summary>
internal readonly record struct NumeralSplit(int A, int B, int C);

/// <summary>
/// A length law tabulated over the core length m = Σ|xᵢ| + |z| (the numerals without separators or padding): Q[m], summed
/// over the operation's splits (the operands' lengths and whatever fixes |z|), grown by doubling as longer lengths are
/// asked for, up to <see cref="MaxLength"/>, and shared by every instance of a law (it is a pure function of the law); then
/// P(|y| = n) = Σ_m Q[m]·P(padding = n − k − m) for k separators. Sampling draws m, then a split of that core length, then
/// operands for it. Terms below double precision's smallest number (relative size under 10⁻²⁹⁰) are dropped.
/// </summary>
internal abstract class TabulatedLengthLaw(int separators) : INumeralLengthLaw
{
    private const int Longest = 2048;
    private static readonly Dictionary<Type, double[]> Tables = [];

    /// <inheritdoc />
    public int? MaxLength => Longest;

    /// <summary>Every split whose core length is below the bound: its core length and log weight (the log probability of the operands' lengths and of z's length).</summary>
    protected abstract IEnumerable<(NumeralSplit Split, int Core, double LogWeight)> Splits(int coreBelow);

    /// <summary>The splits of one core length with their log weights.</summary>
    protected abstract IEnumerable<(NumeralSplit Split, double LogWeight)> SplitsOf(int core);

    /// <summary>Operand numerals drawn uniformly among those of a split.</summary>
    protected abstract int[][] Operands(Random random, NumeralSplit split);

    /// <inheritdoc />
    public double LogLengthProbability(int length)
    {
        double[] cores = Cores(length);
        var terms = new List<double>();
        for (int m = 0; m + separators <= length; m++)
            if (cores[m] > 0)
                terms.Add(Math.Log(cores[m]) + NumeralLanguages.LogPadding(length - separators - m));
        return NumeralLanguages.LogSumExp(terms);
    }

    /// <inheritdoc />
    public double LogLengthProbabilityError(int length) => 0;

    /// <inheritdoc />
    public (int[][] Operands, int Padding)[] Sample(Random random, int count, int min, int max) =>
        min == max && !double.IsNegativeInfinity(LogLengthProbability(min))
            ? [.. Enumerable.Range(0, count).Select(_ => SampleOfLength(random, min))]
            : LengthConditionedSampling.RelativeLengthWeights(LogLengthProbability, min, max) is { } weights
            ? [.. Enumerable.Range(0, count).Select(_ => SampleOfLength(random, min + Categorical.SampleWeighted(weights, random)))]
            : [];

    private (int[][] Operands, int Padding) SampleOfLength(Random random, int length)
    {
        double[] cores = Cores(length);
        int m = NumeralLanguages.Draw(random, Enumerable.Range(0, Math.Max(0, length - separators + 1))
            .Select(k => (k, cores[k] > 0 ? Math.Log(cores[k]) + NumeralLanguages.LogPadding(length - separators - k) : double.NegativeInfinity)));
        return (Operands(random, NumeralLanguages.Draw(random, SplitsOf(m))), length - separators - m);
    }

    /// <inheritdoc />
    public abstract CertifiedValue ExpectedLength();

    private double[] Cores(int length)
    {
        if (length > Longest)
            throw new Formal.Errors.BudgetExceededException(Invariant($"the length law is tabulated up to {Longest}, not {length}"));
        lock (Tables)
        {
            double[] known = Tables.GetValueOrDefault(GetType(), []);
            if (length < known.Length)
                return known;
            int size = Math.Min(Longest + 1, Math.Max(length + 1, 2 * known.Length));
            var cores = new double[size];
            foreach (var (_, core, weight) in Splits(size))
                cores[core] += Math.Exp(weight);
            return Tables[GetType()] = cores;
        }
    }
}

/// <summary>
/// The arithmetic languages of Delétang et al. (2023) and FLaRe (Butoi et al. 2025): x₁ ∘ … ∘ xₖ = z over {0, 1} and k
/// separators (the last is =), every numeral little-endian (least significant bit first), non-empty, with trailing zeros
/// allowed, and z the value of an operation on the xᵢ. The distribution: each |xᵢ| is 1 plus a geometric count
/// (c = <see cref="ContextSensitiveLanguages.Continue"/>) with uniform bits, z is written as its shortest numeral and then
/// padded with a geometric number of zeros. z is determined by the operands, so the entropy is
/// k·(log 2 + H(geometric) + E[|xᵢ| − 1]·log 2) + H(geometric), in closed form.
/// </summary>
internal static class NumeralLanguages
{
    /// <summary>The geometric continuation probability of every numeral and of the padding.</summary>
    public const double Continue = ContextSensitiveLanguages.Continue;

    /// <summary>A numeral language over "01" and the separators (one per operand, = last).</summary>
    public static FormalLanguage Create(string name, string description, string separators, Func<BigInteger[], BigInteger> operation, INumeralLengthLaw law)
    {
        var alphabet = Alphabet.FromCharacters("01" + separators);
        var model = new NumeralModel(alphabet, separators.Length, operation, law);
        double perOperand = Math.Log(2) + ContextSensitiveLanguages.LengthEntropy + Continue / (1 - Continue) * Math.Log(2);
        return FormalLanguage.Autoregressive(name, ChomskyLevel.ContextSensitive, description, model,
            y => Accepts(y, separators.Length, operation), separators.Length * perOperand + ContextSensitiveLanguages.LengthEntropy, model);
    }

    private static readonly double LogStop = Math.Log(1 - Continue), LogContinue = Math.Log(Continue);

    /// <summary>log P(|x| = a) for an operand numeral: 1 + a geometric count.</summary>
    public static double LogNumeralLength(int a) => a < 1 ? double.NegativeInfinity : LogStop + (a - 1) * LogContinue;

    /// <summary>log P(p padding zeros).</summary>
    public static double LogPadding(int p) => p < 0 ? double.NegativeInfinity : LogStop + p * LogContinue;

    /// <summary>E|x| of an operand numeral.</summary>
    public static double MeanNumeralLength => 1 / (1 - Continue);

    /// <summary>E[p] of the padding.</summary>
    public static double MeanPadding => Continue / (1 - Continue);

    /// <summary>The value of a little-endian numeral.</summary>
    public static BigInteger Value(ReadOnlySpan<int> bits)
    {
        BigInteger value = BigInteger.Zero;
        for (int i = bits.Length - 1; i >= 0; i--)
            value = (value << 1) + bits[i];
        return value;
    }

    /// <summary>The shortest little-endian numeral of a value ("0" for zero).</summary>
    public static int[] Shortest(BigInteger value)
    {
        if (value.IsZero)
            return [0];
        var bits = new int[value.GetBitLength()];
        for (int i = 0; i < bits.Length; i++)
            bits[i] = (int)((value >> i) & 1);
        return bits;
    }

    /// <summary>An a-bit numeral of a value below 2^a.</summary>
    public static int[] Numeral(BigInteger value, int a)
    {
        var bits = new int[a];
        for (int i = 0; i < a; i++)
            bits[i] = (int)((value >> i) & 1);
        return bits;
    }

    /// <summary>A uniform value in [0, 2^bits).</summary>
    public static BigInteger UniformBits(Random random, int bits)
    {
        BigInteger value = BigInteger.Zero;
        for (int i = 0; i < bits; i++)
            value = (value << 1) + random.Next(2);
        return value;
    }

    /// <summary>log Σ exp(terms), stable; −∞ for no terms.</summary>
    public static double LogSumExp(IReadOnlyCollection<double> terms)
    {
        if (terms.Count == 0)
            return double.NegativeInfinity;
        double max = terms.Max();
        return double.IsNegativeInfinity(max) ? max : max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
    }

    /// <summary>One item drawn with probability proportional to exp(log weight) (items of weight 0 never). O(items).</summary>
    public static T Draw<T>(Random random, IEnumerable<(T Item, double LogWeight)> choices)
    {
        var list = choices.Where(c => !double.IsNegativeInfinity(c.LogWeight)).ToList();
        double total = LogSumExp([.. list.Select(c => c.LogWeight)]), u = random.NextDouble(), cumulative = 0;
        foreach (var (item, weight) in list)
        {
            cumulative += Math.Exp(weight - total);
            if (u < cumulative)
                return item;
        }
        return list[^1].Item;
    }

    /// <summary>Whether y is x₁ ∘ … ∘ xₖ = z with non-empty numerals and z the operation's value.</summary>
    private static bool Accepts(int[] y, int operands, Func<BigInteger[], BigInteger> operation)
    {
        var values = new BigInteger[operands];
        int start = 0;
        for (int i = 0; i < operands; i++)
        {
            int end = start;
            while (end < y.Length && y[end] < 2)
                end++;
            if (end == start || end == y.Length || y[end] != 2 + i)
                return false;
            values[i] = Value(y.AsSpan(start, end - start));
            start = end + 1;
        }
        var result = y.AsSpan(start);
        return result.Length > 0 && !result.ContainsAnyExcept(0, 1) && operation(values) == Value(result);
    }

    /// <summary>The state: the finished operands, the numeral being read, or the result's shortest numeral and how much of it is written (then padding), or dead.</summary>
    private sealed record State(BigInteger[] Operands, int[] Current, int[]? Result, int Written, bool Dead);

    private sealed class NumeralModel(Alphabet alphabet, int operands, Func<BigInteger[], BigInteger> operation, INumeralLengthLaw law)
        : IAutoregressiveLanguageModel<State>, ILengthConditionedSampler, IExpectedLengthModel
    {
        public Alphabet Alphabet => alphabet;

        public State InitialState { get; } = new([], [], null, 0, false);

        public int? MaxLength => law.MaxLength;

        public double LogProbability(ReadOnlySpan<int> symbols) => ChainRule.LogProbability(this, symbols);

        public void NextLogProbabilities(State state, Span<double> next)
        {
            next.Fill(double.NegativeInfinity);
            if (state.Dead)
                next[alphabet.Eos] = 0;
            else if (state.Result is null && state.Current.Length == 0)
                next[0] = next[1] = Math.Log(0.5);
            else if (state.Result is null)
            {
                next[0] = next[1] = Math.Log(Continue / 2);
                next[2 + state.Operands.Length] = Math.Log(1 - Continue);
            }
            else if (state.Written < state.Result.Length)
                next[state.Result[state.Written]] = 0;
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
            if (state.Result is null)
            {
                if (symbol < 2)
                    return state with { Current = [.. state.Current, symbol] };
                if (state.Current.Length == 0 || symbol != 2 + state.Operands.Length)
                    return state with { Dead = true };
                BigInteger[] finished = [.. state.Operands, Value(state.Current)];
                return finished.Length < operands
                    ? state with { Operands = finished, Current = [] }
                    : state with { Operands = finished, Current = [], Result = Shortest(operation(finished)) };
            }
            if (state.Written < state.Result.Length)
                return state.Result[state.Written] == symbol ? state with { Written = state.Written + 1 } : state with { Dead = true };
            return symbol == 0 ? state : state with { Dead = true };
        }

        public double LogLengthProbability(int length) => law.LogLengthProbability(length);

        public double LogLengthProbabilityError(int length) => law.LogLengthProbabilityError(length);

        public int[] SampleOfLength(Random random, int length)
        {
            if (double.IsNegativeInfinity(law.LogLengthProbability(length)))
                throw new Formal.Errors.WorkbenchException(Invariant($"the language has no string of length {length}."));
            return Write(law.Sample(random, 1, length, length)[0]);
        }

        public int[][] SampleInRange(Random random, int count, int min, int max) => [.. law.Sample(random, count, min, max).Select(Write)];

        // The string of drawn operands and padding: each operand and its separator, the result's shortest numeral, the padding zeros.
        private int[] Write((int[][] Operands, int Padding) draw)
        {
            var (numerals, padding) = draw;
            var symbols = new List<int>();
            for (int i = 0; i < numerals.Length; i++)
                symbols.AddRange([.. numerals[i], 2 + i]);
            symbols.AddRange(Shortest(operation([.. numerals.Select(n => Value(n))])));
            symbols.AddRange(new int[padding]);
            return [.. symbols];
        }

        public CertifiedValue ExpectedLength() => law.ExpectedLength();
    }
}
