using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Generation;
using Workbench.Formal.Numerics;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Pfsa;

/// <summary>
/// Exact draws from a PFSA (any ε-free real-weighted machine, deterministic or not, tight or not) conditioned on the
/// string's length. The backward weights over lengths, β₀(q) = ρ(q) and β_k(q) = Σ_{q →a/w→ r} w·β_{k−1}(r), are the
/// mass of the length-k paths out of q, so P(|y| = n) = Σ_q λ(q)β_n(q), and a path drawn forwards — the start q with
/// probability ∝ λ(q)β_n(q), then at k symbols to go each arc with probability ∝ w·β_{k−1}(r) — is a draw of
/// p(path | length n), whose labels are a draw of p(y | |y| = n). The table is kept in log space, state by state, so
/// lengths of thousands of symbols neither underflow nor lose a state whose mass is far below another's.
/// O(n·|δ|) time and O(n·|Q|) memory for the table up to n (built once, as far as asked), O(n·out-degree) per draw.
/// Thread-safe. Notes §4.1.
/// </summary>
public sealed class PfsaLengthSampler : ILengthConditionedSampler
{
    /// <summary>The most table entries (levels × states) kept.</summary>
    public const long MaxTableEntries = 50_000_000;

    private readonly Wfsa<Real> _fsa;
    private readonly double[] _logArcWeights;
    private readonly List<double[]> _logBeta = [];
    private readonly object _gate = new();

    /// <summary>A sampler for <paramref name="fsa"/>.</summary>
    /// <exception cref="InvalidModelException">The machine has ε-arcs or a negative or non-finite weight.</exception>
    public PfsaLengthSampler(Wfsa<Real> fsa)
    {
        if (fsa.HasEpsilonArcs) throw new InvalidModelException("Length-conditioned sampling needs an ε-free machine; remove the ε-arcs first.");
        foreach (var w in fsa.ArcWeights.ToArray().Concat(fsa.InitialWeights.ToArray()).Concat(fsa.FinalWeights.ToArray()))
            if (!(w.Value >= 0) || double.IsPositiveInfinity(w.Value)) throw new InvalidModelException("Length-conditioned sampling needs non-negative finite weights.");
        _fsa = fsa;
        _logArcWeights = [.. fsa.ArcWeights.ToArray().Select(w => Math.Log(w.Value))];
    }

    /// <inheritdoc />
    public int? MaxLength => (int)Math.Min(int.MaxValue, MaxTableEntries / Math.Max(1, _fsa.StateCount) - 1);

    /// <inheritdoc />
    public double LogLengthProbability(int length)
    {
        var beta = LogBeta(length);
        var total = double.NegativeInfinity;
        for (var q = 0; q < _fsa.StateCount; q++) total = LogSpace.Add(total, Math.Log(_fsa.InitialWeights[q].Value) + beta[q]);
        return total;
    }

    /// <inheritdoc />
    public int[] SampleOfLength(Random random, int length)
    {
        if (double.IsNegativeInfinity(LogLengthProbability(length))) throw new WorkbenchException(Invariant($"The machine has no string of length {length}."));
        var beta = LogBeta(length);
        var state = Categorical.SampleLogWeighted([.. Enumerable.Range(0, _fsa.StateCount).Select(q => Math.Log(_fsa.InitialWeights[q].Value) + beta[q])], random);
        var result = new int[length];
        for (var remaining = length; remaining > 0; remaining--)
        {
            var next = LogBeta(remaining - 1);
            var (first, end) = (_fsa.ArcStart(state), _fsa.ArcEnd(state));
            var arc = first + Categorical.SampleLogWeighted([.. Enumerable.Range(first, end - first).Select(e => _logArcWeights[e] + next[_fsa.ArcTargets[e]])], random);
            result[length - remaining] = _fsa.ArcLabels[arc];
            state = _fsa.ArcTargets[arc];
        }
        return result;
    }

    // log β_k over the states.
    private double[] LogBeta(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > MaxLength)
            throw new BudgetExceededException(Invariant($"Conditioning on length {length} needs a backward table of {(length + 1L) * _fsa.StateCount:N0} entries; the limit is {MaxTableEntries:N0}."));
        lock (_gate)
        {
            while (_logBeta.Count <= length)
            {
                var beta = new double[_fsa.StateCount];
                if (_logBeta.Count == 0)
                    for (var q = 0; q < beta.Length; q++) beta[q] = Math.Log(_fsa.FinalWeights[q].Value);
                else
                {
                    var previous = _logBeta[^1];
                    for (var q = 0; q < beta.Length; q++)
                    {
                        beta[q] = double.NegativeInfinity;
                        for (var e = _fsa.ArcStart(q); e < _fsa.ArcEnd(q); e++) beta[q] = LogSpace.Add(beta[q], _logArcWeights[e] + previous[_fsa.ArcTargets[e]]);
                    }
                }
                _logBeta.Add(beta);
            }
            return _logBeta[length];
        }
    }
}
