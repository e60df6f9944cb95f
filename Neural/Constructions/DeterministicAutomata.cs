using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Neural.Constructions;

/// <summary>What the automaton-to-network constructions need from a deterministic automaton.</summary>
internal static class DeterministicAutomata
{
    /// <summary>The single initial state of a deterministic automaton without ε-arcs.</summary>
    /// <exception cref="InvalidModelException">The automaton is not deterministic, has ε-arcs, or has other than one initial state; the message names the construction.</exception>
    public static int Start<T>(Wfsa<T> automaton, string construction) where T : struct, ISemiring<T>
    {
        if (!automaton.IsDeterministic || automaton.HasEpsilonArcs)
            throw new InvalidModelException(Invariant($"{construction} needs a deterministic automaton (no ε-arcs, at most one arc per state and symbol); determinize it first"));
        int[] starts = Enumerable.Range(0, automaton.StateCount).Where(q => !automaton.InitialWeights[q].Equals(T.Zero)).ToArray();
        if (starts.Length != 1)
            throw new InvalidModelException(Invariant($"{construction} needs one initial state; this automaton has {starts.Length}"));
        return starts[0];
    }

    /// <summary>δ(q, a), or null where the arc is missing or has weight zero.</summary>
    public static int? Successor<T>(Wfsa<T> automaton, int state, int symbol) where T : struct, ISemiring<T>
    {
        int arc = automaton.FindArc(state, symbol);
        return arc < 0 || automaton.ArcWeights[arc].Equals(T.Zero) ? null : automaton.ArcTargets[arc];
    }
}
