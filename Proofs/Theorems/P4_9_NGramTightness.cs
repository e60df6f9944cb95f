using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.NGrams;
using Workbench.Automata.Pfsa;
using Workbench.Formal.LanguageModels;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P4.9: an n-gram LM's tightness is the PFSA criterion on its automaton; in particular a reachable
/// closed set of histories that never emits EOS makes it non-tight.
/// </summary>
public static class P4_9_NGramTightness
{
    /// <summary>
    /// Random n-grams with EOS everywhere (tight), the same with an absorbing history a^{n−1} (not tight), and random leak
    /// patterns — EOS and some symbols zeroed at random histories, then renormalised — whose verdict must be the one a
    /// search over the history graph gives (a reachable history that cannot reach a history with p(EOS | h) &gt; 0 leaks).
    /// </summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P4.9",
        "An n-gram LM is tight iff its PFSA is (every reachable history can reach EOS); a reachable closed set of histories without EOS, such as aⁿ⁻¹ → a with probability 1, makes it leak.",
        "§4.1 (tightness of n-gram LMs; Du et al. 2023)",
        Arb.From(
            from model in NGramInstances.Models(0).Generator
            from pattern in Gen.Choose(0, int.MaxValue - 1)
            from eosZeros in Numbers.Between(0, 0.9)
            select (Model: model, Pattern: pattern, EosZeros: eosZeros)),
        Check);

    private static void Check((NGramInstance Model, int Pattern, double EosZeros) input)
    {
        var instance = input.Model;
        var ngram = instance.Build();
        var report = PfsaTightness.Analyze(ngram.ToDeterministicPfsa());
        Require.That(report.Verdict == TightnessVerdict.Tight, $"an n-gram with p(EOS | h) > 0 everywhere is reported {report.Verdict}");
        CheckRandomLeaks(ngram, new Random(input.Pattern), input.EosZeros);
        if (instance.Order < 2) return;

        // Make a^{n−1} absorbing: p(a | a^{n−1}) = 1. Every other conditional keeps a > 0, so a^{n−1} is reachable.
        var alphabet = ngram.Alphabet;
        var trap = Enumerable.Repeat(0, instance.Order - 1).ToArray();
        var absorbing = new double[alphabet.SizeWithEos];
        absorbing[0] = 1;
        var leaky = ngram.WithConditionals((h, p) => h.AsSpan().SequenceEqual(trap) ? absorbing : p);
        var leakyReport = PfsaTightness.Analyze(leaky.ToDeterministicPfsa());
        Require.That(leakyReport.Verdict == TightnessVerdict.NotTight, $"the n-gram with the absorbing history a^{instance.Order - 1} is reported {leakyReport.Verdict}");
        Require.That(leakyReport.Mass < 1, $"its finite-string mass is {leakyReport.Mass}");
    }

    // Zero EOS at a random share of histories and one random symbol at some others (keeping one outcome), renormalise,
    // and compare the PFSA verdict with a reachability search over the n-gram's own states.
    private static void CheckRandomLeaks(NGramModel ngram, Random random, double eosZeros)
    {
        var alphabet = ngram.Alphabet;
        var leaky = ngram.WithConditionals((_, p) =>
        {
            if (random.NextDouble() < eosZeros) p[alphabet.Eos] = 0;
            if (alphabet.Size > 1 && random.NextDouble() < 0.5) p[random.Next(alphabet.Size)] = 0;
            if (p.Sum() == 0) p[random.Next(alphabet.Size)] = 1;
            var total = p.Sum();
            return p.Select(v => v / total).ToArray();
        });
        var reachable = new HashSet<int> { leaky.InitialState };
        var queue = new Queue<int>(reachable);
        var successors = new Dictionary<int, List<int>>();
        while (queue.TryDequeue(out var state))
        {
            successors[state] = [];
            var p = leaky.Conditional(state);
            for (var a = 0; a < alphabet.Size; a++)
            {
                if (p[a] == 0) continue;
                var next = leaky.Advance(state, a);
                successors[state].Add(next);
                if (reachable.Add(next)) queue.Enqueue(next);
            }
        }
        // Histories that can stop, then every history with a path to one.
        var stops = reachable.Where(s => leaky.Conditional(s)[alphabet.Eos] > 0).ToHashSet();
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var state in reachable)
                if (!stops.Contains(state) && successors[state].Any(stops.Contains)) changed = stops.Add(state);
        }
        var expected = reachable.All(stops.Contains) ? TightnessVerdict.Tight : TightnessVerdict.NotTight;
        var verdict = PfsaTightness.Analyze(leaky.ToDeterministicPfsa()).Verdict;
        Require.That(verdict == expected, $"a random leak pattern: the PFSA criterion says {verdict}, the history graph {expected}");
    }
}
