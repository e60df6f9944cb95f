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
    /// The immutable automaton: arcs bucketed by source (a counting sort), then each row sorted by label
    /// and target through a packed key (insertion sort for short rows, introsort for long ones).
    /// O(|Q| + |δ| log(max out-degree)).
    /// </summary>
    public Wfsa<T> Build()
    {
        var offsets = new int[StateCount + 1];
        foreach (var arc in _arcs)
            if (!arc.Weight.Equals(T.Zero)) offsets[arc.Source + 1]++;
        for (var q = 0; q < StateCount; q++) offsets[q + 1] += offsets[q];
        var order = new int[offsets[StateCount]];
        var keys = new long[order.Length];
        var next = offsets[..^1].ToArray();
        var arcs = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_arcs);
        for (var i = 0; i < arcs.Length; i++)
        {
            if (arcs[i].Weight.Equals(T.Zero)) continue;
            var slot = next[arcs[i].Source]++;
            order[slot] = i;
            // ε (−1) sorts first: shift labels up by one into the high half of the key.
            keys[slot] = ((long)(arcs[i].Label + 1) << 32) | (uint)arcs[i].Target;
        }
        for (var q = 0; q < StateCount; q++)
        {
            var length = offsets[q + 1] - offsets[q];
            if (length > 16) Array.Sort(keys, order, offsets[q], length);
            else InsertionSort(keys, order, offsets[q], offsets[q + 1]);
        }
        var labels = new int[order.Length];
        var targets = new int[order.Length];
        var weights = new T[order.Length];
        for (var i = 0; i < order.Length; i++) (_, labels[i], targets[i], weights[i]) = arcs[order[i]];
        return new Wfsa<T>(Alphabet, [.. _initial], [.. _final], offsets, labels, targets, weights);
    }

    // Short rows (the common case) sort fastest without a call into the framework's introsort.
    private static void InsertionSort(long[] keys, int[] items, int start, int end)
    {
        for (var i = start + 1; i < end; i++)
        {
            var (key, item) = (keys[i], items[i]);
            var j = i - 1;
            for (; j >= start && keys[j] > key; j--) (keys[j + 1], items[j + 1]) = (keys[j], items[j]);
            (keys[j + 1], items[j + 1]) = (key, item);
        }
    }

    private void RequireState(int state)
    {
        if ((uint)state >= (uint)_initial.Count)
            throw new ArgumentOutOfRangeException(nameof(state), state, $"State {state} does not exist (the builder has {_initial.Count} states).");
    }
}
