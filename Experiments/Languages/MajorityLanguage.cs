using MathNet.Numerics;
using Workbench.Formal.Errors;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Numerics;
using Workbench.Formal.Symbols;

namespace Workbench.Experiments.Languages;

/// <summary>
/// Majority (FLaRe, Butoi et al. 2025): strings over {0, 1} with more 1s than 0s, a context-free language that no
/// finite automaton recognises. The distribution: a length n ≥ 1 with P(n) = (1 − c)cⁿ⁻¹, then a string uniform
/// among the |Lₙ| = Σ_{k &gt; n/2} C(n, k) of that length in the language. The prefix probability of x (t symbols, o
/// ones) sums over the lengths, π(x) = Σ_{n ≥ t} P(n)·#{completions of x to n in L}/|Lₙ|; its terms fall like cⁿ, so the
/// sum stops where they are below 10⁻⁵⁰ of the total (exact in double precision), and the next-symbol distribution is
/// p(a | x) = π(xa)/π(x), p(EOS | x) = [o &gt; t − o]·P(t)/|L_t|/π(x). Binomial tail sums are tabulated in log space.
/// </summary>
internal static class MajorityLanguage
{
    /// <summary>The geometric continuation probability c: mean length 1/(1 − c) = 4.</summary>
    public const double Continue = 0.75;

    // Terms of π beyond t + Tail are below c^Tail ≈ 10⁻⁵⁰ of the first.
    private const int Tail = 400;

    /// <summary>The language.</summary>
    public static FormalLanguage Create()
    {
        var model = new MajorityModel(Alphabet.FromCharacters("01"));
        return FormalLanguage.Autoregressive("majority", ChomskyLevel.ContextFree, "strings over {0, 1} with more 1s than 0s, n geometric with mean 4, uniform given n",
            model, y => y.Length > 0 && 2 * y.Count(s => s == 1) > y.Length, model.Entropy(), model);
    }

    private sealed class MajorityModel(Alphabet alphabet) : IAutoregressiveLanguageModel<(int Ones, int Zeros)>, ILengthConditionedSampler
    {
        // tail[m][j] = log Σ_{i ≥ j} C(m, i), for 0 ≤ j ≤ m + 1 (the last entry −∞).
        private readonly List<double[]> _tail = [];
        private readonly object _gate = new();

        public Alphabet Alphabet => alphabet;

        public (int Ones, int Zeros) InitialState => (0, 0);

        public int? MaxLength => null;

        public double LogProbability(ReadOnlySpan<int> symbols) => ChainRule.LogProbability(this, symbols);

        public void NextLogProbabilities((int Ones, int Zeros) state, Span<double> next)
        {
            var (ones, zeros) = state;
            var t = ones + zeros;
            next[1] = LogPrefix(ones + 1, zeros);
            next[0] = LogPrefix(ones, zeros + 1);
            next[alphabet.Eos] = t > 0 && ones > zeros ? LogLength(t) - LogCount(t) : double.NegativeInfinity;
            // The three masses sum to π(state) up to the 10⁻⁵⁰ the sums leave out; dividing by their own total keeps a distribution.
            var total = LogSpace.SumExp(next);
            for (var a = 0; a < next.Length; a++) next[a] -= total;
        }

        public (int Ones, int Zeros) Advance((int Ones, int Zeros) state, int symbol)
        {
            alphabet.Validate([symbol]);
            return symbol == 1 ? (state.Ones + 1, state.Zeros) : (state.Ones, state.Zeros + 1);
        }

        /// <summary>H = H(n) + Σₙ P(n) log |Lₙ|, the sum stopped where P(n) is below 10⁻¹⁰⁰.</summary>
        public double Entropy()
        {
            var lengthEntropy = -Math.Log(1 - Continue) - Continue / (1 - Continue) * Math.Log(Continue);
            var uniform = 0.0;
            for (var n = 1; LogLength(n) > -230; n++) uniform += Math.Exp(LogLength(n)) * LogCount(n);
            return lengthEntropy + uniform;
        }

        public double LogLengthProbability(int length) => LogLength(length);

        // n, then the number of ones k with probability ∝ C(n, k) over k > n/2, then their positions uniformly.
        public int[] SampleOfLength(Random random, int length)
        {
            if (length < 1) throw new WorkbenchException("Majority has no empty string.");
            var first = length / 2 + 1;
            var ones = first + Categorical.SampleLogWeighted([.. Enumerable.Range(first, length - first + 1).Select(k => SpecialFunctions.BinomialLn(length, k))], random);
            var result = Enumerable.Repeat(0, length).ToArray();
            foreach (var position in Enumerable.Range(0, length).OrderBy(_ => random.Next()).Take(ones)) result[position] = 1;
            return result;
        }

        private static double LogLength(int n) => n < 1 ? double.NegativeInfinity : Math.Log(1 - Continue) + (n - 1) * Math.Log(Continue);

        private double LogCount(int n) => Tails(n)[n / 2 + 1];

        // log π of a prefix with these counts: Σ over the lengths n ≥ max(t, 1) of P(n)·completions/|Lₙ|.
        private double LogPrefix(int ones, int zeros)
        {
            var t = ones + zeros;
            var total = double.NegativeInfinity;
            for (var n = Math.Max(t, 1); n <= t + Tail; n++)
            {
                var rest = n - t;
                var needed = Math.Max(0, n / 2 + 1 - ones);
                if (needed > rest) continue;
                total = LogSpace.Add(total, LogLength(n) + Tails(rest)[needed] - LogCount(n));
            }
            return total;
        }

        private double[] Tails(int m)
        {
            lock (_gate)
            {
                while (_tail.Count <= m)
                {
                    var size = _tail.Count;
                    var row = new double[size + 2];
                    row[size + 1] = double.NegativeInfinity;
                    for (var i = size; i >= 0; i--) row[i] = LogSpace.Add(row[i + 1], SpecialFunctions.BinomialLn(size, i));
                    _tail.Add(row);
                }
                return _tail[m];
            }
        }
    }
}
