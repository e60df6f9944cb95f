using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Grammars;
using Workbench.Automata.Grammars.Parsing;
using Workbench.Automata.Pathsums;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P5.7: context-free LMs are strictly more expressive than finite-state ones. In an m-state PFSA, a path for
/// aⁿbⁿ with n ≥ m repeats a state while reading a's, so the loop can be pumped: A(aⁿ⁺ᵏbⁿ) &gt; 0 for some
/// 1 ≤ k ≤ m. The PCFG S → a S b | a b gives aⁿbⁿ positive probability and every aⁿ⁺ᵏbⁿ probability 0.
/// </summary>
public static class P5_7_ContextFreeBeatsFiniteState
{
    private static readonly Cfg<Workbench.Formal.Semirings.Real> AnBn = CfgTextFormat.Read(
        "S -> A T [0.5] | A B [0.5]\nT -> S B [1.0]\nA -> 'a' [1.0]\nB -> 'b' [1.0]", "aⁿbⁿ");

    /// <summary>Random PFSAs over {a, b} against the pumping property, and the aⁿbⁿ grammar against it.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P5.7",
        "Context-free LMs are more expressive than finite-state ones: every m-state PFSA with A(aⁿbⁿ) > 0 for some n ≥ m also gives some aⁿ⁺ᵏbⁿ (1 ≤ k ≤ m) positive weight, while the PCFG S → a S b | a b supports exactly {aⁿbⁿ}.",
        "§4.2 (context-free languages; the pumping lemma)",
        Arb.From(
            from instance in AutomataInstances.Pfsas(5, allowTraps: false).Generator
            from n in Gen.Choose(1, 6)
            select (instance with { AlphabetSize = 2, ArcsPerState = instance.Deterministic ? Math.Min(instance.ArcsPerState, 2) : instance.ArcsPerState }, n)),
        Check);

    private static void Check((PfsaInstance Instance, int N) pair)
    {
        var (instance, n) = pair;
        var fsa = instance.Build();
        int[] Word(int a, int b) => [.. Enumerable.Repeat(0, a), .. Enumerable.Repeat(1, b)];
        var m = fsa.StateCount;
        for (var length = m; length <= m + n; length++)
        {
            if (Stringsum.Weight(fsa, Word(length, length)).Value <= 0) continue;
            Require.That(Enumerable.Range(1, m).Any(k => Stringsum.Weight(fsa, Word(length + k, length)).Value > 0),
                $"the PFSA gives a^{length}b^{length} positive weight but no a^({length}+k)b^{length} with 1 ≤ k ≤ {m}");
        }
        Require.That(Inside.Weight(AnBn, Word(n, n)).Value > 0, $"the aⁿbⁿ grammar gives a^{n}b^{n} probability 0");
        for (var k = 1; k <= n + 2; k++)
            Require.That(Inside.Weight(AnBn, Word(n + k, n)).Value == 0, $"the aⁿbⁿ grammar gives a^({n}+{k})b^{n} positive probability");
    }
}
