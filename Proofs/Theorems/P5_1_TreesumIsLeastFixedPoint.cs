using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Grammars;
using Workbench.Formal.Semirings;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>P5.1: the allsum of a WCFG is the least non-negative solution of Z(X) = Σ_{X→α} w·∏_{Y∈α} Z(Y).</summary>
public static class P5_1_TreesumIsLeastFixedPoint
{
    /// <summary>Random CNF WCFGs (PCFGs scaled by s ∈ [0.3, 1]): Newton against the depth-bounded sums of Kleene iteration.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P5.1",
        "A WCFG's allsum is the least non-negative fixed point of Z(X) = Σ_{X→α} w·∏_{Y∈α} Z(Y): the sums over trees of depth ≤ d (Kleene iterates from 0) increase monotonically to the value Newton's method converges to.",
        "§4.2 (allsum of a WCFG, p. 118)",
        Arb.From(
            from instance in GrammarInstances.Pcfgs(Numbers.Between(0.05, 0.4)).Generator
            from scale in Numbers.Between(0.3, 1)
            select (instance, scale)),
        Check);

    private static void Check((PcfgInstance Instance, double Scale) pair)
    {
        var grammar = pair.Instance.Build().Map(rule => new Real(rule.Weight.Value * pair.Scale));

        var newton = Treesum.Newton(grammar);
        Require.AtMost(newton.Residual, 0, 1e-12, "residual of Newton's fixed point");
        var previous = new double[grammar.Nonterminals.Count];
        foreach (var depth in new[] { 1, 2, 4, 8, 16, 32, 64, 128, 256, 400 })
        {
            var bounded = Treesum.Kleene(grammar, depth).Values;
            for (var x = 0; x < bounded.Length; x++)
            {
                Require.AtMost(previous[x], bounded[x], 1e-15, $"the depth-{depth} sum of {grammar.Nonterminals[x]} decreased");
                Require.AtMost(bounded[x], newton.Values[x], 1e-12, $"the depth-{depth} sum of {grammar.Nonterminals[x]} exceeds Newton's value");
            }
            previous = [.. bounded];
        }
        for (var x = 0; x < previous.Length; x++)
            Require.Close(newton.Values[x], previous[x], 1e-9, $"Z({grammar.Nonterminals[x]}): Newton vs 400 rounds of Kleene iteration");
    }
}
