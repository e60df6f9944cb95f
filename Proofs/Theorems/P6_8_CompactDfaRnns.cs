using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Core;
using Workbench.Automata.Generators;
using Workbench.Formal.Semirings;
using Workbench.Neural.Constructions;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P6.8: RNNs can represent finite-state machines with far fewer units than states: a deterministic
/// automaton with |Q| states runs in a Heaviside RNN of O(|Σ|·√|Q|) units (Indyk) or O(|Σ|·√|Q|·log|Q|)
/// (row/column), where Minsky needs |Q|·|Σ|.
/// </summary>
public static class P6_8_CompactDfaRnns
{
    /// <summary>Random deterministic automata (≤ 80 states, ≤ 3 symbols, random final states, transitions missing where a state has fewer arcs than symbols).</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P6.8",
        "A DFA with |Q| states runs in a Heaviside RNN of O(|Σ|√|Q|) units (Indyk: 4r + 2r² + 3F + 4|Σ|r + 1, r = ⌈|Q|^(1/4)⌉) or 3k + |Σ|k(2L+1) + 2L + 1 units (row/column, k = ⌈√|Q|⌉): sizes match, states decode to the DFA's after every symbol, and acceptance agrees.",
        "§5.2 (space-efficient simulation of automata)",
        Arb.From(
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from states in Gen.Choose(1, 80)
            from symbols in Gen.Choose(1, 3)
            from arcs in Gen.Choose(1, symbols)
            select (seed, states, symbols, arcs)),
        Check,
        defaultTrials: 25);

    private static void Check((int Seed, int States, int Symbols, int Arcs) instance)
    {
        var random = new Random(instance.Seed);
        var builder = new WfsaBuilder<Real>(RandomAutomata.Letters(instance.Symbols)).EnsureStates(instance.States).SetInitial(0, Real.One);
        for (int q = 0; q < instance.States; q++)
        {
            if (random.Next(2) == 0)
                builder.SetFinal(q, Real.One);
            foreach (int a in Enumerable.Range(0, instance.Symbols).OrderBy(_ => random.Next()).Take(instance.Arcs))
                builder.AddArc(q, a, random.Next(instance.States), Real.One);
        }
        var dfa = builder.Build();
        var construction = CompactDfaConstruction.Compile(dfa);
        int expectedSize = CompactDfaConstruction.HiddenSize(instance.States, instance.Symbols);
        var indyk = IndykConstruction.Compile(dfa, instance.Seed);
        int indykSize = IndykConstruction.HiddenSize(instance.States, instance.Symbols, indyk.Functions);
        Require.That(indyk.Network.Architecture.Hidden == indykSize, Invariant($"Indyk: hidden size {indyk.Network.Architecture.Hidden}, formula {indykSize}"));
        Require.That(construction.Network.Architecture.Hidden == expectedSize, Invariant($"hidden size {construction.Network.Architecture.Hidden}, formula {expectedSize}"));
        for (int trial = 0; trial < 10; trial++)
        {
            int[] y = Enumerable.Range(0, random.Next(12)).Select(_ => random.Next(instance.Symbols)).ToArray();
            int? state = 0;
            var trace = construction.Run(y);
            for (int i = 0; i < y.Length; i++)
            {
                int arc = state is { } q ? dfa.FindArc(q, y[i]) : -1;
                state = arc < 0 ? null : dfa.ArcTargets[arc];
                Require.That(construction.State(trace[i]) == state, $"after symbol {i + 1} of [{string.Join(' ', y)}]: DFA state {state?.ToString() ?? "dead"}, network {construction.State(trace[i])?.ToString() ?? "dead"}");
            }
            bool accepted = state is { } final && dfa.FinalWeights[final].Value > 0;
            Require.That(construction.Accepts(y) == accepted, $"acceptance of [{string.Join(' ', y)}]: DFA {accepted}");
            Require.That(indyk.States(y).SequenceEqual(construction.Run(y).Select(construction.State)), $"Indyk's decoded states along [{string.Join(' ', y)}]");
            Require.That(indyk.Accepts(y) == accepted, $"Indyk's acceptance of [{string.Join(' ', y)}]: DFA {accepted}");
        }
    }
}
