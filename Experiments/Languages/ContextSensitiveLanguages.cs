using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Symbols;

namespace Workbench.Experiments.Languages;

/// <summary>
/// The languages of the suite beyond context-free, with exact distributions defined by an explicit
/// generative process: a geometric length n (P(n) = (1 − c)cⁿ, c = <see cref="Continue"/>), then the
/// string the process writes deterministically or uniformly. Their LMs compute next-symbol
/// distributions from the process's state, and sample exactly conditioned on the length from the closed form of the
/// length law: |y| = 3n for aⁿbⁿcⁿ, |y| = 2|w| + 1 for w#w, so their expected lengths (9 and 7) are closed forms too.
/// </summary>
public static class ContextSensitiveLanguages
{
    /// <summary>The geometric continuation probability c: mean n = c/(1 − c) = 3.</summary>
    public const double Continue = 0.75;

    /// <summary>The entropy of the geometric length, −log(1 − c) − c/(1 − c)·log c.</summary>
    public static double LengthEntropy => -Math.Log(1 - Continue) - Continue / (1 - Continue) * Math.Log(Continue);

    /// <summary>aⁿbⁿcⁿ with n geometric: H = H(n).</summary>
    public static FormalLanguage AnBnCn()
    {
        var alphabet = Alphabet.FromCharacters("abc");
        var model = new CountingModel(alphabet);
        return FormalLanguage.Autoregressive("anbncn", ChomskyLevel.ContextSensitive, "a^n b^n c^n, n geometric with mean 3",
            model,
            y => y.Length % 3 == 0 && Enumerable.Range(0, y.Length).All(i => y[i] == i / (y.Length / 3 == 0 ? 1 : y.Length / 3)),
            LengthEntropy, model);
    }

    /// <summary>The marked copy w#w over {a, b}, |w| geometric and w uniform: H = H(|w|) + E|w|·log 2.</summary>
    public static FormalLanguage MarkedCopy() =>
        Marked("marked-copy", "w#w over {a, b}, |w| geometric with mean 3, w uniform", "ab", w => w);

    /// <summary>
    /// Odds first (Delétang et al. 2023; Butoi et al. 2025 as a language): w#f(w) with f(w) the symbols of w at odd
    /// positions, then those at even positions (w₁w₃w₅…w₂w₄…), over {a, b}.
    /// </summary>
    public static FormalLanguage OddsFirst() =>
        Marked("odds-first", "w#(odd positions of w, then even ones) over {a, b}, |w| geometric with mean 3, w uniform", "ab",
            w => [.. w.Where((_, i) => i % 2 == 0), .. w.Where((_, i) => i % 2 == 1)]);

    /// <summary>Bucket sort (Delétang et al. 2023; Butoi et al. 2025): w#sort(w) over {a, b, c, d}.</summary>
    public static FormalLanguage BucketSort() =>
        Marked("bucket-sort", "w#(w sorted) over {a, b, c, d}, |w| geometric with mean 3, w uniform", "abcd", w => [.. w.Order()]);

    /// <summary>
    /// w#f(w) for a length-preserving f, |w| geometric and w uniform over the input symbols: the string after # is
    /// determined, so H = H(|w|) + E|w|·log |Σ_in|, and |y| = 2|w| + 1.
    /// </summary>
    private static FormalLanguage Marked(string name, string description, string inputs, Func<int[], int[]> function)
    {
        var alphabet = Alphabet.FromCharacters(inputs + "#");
        var model = new MarkedFunctionModel(alphabet, function);
        var marker = inputs.Length;
        return FormalLanguage.Autoregressive(name, ChomskyLevel.ContextSensitive, description, model,
            y =>
            {
                int n = y.Length / 2;
                return y.Length % 2 == 1 && y[n] == marker && y.Take(n).All(s => s != marker) && function(y[..n]).SequenceEqual(y[(n + 1)..]);
            },
            LengthEntropy + Continue / (1 - Continue) * Math.Log(inputs.Length), model);
    }

    // log P(n) = log((1 − c)cⁿ) of the geometric length.
    private static double LogGeometric(int n) => Math.Log(1 - Continue) + n * Math.Log(Continue);

    // E[n] = c/(1 − c) of the geometric length, so E|y| = scale·E[n] + offset for |y| = scale·n + offset.
    private static CertifiedValue ExpectedLength(int scale, int offset, string form) =>
        CertifiedValue.Exact(scale * Continue / (1 - Continue) + offset, Invariant($"closed form: E|y| = {scale}·c/(1 − c) + {offset} for |y| = {form}"));

    /// <summary>aⁿbⁿcⁿ: the state is (a's read, b's read, c's read); once a b is read, n is fixed.</summary>
    private sealed class CountingModel(Alphabet alphabet) : IAutoregressiveLanguageModel<(int A, int B, int C)>, ILengthConditionedSampler, IExpectedLengthModel
    {
        public int? MaxLength => null;

        public CertifiedValue ExpectedLength() => ContextSensitiveLanguages.ExpectedLength(3, 0, "3n");

        public double LogLengthProbability(int length) => length % 3 == 0 ? LogGeometric(length / 3) : double.NegativeInfinity;

        public int[] SampleOfLength(Random random, int length) =>
            length % 3 == 0 ? [.. Enumerable.Range(0, length).Select(i => i / (length / 3))] : throw new Formal.Errors.WorkbenchException(Invariant($"aⁿbⁿcⁿ has no string of length {length}."));

        public Alphabet Alphabet => alphabet;

        public (int A, int B, int C) InitialState => (0, 0, 0);

        public double LogProbability(ReadOnlySpan<int> symbols) => Formal.Generation.ChainRule.LogProbability(this, symbols);

        public void NextLogProbabilities((int A, int B, int C) state, Span<double> next)
        {
            next.Fill(double.NegativeInfinity);
            var (a, b, c) = state;
            if (a < 0)
                next[alphabet.Eos] = 0; // a dead prefix: any continuation keeps probability 0
            else if (b == 0 && c == 0)
            {
                next[0] = Math.Log(Continue);
                next[a == 0 ? alphabet.Eos : 1] = Math.Log(1 - Continue);
            }
            else if (b < a)
                next[1] = 0;
            else if (c < a)
                next[2] = 0;
            else
                next[alphabet.Eos] = 0;
        }

        public (int A, int B, int C) Advance((int A, int B, int C) state, int symbol)
        {
            alphabet.Validate([symbol]);
            var (a, b, c) = state;
            return symbol switch
            {
                0 when b == 0 && c == 0 && a >= 0 => (a + 1, 0, 0),
                1 when a > 0 && b < a && c == 0 => (a, b + 1, 0),
                2 when a > 0 && b == a && c < a => (a, b, c + 1),
                _ => (-1, 0, 0),
            };
        }
    }

    /// <summary>w#f(w): the state is the prefix of w (before #), or f(w) and how much of it is written, or dead.</summary>
    private sealed class MarkedFunctionModel(Alphabet alphabet, Func<int[], int[]> function) : IAutoregressiveLanguageModel<MarkedFunctionModel.State>, ILengthConditionedSampler, IExpectedLengthModel
    {
        private readonly int _marker = alphabet.Size - 1;

        public int? MaxLength => null;

        public CertifiedValue ExpectedLength() => ContextSensitiveLanguages.ExpectedLength(2, 1, "2|w| + 1");

        public double LogLengthProbability(int length) => length % 2 == 1 ? LogGeometric(length / 2) : double.NegativeInfinity;

        // w uniform over the input symbols, then # and f(w).
        public int[] SampleOfLength(Random random, int length)
        {
            if (length % 2 == 0) throw new Formal.Errors.WorkbenchException(Invariant($"w#f(w) has no string of length {length}."));
            var word = Enumerable.Range(0, length / 2).Select(_ => random.Next(_marker)).ToArray();
            return [.. word, _marker, .. function(word)];
        }

        public sealed record State(int[] Word, int[]? Output, int Written, bool Dead);

        public Alphabet Alphabet => alphabet;

        public State InitialState { get; } = new([], null, 0, false);

        public double LogProbability(ReadOnlySpan<int> symbols) => Formal.Generation.ChainRule.LogProbability(this, symbols);

        public void NextLogProbabilities(State state, Span<double> next)
        {
            next.Fill(double.NegativeInfinity);
            if (state.Dead)
                next[alphabet.Eos] = 0;
            else if (state.Output is null)
            {
                for (var a = 0; a < _marker; a++) next[a] = Math.Log(Continue / _marker);
                next[_marker] = Math.Log(1 - Continue);
            }
            else if (state.Written < state.Output.Length)
                next[state.Output[state.Written]] = 0;
            else
                next[alphabet.Eos] = 0;
        }

        public State Advance(State state, int symbol)
        {
            alphabet.Validate([symbol]);
            if (state.Dead)
                return state;
            if (state.Output is null)
                return symbol == _marker ? state with { Output = function(state.Word) } : state with { Word = [.. state.Word, symbol] };
            return state.Written < state.Output.Length && state.Output[state.Written] == symbol
                ? state with { Written = state.Written + 1 }
                : state with { Dead = true };
        }
    }
}
