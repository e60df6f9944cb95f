using Workbench.Automata.Core;
using Workbench.Automata.Generators;
using Workbench.Automata.Pfsa;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Experiments.Languages;

/// <summary>
/// The regular languages of the suite as deterministic PFSAs: a complete DFA whose accepting states stop
/// with probability <see cref="StopProbability"/> and spread the rest evenly over Σ, while other states
/// spread everything over Σ. The support is the DFA's language; entropy is exact (P4.13).
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

    /// <summary>The PFSA of a complete DFA (see the class summary) and its recogniser.</summary>
    private static FormalLanguage FromDfa(string name, string description, Alphabet alphabet, int states, int start, int[] accepting, Func<int, int, int> delta, Func<int[], bool> accepts)
    {
        var builder = new WfsaBuilder<Real>(alphabet).EnsureStates(states).SetInitial(start, Real.One);
        for (int q = 0; q < states; q++)
        {
            bool final = accepting.Contains(q);
            double share = (final ? 1 - StopProbability : 1.0) / alphabet.Size;
            if (final)
                builder.SetFinal(q, new Real(StopProbability));
            for (int a = 0; a < alphabet.Size; a++)
                builder.AddArc(q, a, delta(q, a), new Real(share));
        }
        var pfsa = builder.Build();
        var model = new DeterministicPfsaLanguageModel<Real>(pfsa);
        return FormalLanguage.Autoregressive(name, ChomskyLevel.Regular, description, model, accepts, model.Entropy().Value, new PfsaLengthSampler(pfsa)) with { Automaton = pfsa };
    }
}
