using Workbench.Automata.Core;
using Workbench.Automata.Generators;
using Workbench.Automata.Pfsa;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Experiments.Languages;

/// <summary>
/// The regular languages of the suite as deterministic PFSAs: a DFA whose accepting states stop
/// with probability <see cref="StopProbability"/> and spread the rest evenly over the symbols they can read, while other states
/// spread everything over them. The support is the DFA's language; entropy is exact (P4.13).
/// </summary>
public static class RegularLanguages
{
    /// <summary>p(EOS) in an accepting state.</summary>
    public const double StopProbability = 0.15;

    /// <summary>Strings over {0, 1} with an even number of 1s.</summary>
    public static FormalLanguage Parity() => FromDfa("parity", "strings over {0, 1} with an even number of 1s",
        Alphabet.FromCharacters("01"), 2, 0, [0], (q, a) => q ^ a,
        y => y.Count(s => s == 1) % 2 == 0);

    /// <summary>Strings over {a, b} whose number of ab and ba factors is even (Delétang et al.'s even pairs).</summary>
    public static FormalLanguage EvenPairs() => FromDfa("even-pairs", "strings over {a, b} with an even number of ab and ba factors",
        // States: 0 start; 1 + 2·last + parity of the changes so far.
        Alphabet.FromCharacters("ab"), 5, 0, [0, 1, 3], (q, a) => q == 0 ? 1 + 2 * a : 1 + 2 * a + (((q - 1) % 2) ^ ((q - 1) / 2 == a ? 0 : 1)),
        y => Enumerable.Range(1, Math.Max(0, y.Length - 1)).Count(i => y[i] != y[i - 1]) % 2 == 0);

    /// <summary>Strings over {a, b} whose first symbol equals their last (the empty string included).</summary>
    public static FormalLanguage FirstEqualsLast() => FromDfa("first-equals-last", "strings over {a, b} that start and end with the same symbol",
        // States: 0 start; 1 + 2·first + last.
        Alphabet.FromCharacters("ab"), 5, 0, [0, 1, 4], (q, a) => q == 0 ? 1 + 3 * a : 1 + 2 * ((q - 1) / 2) + a,
        y => y.Length == 0 || y[0] == y[^1]);

    /// <summary>Strings over {a, b} whose number of a's is divisible by k.</summary>
    public static FormalLanguage ModularCounting(int k) => FromDfa(Invariant($"mod-{k}"), Invariant($"strings over {{a, b}} whose number of a's is divisible by {k}"),
        Alphabet.FromCharacters("ab"), k, 0, [0], (q, a) => a == 0 ? (q + 1) % k : q,
        y => y.Count(s => s == 0) % k == 0);

    /// <summary>Walks on a 5-cycle (s stay, + forward, − back) that end where they started.</summary>
    public static FormalLanguage CycleNavigation() => FromDfa("cycle-navigation", "moves on a 5-cycle (s stay, + forward, - back) that end at the start",
        Alphabet.FromCharacters("s+-"), 5, 0, [0], (q, a) => (q + (a == 1 ? 1 : a == 2 ? 4 : 0)) % 5,
        y => y.Sum(s => s == 1 ? 1 : s == 2 ? 4 : 0) % 5 == 0);

    /// <summary>(aa)*: unary strings of even length.</summary>
    public static FormalLanguage EvenLength() => FromDfa("aa-star", "(aa)*: unary strings of even length",
        Alphabet.FromCharacters("a"), 2, 0, [0], (q, _) => 1 - q,
        y => y.Length % 2 == 0);

    /// <summary>(01)*, FLaRe's repeat 01: at the start of each repetition stop with <see cref="StopProbability"/>, else write 01.</summary>
    public static FormalLanguage RepeatZeroOne()
    {
        var pfsa = new WfsaBuilder<Real>(Alphabet.FromCharacters("01")).EnsureStates(2).SetInitial(0, Real.One).SetFinal(0, new Real(StopProbability))
            .AddArc(0, 0, 1, new Real(1 - StopProbability)).AddArc(1, 1, 0, Real.One).Build();
        var model = new DeterministicPfsaLanguageModel<Real>(pfsa);
        return FormalLanguage.Autoregressive("repeat-01", ChomskyLevel.Regular, "(01)*: repetitions of 01", model,
            y => y.Length % 2 == 0 && y.Select((s, i) => s == i % 2).All(ok => ok), model.Entropy().Value, new PfsaLengthSampler(pfsa)) with { Automaton = pfsa };
    }

    /// <summary>A random deterministic PFSA whose next-symbol logits have the given rank (Borenstein et al. 2024); its support is every string it can read.</summary>
    public static FormalLanguage RandomPfsa(int states, int symbols, int rank, int seed)
    {
        var pfsa = RandomAutomata.DeterministicPfsaWithRank(new Random(seed), states, symbols, rank);
        var model = new DeterministicPfsaLanguageModel<Real>(pfsa);
        bool Reads(int[] y)
        {
            int q = 0;
            foreach (int symbol in y)
            {
                int arc = pfsa.FindArc(q, symbol);
                if (arc < 0)
                    return false;
                q = pfsa.ArcTargets[arc];
            }
            return pfsa.FinalWeights[q].Value > 0;
        }
        return FormalLanguage.Autoregressive(Invariant($"random-pfsa:states={states},symbols={symbols},rank={rank},seed={seed}"), ChomskyLevel.Regular,
            Invariant($"a random deterministic PFSA with {states} states over {symbols} symbols and logit rank {rank}"),
            model, Reads, model.Entropy().Value, new PfsaLengthSampler(pfsa)) with { Automaton = pfsa };
    }

    /// <summary>FLaRe's first: strings over {0, 1} that begin with 1.</summary>
    public static FormalLanguage First() => FromDfa("first", "strings over {0, 1} that begin with 1",
        Alphabet.FromCharacters("01"), 2, 0, [1], (q, a) => q == 1 ? 1 : a == 1 ? 1 : NoArc,
        y => y.Length > 0 && y[0] == 1);

    /// <summary>FLaRe's Dyck-(2, 3): balanced strings of two bracket pairs, ( ) and [ ], nested at most 3 deep.</summary>
    public static FormalLanguage Dyck23()
    {
        // A state is the stack of open brackets, depth d ≤ 3 and the kinds as d bits (top lowest): index 2^d − 1 + bits.
        static int State(int depth, int bits) => (1 << depth) - 1 + bits;
        var (depths, kinds) = (new int[15], new int[15]);
        for (int depth = 0; depth <= 3; depth++)
            for (int bits = 0; bits < 1 << depth; bits++)
                (depths[State(depth, bits)], kinds[State(depth, bits)]) = (depth, bits);
        int Delta(int q, int a)
        {
            int depth = depths[q], bits = kinds[q];
            return a switch
            {
                0 or 2 when depth < 3 => State(depth + 1, (bits << 1) | (a / 2)),
                1 or 3 when depth > 0 && (bits & 1) == a / 2 => State(depth - 1, bits >> 1),
                _ => NoArc,
            };
        }
        return FromDfa("dyck-2-3", "balanced strings of ( ) and [ ] nested at most 3 deep (FLaRe's Dyck-(2, 3))",
            Alphabet.FromCharacters("()[]"), 15, 0, [0], Delta, y =>
            {
                var open = new Stack<int>();
                foreach (int symbol in y)
                {
                    if (symbol % 2 == 0)
                    {
                        open.Push(symbol);
                        if (open.Count > 3) return false;
                    }
                    else if (open.Count == 0 || open.Pop() != symbol - 1)
                        return false;
                }
                return open.Count == 0;
            });
    }

    /// <summary>FLaRe's modular arithmetic (simple): x₀ o₁ x₁ … oₖ xₖ = r over digits 0–4 and + − ×, evaluated left to right mod 5, with r the value.</summary>
    public static FormalLanguage ModularArithmeticSimple()
    {
        // States: 0 start; 1 + v after an operand with running value v; 6 + 3v + op after an operator; 21 + v after "="; 26 done.
        const int Equals = 8;
        int Delta(int q, int a)
        {
            bool digit = a < 5;
            return q switch
            {
                0 => digit ? 1 + a : NoArc,
                < 6 => digit ? NoArc : a == Equals ? 21 + (q - 1) : 6 + 3 * (q - 1) + (a - 5),
                < 21 => digit ? 1 + Apply((q - 6) / 3, (q - 6) % 3, a) : NoArc,
                < 26 => a == q - 21 ? 26 : NoArc,
                _ => NoArc,
            };
        }
        static int Apply(int value, int op, int operand) => op switch
        {
            0 => (value + operand) % 5,
            1 => (value - operand + 5) % 5,
            _ => value * operand % 5,
        };
        return FromDfa("modular-arithmetic-simple", "x₀ o x₁ … o xₖ = r over 0-4 and + - *, evaluated left to right mod 5 (FLaRe's modular arithmetic, simple)",
            Alphabet.FromCharacters("01234+-*="), 27, 0, [26], Delta, y =>
            {
                if (y.Length < 3 || y.Length % 2 == 0 || y[^2] != Equals || y[^1] >= 5 || y[0] >= 5)
                    return false;
                int value = y[0];
                for (int i = 1; i < y.Length - 2; i += 2)
                {
                    if (y[i] is < 5 or Equals || y[i + 1] >= 5)
                        return false;
                    value = Apply(value, y[i] - 5, y[i + 1]);
                }
                return value == y[^1];
            });
    }

    /// <summary>δ's value for a symbol a state cannot read.</summary>
    private const int NoArc = -1;

    /// <summary>
    /// The PFSA of a DFA (see the class summary) and its recogniser. δ may return <see cref="NoArc"/>: a state spreads its mass
    /// over the symbols it can read, and an accepting state that reads none stops with probability 1. Every state must read
    /// something or accept (a dead state would leak mass).
    /// </summary>
    /// <exception cref="InvalidOperationException">A state neither accepts nor reads a symbol.</exception>
    private static FormalLanguage FromDfa(string name, string description, Alphabet alphabet, int states, int start, int[] accepting, Func<int, int, int> delta, Func<int[], bool> accepts)
    {
        var builder = new WfsaBuilder<Real>(alphabet).EnsureStates(states).SetInitial(start, Real.One);
        for (int q = 0; q < states; q++)
        {
            bool final = accepting.Contains(q);
            int[] readable = [.. Enumerable.Range(0, alphabet.Size).Where(a => delta(q, a) != NoArc)];
            if (readable.Length == 0 && !final)
                throw new InvalidOperationException(Invariant($"{name}: state {q} neither accepts nor reads a symbol"));
            double stop = readable.Length == 0 ? 1 : final ? StopProbability : 0;
            if (final)
                builder.SetFinal(q, new Real(stop));
            foreach (int a in readable)
                builder.AddArc(q, a, delta(q, a), new Real((1 - stop) / readable.Length));
        }
        var pfsa = builder.Build();
        var model = new DeterministicPfsaLanguageModel<Real>(pfsa);
        return FormalLanguage.Autoregressive(name, ChomskyLevel.Regular, description, model, accepts, model.Entropy().Value, new PfsaLengthSampler(pfsa)) with { Automaton = pfsa };
    }
}
