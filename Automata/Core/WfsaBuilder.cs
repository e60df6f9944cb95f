using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Core;

/// <summary>
/// The mutable side of <see cref="Wfsa{T}"/>: add states and arcs in any order, then <see cref="Build"/>
/// sorts the arcs into compressed rows. Arcs of weight 0 are dropped. O(|δ| log |δ|) to build.
/// </summary>
public sealed class WfsaBuilder<T>(Alphabet alphabet) where T : struct, ISemiring<T>
{
    private readonly List<T> _initial = [];
    private readonly List<T> _final = [];
    private readonly List<(int Source, int Label, int Target, T Weight)> _arcs = [];

    /// <summary>Σ.</summary>
    public Alphabet Alphabet { get; } = alphabet ?? throw new ArgumentNullException(nameof(alphabet));

    /// <summary>The number of states so far.</summary>
    public int StateCount => _initial.Count;

    /// <summary>Adds a state with initial and final weight 0 and returns its id.</summary>
    public int AddState()
    {
        _initial.Add(T.Zero);
        _final.Add(T.Zero);
        return _initial.Count - 1;
    }

    /// <summary>Adds states until there are at least <paramref name="count"/>.</summary>
    public WfsaBuilder<T> EnsureStates(int count)
    {
        while (_initial.Count < count) AddState();
        return this;
    }

    /// <summary>Sets λ(state).</summary>
    public WfsaBuilder<T> SetInitial(int state, T weight)
    {
        RequireState(state);
        _initial[state] = weight;
        return this;
    }

    /// <summary>Sets ρ(state).</summary>
    public WfsaBuilder<T> SetFinal(int state, T weight)
    {
        RequireState(state);
        _final[state] = weight;
        return this;
    }

    /// <summary>Adds the arc source –label/weight→ target; <paramref name="label"/> is a symbol id or <see cref="Wfsa{T}.Epsilon"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A state or the label is out of range.</exception>
    public WfsaBuilder<T> AddArc(int source, int label, int target, T weight)
    {
        RequireState(source);
        RequireState(target);
        if (label != Wfsa<T>.Epsilon && !Alphabet.Contains(label))
            throw new ArgumentOutOfRangeException(nameof(label), label, $"Label {label} is neither ε nor a symbol of {Alphabet}.");
        _arcs.Add((source, label, target, weight));
        return this;
    }

    /// <summary>
    /// The immutable automaton: arcs bucketed by source (a counting sort) and each row ordered by label
    /// then target (insertion sort, rows being short). O(|Q| + |δ| + Σ row²).
    /// </summary>
    public Wfsa<T> Build()
    {
        var offsets = new int[StateCount + 1];
        foreach (var arc in _arcs)
            if (!arc.Weight.Equals(T.Zero)) offsets[arc.Source + 1]++;
        for (var q = 0; q < StateCount; q++) offsets[q + 1] += offsets[q];
        var order = new int[offsets[StateCount]];
        var next = offsets[..^1].ToArray();
        for (var i = 0; i < _arcs.Count; i++)
            if (!_arcs[i].Weight.Equals(T.Zero)) order[next[_arcs[i].Source]++] = i;
        var arcs = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_arcs);
        for (var q = 0; q < StateCount; q++)
            for (var i = offsets[q] + 1; i < offsets[q + 1]; i++)
            {
                var current = order[i];
                var j = i - 1;
                while (j >= offsets[q] && After(arcs[order[j]], arcs[current]))
                {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = current;
            }
        var labels = new int[order.Length];
        var targets = new int[order.Length];
        var weights = new T[order.Length];
        for (var i = 0; i < order.Length; i++) (_, labels[i], targets[i], weights[i]) = arcs[order[i]];
        return new Wfsa<T>(Alphabet, [.. _initial], [.. _final], offsets, labels, targets, weights);

        static bool After((int Source, int Label, int Target, T Weight) a, (int Source, int Label, int Target, T Weight) b) =>
            a.Label > b.Label || (a.Label == b.Label && a.Target > b.Target);
    }

    private void RequireState(int state)
    {
        if ((uint)state >= (uint)_initial.Count)
            throw new ArgumentOutOfRangeException(nameof(state), state, $"State {state} does not exist (the builder has {_initial.Count} states).");
    }
}
