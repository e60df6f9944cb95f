using Workbench.Formal.Generation;
using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Pfsa;

/// <summary>
/// Exact sampling from a PFSA by drawing a path: the initial state from λ, then at every state one of its
/// arcs or stopping, with an alias table per state, so each symbol costs O(1) whatever the out-degree.
/// The string of a random path has exactly the PFSA's distribution (deterministic or not). ε-arcs are
/// followed without emitting. A draw that would exceed the length cap is cut there and marked truncated.
/// </summary>
public sealed class PfsaSampler<T> where T : struct, ISemiring<T>, IRealWeight<T>
{
    private readonly Wfsa<T> _fsa;
    private readonly AliasTable _initial;
    private readonly AliasTable[] _outcomes;

    /// <summary>Builds the alias tables of a validated PFSA. O(|Q| + |δ|).</summary>
    /// <exception cref="InvalidModelException">The machine is not a PFSA (the message names the state).</exception>
    public PfsaSampler(Wfsa<T> fsa)
    {
        PfsaValidation.Validate(fsa);
        _fsa = fsa;
        var lambda = new double[fsa.StateCount];
        for (var q = 0; q < lambda.Length; q++) lambda[q] = T.ToReal(fsa.InitialWeights[q]);
        _initial = new AliasTable(lambda);
        _outcomes = new AliasTable[fsa.StateCount];
        for (var q = 0; q < fsa.StateCount; q++)
        {
            // Outcome k < out-degree is the k-th arc; the last outcome is stopping.
            var degree = fsa.ArcEnd(q) - fsa.ArcStart(q);
            var weights = new double[degree + 1];
            for (var k = 0; k < degree; k++) weights[k] = T.ToReal(fsa.ArcWeights[fsa.ArcStart(q) + k]);
            weights[degree] = T.ToReal(fsa.FinalWeights[q]);
            // Validation leaves every state a mass of about 1, so each table has a positive weight.
            _outcomes[q] = new AliasTable(weights);
        }
    }

    /// <summary>Draws one string of at most <paramref name="maxLength"/> symbols; truncated if it would be longer.</summary>
    public (int[] Symbols, bool Truncated) Sample(Random random, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        var symbols = new List<int>();
        var state = _initial.Sample(random);
        while (true)
        {
            var outcome = _outcomes[state].Sample(random);
            var degree = _fsa.ArcEnd(state) - _fsa.ArcStart(state);
            if (outcome == degree) return (symbols.ToArray(), false);
            var arc = _fsa.ArcStart(state) + outcome;
            var label = _fsa.ArcLabels[arc];
            if (label != Wfsa<T>.Epsilon)
            {
                if (symbols.Count == maxLength) return (symbols.ToArray(), true);
                symbols.Add(label);
            }
            state = _fsa.ArcTargets[arc];
        }
    }
}
