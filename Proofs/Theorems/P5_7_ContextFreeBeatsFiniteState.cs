using Workbench.Automata.Formats;
using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Core;
using Workbench.Automata.Generators;
using Workbench.Automata.Grammars;
using Workbench.Automata.Grammars.Parsing;
using Workbench.Automata.Pathsums;
using Workbench.Formal.Semirings;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P5.7: context-free LMs are strictly more expressive than finite-state ones. In an m-state PFSA, a path for
/// aⁿbⁿ with n ≥ m repeats a state while reading a's, so the loop can be pumped: A(aⁿ⁺ᵏbⁿ) &gt; 0 for some
/// 1 ≤ k ≤ m. The PCFG S → a S b | a b gives aⁿbⁿ positive probability and every aⁿ⁺ᵏbⁿ probability 0.
/// </summary>
public static class P5_7_ContextFreeBeatsFiniteState
{
    private static readonly Cfg<Real> AnBn = CfgTextFormat.Read(
        "S -> A T [0.5] | A B [0.5]\nT -> S B [1.0]\nA -> 'a' [1.0]\nB -> 'b' [1.0]", "aⁿbⁿ");

    /// <summary>
    /// Random sparse deterministic PFSAs over {a, b} built around a path for aᴺbᴺ with N ≥ m (so the pumping property is
    /// never vacuous: the machine must give some aᴺ⁺ᵏbᴺ positive weight although most strings have weight 0), and the
    /// aⁿbⁿ grammar against it.
    /// </summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P5.7",
        "Context-free LMs are more expressive than finite-state ones: every m-state PFSA with A(aⁿbⁿ) > 0 for some n ≥ m also gives some aⁿ⁺ᵏbⁿ (1 ≤ k ≤ m) positive weight, while the PCFG S → a S b | a b supports exactly {aⁿbⁿ}.",
        "§4.2 (context-free languages; the pumping lemma)",
        Arb.From(
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from states in Gen.Choose(1, 6)
            from extra in Gen.Choose(0, 6)
            select (Seed: seed, States: states, Extra: extra)),
        Check);

    // A deterministic PFSA with m states whose arcs are those of a random path for aᴺbᴺ (N = m + extra), plus final
    // weight at the path's end only, with Dirichlet weights on each state's arcs and stop.
    private static Wfsa<Real> AroundAPath(int seed, int states, int n)
    {
        var random = new Random(seed);
        var next = new int[states, 2];
        for (var q = 0; q < states; q++) next[q, 0] = next[q, 1] = -1;
        var current = 0;
        foreach (var symbol in Enumerable.Repeat(0, n).Concat(Enumerable.Repeat(1, n)))
        {
            if (next[current, symbol] < 0) next[current, symbol] = random.Next(states);
            current = next[current, symbol];
        }
        var builder = new WfsaBuilder<Real>(RandomAutomata.Letters(2)).EnsureStates(states).SetInitial(0, Real.One);
        for (var q = 0; q < states; q++)
        {
            var outcomes = Enumerable.Range(0, 2).Where(a => next[q, a] >= 0).Select(a => (Symbol: a, Target: next[q, a])).ToList();
            var stops = q == current;
            var shares = Numbers.DirichletPoint(random, outcomes.Count + (stops ? 1 : 0));
            for (var i = 0; i < outcomes.Count; i++) builder.AddArc(q, outcomes[i].Symbol, outcomes[i].Target, new Real(shares[i]));
            if (stops) builder.SetFinal(q, new Real(shares[^1]));
        }
        return builder.Build();
    }

    private static void Check((int Seed, int States, int Extra) instance)
    {
        var m = instance.States;
        var n = m + instance.Extra;
        var fsa = AroundAPath(instance.Seed, m, n);
        int[] Word(int a, int b) => [.. Enumerable.Repeat(0, a), .. Enumerable.Repeat(1, b)];
        Require.That(Stringsum.Weight(fsa, Word(n, n)).Value > 0, $"the machine built around a^{n}b^{n} gives it weight 0");
        Require.That(Enumerable.Range(1, m).Any(k => Stringsum.Weight(fsa, Word(n + k, n)).Value > 0),
            $"the {m}-state PFSA gives a^{n}b^{n} positive weight but no a^({n}+k)b^{n} with 1 ≤ k ≤ {m}");
        var small = Math.Max(1, instance.Extra);
        Require.That(Inside.Weight(AnBn, Word(small, small)).Value > 0, $"the aⁿbⁿ grammar gives a^{small}b^{small} probability 0");
        for (var k = 1; k <= small + 2; k++)
            Require.That(Inside.Weight(AnBn, Word(small + k, small)).Value == 0, $"the aⁿbⁿ grammar gives a^({small}+{k})b^{small} positive probability");
    }
}
