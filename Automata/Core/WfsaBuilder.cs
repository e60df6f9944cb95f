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

    /// <summary>The immutable automaton.</summary>
    public Wfsa<T> Build()
    {
        var arcs = _arcs.Where(a => !a.Weight.Equals(T.Zero))
            .OrderBy(a => a.Source).ThenBy(a => a.Label).ThenBy(a => a.Target)
            .ToArray();
        var offsets = new int[StateCount + 1];
        foreach (var arc in arcs) offsets[arc.Source + 1]++;
        for (var q = 0; q < StateCount; q++) offsets[q + 1] += offsets[q];
        return new Wfsa<T>(Alphabet, [.. _initial], [.. _final], offsets,
            arcs.Select(a => a.Label).ToArray(), arcs.Select(a => a.Target).ToArray(), arcs.Select(a => a.Weight).ToArray());
    }

    private void RequireState(int state)
    {
        if ((uint)state >= (uint)_initial.Count)
            throw new ArgumentOutOfRangeException(nameof(state), state, $"State {state} does not exist (the builder has {_initial.Count} states).");
    }
}
