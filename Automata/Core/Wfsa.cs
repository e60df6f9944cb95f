using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Core;

/// <summary>
/// A weighted finite-state automaton (Σ, Q, δ, λ, ρ) over the semiring <typeparamref name="T"/>: states
/// 0..|Q|−1, arcs in compressed sparse rows sorted by source then label (ε first), initial weights λ and
/// final weights ρ. Immutable; build one with <see cref="WfsaBuilder{T}"/>. Notes §4.1 (D4.2).
/// </summary>
/// <remarks>
/// Memory is O(|Q| + |δ|) in flat arrays; the arcs leaving q are the index range
/// [<see cref="ArcStart"/>(q), <see cref="ArcEnd"/>(q)). An ε-arc has label <see cref="Epsilon"/>.
/// </remarks>
public sealed class Wfsa<T> where T : struct, ISemiring<T>
{
    /// <summary>The label of an ε-arc.</summary>
    public const int Epsilon = -1;

    private readonly int[] _offsets;
    private readonly int[] _labels;
    private readonly int[] _targets;
    private readonly T[] _weights;
    private readonly T[] _initial;
    private readonly T[] _final;

    internal Wfsa(Alphabet alphabet, T[] initial, T[] final, int[] offsets, int[] labels, int[] targets, T[] weights)
    {
        Alphabet = alphabet;
        _initial = initial;
        _final = final;
        _offsets = offsets;
        _labels = labels;
        _targets = targets;
        _weights = weights;
        HasEpsilonArcs = labels.Contains(Epsilon);
        IsDeterministic = ComputeDeterministic();
    }

    /// <summary>Σ.</summary>
    public Alphabet Alphabet { get; }

    /// <summary>|Q|.</summary>
    public int StateCount => _initial.Length;

    /// <summary>|δ|.</summary>
    public int ArcCount => _labels.Length;

    /// <summary>Whether some arc is labelled ε.</summary>
    public bool HasEpsilonArcs { get; }

    /// <summary>At most one state with non-zero initial weight, no ε-arcs, and at most one arc per (state, symbol).</summary>
    public bool IsDeterministic { get; }

    /// <summary>λ(q) for every state.</summary>
    public ReadOnlySpan<T> InitialWeights => _initial;

    /// <summary>ρ(q) for every state.</summary>
    public ReadOnlySpan<T> FinalWeights => _final;

    /// <summary>The labels of all arcs, grouped by source.</summary>
    public ReadOnlySpan<int> ArcLabels => _labels;

    /// <summary>The targets of all arcs, grouped by source.</summary>
    public ReadOnlySpan<int> ArcTargets => _targets;

    /// <summary>The weights of all arcs, grouped by source.</summary>
    public ReadOnlySpan<T> ArcWeights => _weights;

    /// <summary>The index of the first arc leaving <paramref name="state"/>.</summary>
    public int ArcStart(int state) => _offsets[state];

    /// <summary>One past the index of the last arc leaving <paramref name="state"/>.</summary>
    public int ArcEnd(int state) => _offsets[state + 1];

    /// <summary>The source state of every arc, in arc order. O(|Q| + |δ|).</summary>
    public int[] ArcSources()
    {
        var sources = new int[ArcCount];
        for (var q = 0; q < StateCount; q++)
            for (var e = _offsets[q]; e < _offsets[q + 1]; e++) sources[e] = q;
        return sources;
    }

    /// <summary>The arc leaving <paramref name="state"/> with <paramref name="label"/> by binary search (first one if several); −1 if none. O(log out-degree).</summary>
    public int FindArc(int state, int label)
    {
        var index = Array.BinarySearch(_labels, _offsets[state], _offsets[state + 1] - _offsets[state], label);
        if (index < 0) return -1;
        while (index > _offsets[state] && _labels[index - 1] == label) index--;
        return index;
    }

    /// <summary>The same automaton with every weight mapped by <paramref name="map"/> (e.g. Log → Real). O(|Q| + |δ|).</summary>
    public Wfsa<TOther> Map<TOther>(Func<T, TOther> map) where TOther : struct, ISemiring<TOther> =>
        new(Alphabet, Array.ConvertAll(_initial, w => map(w)), Array.ConvertAll(_final, w => map(w)), _offsets, _labels, _targets, Array.ConvertAll(_weights, w => map(w)));

    /// <inheritdoc />
    public override string ToString() =>
        $"WFSA over {typeof(T).Name} with {StateCount} states and {ArcCount} arcs over {Alphabet}{(IsDeterministic ? ", deterministic" : "")}";

    private bool ComputeDeterministic()
    {
        if (HasEpsilonArcs) return false;
        var initialStates = 0;
        foreach (var w in _initial)
            if (!w.Equals(T.Zero)) initialStates++;
        if (initialStates > 1) return false;
        for (var q = 0; q < StateCount; q++)
            for (var e = _offsets[q] + 1; e < _offsets[q + 1]; e++)
                if (_labels[e] == _labels[e - 1]) return false;
        return true;
    }
}
