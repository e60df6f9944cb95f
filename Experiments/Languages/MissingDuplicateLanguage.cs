using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Symbols;

namespace Workbench.Experiments.Languages;

/// <summary>
/// Missing duplicate (Delétang et al. 2023; FLaRe, Butoi et al. 2025): ww over {0, 1} with one 1 replaced by _, the task
/// being to fill the hole. The distribution: n = |w| ≥ 1 with P(n) = (1 − c)cⁿ⁻¹ (c = <see cref="ContextSensitiveLanguages.Continue"/>,
/// mean 4), then y uniform among the 2n·2ⁿ⁻¹ strings of length 2n (a hole position i, then w uniform with w[i mod n] = 1).
/// So p(y) = P(n)/(2n·2ⁿ⁻¹), and the number of strings of length 2n extending a prefix has a closed form (below), which
/// makes prefix probabilities, and with them the autoregressive model, exact: a sum over n that is finite for n below the
/// prefix's length and geometric beyond it, summed until its terms fall below 10⁻²⁰ of the total.
/// </summary>
public static class MissingDuplicateLanguage
{
    private const double Continue = ContextSensitiveLanguages.Continue;
    private const int Hole = 2;

    /// <summary>The language with its exact model, recogniser, entropy and length-conditioned sampler.</summary>
    public static FormalLanguage Create()
    {
        var model = new MissingDuplicateModel(Alphabet.FromCharacters("01_"));
        return FormalLanguage.Autoregressive("missing-duplicate",
            ChomskyLevel.ContextSensitive, "ww over {0,1} with one 1 replaced by _, |w| geometric with mean 4, uniform given the length (FLaRe, Deletang et al.)",
            model, Accepts, Entropy(), model);
    }

    /// <summary>Whether y is ww with exactly one 1 of it replaced by _.</summary>
    public static bool Accepts(int[] y)
    {
        int n = y.Length / 2, hole = Array.IndexOf(y, Hole);
        if (y.Length == 0 || y.Length % 2 == 1 || hole < 0 || Array.LastIndexOf(y, Hole) != hole)
            return false;
        int[] filled = [.. y];
        filled[hole] = 1;
        return filled.AsSpan(0, n).SequenceEqual(filled.AsSpan(n));
    }

    /// <summary>
    /// H = H(n) + E[log(2n·2ⁿ⁻¹)] = H(n) + log 2 + E[log n] + E[n − 1]·log 2, with E[log n] summed to n = 4000 (the rest is
    /// below c⁴⁰⁰⁰·log 4000, far under double precision).
    /// </summary>
    private static double Entropy()
    {
        double meanLog = 0;
        for (int n = 1; n <= 4000; n++)
            meanLog += Math.Exp(LogLength(n)) * Math.Log(n);
        return ContextSensitiveLanguages.LengthEntropy + Math.Log(2) + meanLog + Continue / (1 - Continue) * Math.Log(2);
    }

    // log P(n) for |w| = n ≥ 1.
    private static double LogLength(int n) => n < 1 ? double.NegativeInfinity : Math.Log(1 - Continue) + (n - 1) * Math.Log(Continue);

    // log p(y) of each string of length 2n: P(n)/(2n·2ⁿ⁻¹).
    private static double LogString(int n) => LogLength(n) - Math.Log(2 * n) - (n - 1) * Math.Log(2);

    /// <summary>
    /// A prefix u of length k: its symbols, the ones among them (prefix sums), the hole's position (−1 for none, −2 for two
    /// or more), and for every period n ≤ k whether u is consistent with it (u[t] and u[t − n] agree for every pair inside u,
    /// or one is the hole and the other a 1).
    /// </summary>
    private sealed record State(int[] Symbols, int[] Ones, int HolePosition, bool[] Consistent)
    {
        public int Length => Symbols.Length;

        public int OnesBetween(int from, int to) => from >= to ? 0 : Ones[to] - Ones[from];
    }

    private sealed class MissingDuplicateModel(Alphabet alphabet) : IAutoregressiveLanguageModel<State>, ILengthConditionedSampler, IExpectedLengthModel
    {
        public Alphabet Alphabet => alphabet;

        public State InitialState { get; } = new([], [0], -1, [true]);

        public int? MaxLength => null;

        public double LogProbability(ReadOnlySpan<int> symbols) => ChainRule.LogProbability(this, symbols);

        public CertifiedValue ExpectedLength() => CertifiedValue.Exact(2 / (1 - Continue), "closed form: E|y| = 2·E[n] = 2/(1 − c)");

        public double LogLengthProbability(int length) => length % 2 == 0 ? LogLength(length / 2) : double.NegativeInfinity;

        // Uniform given the length: a hole position, then w uniform with a 1 under the hole.
        public int[] SampleOfLength(Random random, int length)
        {
            if (length % 2 == 1 || length < 2)
                throw new Formal.Errors.WorkbenchException(Invariant($"missing duplicate has no string of length {length}."));
            int n = length / 2, hole = random.Next(length);
            var w = Enumerable.Range(0, n).Select(_ => random.Next(2)).ToArray();
            w[hole % n] = 1;
            int[] y = [.. w, .. w];
            y[hole] = Hole;
            return y;
        }

        public void NextLogProbabilities(State state, Span<double> next)
        {
            // p(a | u) = π(ua)/π(u) and p(EOS | u) = p(u)/π(u), normalised by their own sum (which is π(u)).
            next[alphabet.Eos] = LogComplete(state);
            for (int a = 0; a < alphabet.Size; a++)
                next[a] = LogPrefix(Advance(state, a));
            double total = NumeralLanguages.LogSumExp([.. next.ToArray()]);
            if (double.IsNegativeInfinity(total))
            {
                next.Fill(double.NegativeInfinity);
                next[alphabet.Eos] = 0; // a dead prefix: any continuation keeps probability 0
                return;
            }
            for (int i = 0; i < next.Length; i++)
                next[i] -= total;
        }

        public State Advance(State state, int symbol)
        {
            alphabet.Validate([symbol]);
            int t = state.Length;
            int hole = symbol != Hole ? state.HolePosition : state.HolePosition == -1 ? t : -2;
            var consistent = new bool[t + 2];
            Array.Copy(state.Consistent, consistent, state.Consistent.Length);
            consistent[t + 1] = true;
            // Position t pairs with t − n for every period n with n ≤ t < 2n.
            for (int n = t / 2 + 1; n <= t; n++)
                consistent[n] &= Agree(state.Symbols[t - n], symbol);
            return new State([.. state.Symbols, symbol], [.. state.Ones, state.Ones[^1] + (symbol == 1 ? 1 : 0)], hole, consistent);
        }

        private static bool Agree(int earlier, int later) => earlier == later ? earlier != Hole : earlier == Hole ? later == 1 : later == Hole && earlier == 1;

        // log p(u): u itself is a string of the language.
        private static double LogComplete(State u)
        {
            int k = u.Length;
            return k > 0 && k % 2 == 0 && u.HolePosition >= 0 && u.Consistent[k / 2] ? LogString(k / 2) : double.NegativeInfinity;
        }

        // log π(u) = log Σₙ C(u, n)·p(strings of length 2n), C(u, n) the strings of length 2n extending u.
        private static double LogPrefix(State u)
        {
            if (u.HolePosition == -2)
                return double.NegativeInfinity;
            int k = u.Length;
            var terms = new List<double>();
            // n < k: w is fixed by u (when consistent); with a hole in u that is the one string, without one the hole goes on a
            // later position n + j, j ∈ [k − n, n), whose w[j] = u[j] must be 1.
            for (int n = Math.Max(1, (k + 1) / 2); n < k; n++)
            {
                if (!u.Consistent[n])
                    continue;
                double count = u.HolePosition >= 0 ? 1 : u.OnesBetween(k - n, n);
                if (count > 0)
                    terms.Add(Math.Log(count) + LogString(n));
            }
            // n ≥ k: u is a prefix of the first half; with its hole, 2ⁿ⁻ᵏ completions of w; without, the hole goes at i ≥ k,
            // which gives 2ⁿ⁻ᵏ·(n − k + ones(u)) (n − k positions in either half with a free w bit, each 2ⁿ⁻ᵏ⁻¹ completions,
            // and one per 1 of u under its copy). Summed until the terms fall below 10⁻²⁰ of the total: the ratio of two
            // consecutive terms is below c·(1 + 1/(n − k + 1)), so the rest is below 10⁻¹⁹ of it.
            double largest = double.NegativeInfinity;
            for (int n = Math.Max(1, k); ; n++)
            {
                double completions = u.HolePosition >= 0 ? 1 : n - k + u.Ones[^1];
                double term = completions > 0 ? Math.Log(completions) + (n - k) * Math.Log(2) + LogString(n) : double.NegativeInfinity;
                terms.Add(term);
                largest = Math.Max(largest, term);
                if (n - k >= 20 && term < largest - 46)
                    break;
            }
            return NumeralLanguages.LogSumExp(terms);
        }
    }
}
