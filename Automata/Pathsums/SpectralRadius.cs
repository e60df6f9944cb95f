using Workbench.Automata.Core;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Pathsums;

/// <summary>
/// Bounds on the spectral radius ρ(T) of a non-negative transition matrix T = Σ_a T^(a) (ε included) by
/// power iteration on T + I, whose Perron root is ρ(T) + 1 and which stays positive and aperiodic. For
/// every positive v, min_i (Tv)ᵢ/vᵢ ≤ ρ(T) ≤ max_i (Tv)ᵢ/vᵢ (Collatz–Wielandt), so both bounds are
/// valid at every iteration and tighten as v approaches the Perron vector. O(iterations · (|Q| + |δ|)).
/// Notes §4.1 (p. 95: ρ(T) decides whether the allsum converges).
/// </summary>
public static class SpectralRadius
{
    /// <summary>Bounds (lower, upper) on ρ(T) for a machine with real weights.</summary>
    public static (double Lower, double Upper) Bounds<T>(Wfsa<T> fsa, int maxIterations = 2000, double tolerance = 1e-9)
        where T : struct, ISemiring<T>, IRealWeight<T>
    {
        var weights = new double[fsa.ArcCount];
        for (var e = 0; e < weights.Length; e++) weights[e] = T.ToReal(fsa.ArcWeights[e]);
        var offsets = new int[fsa.StateCount + 1];
        for (var q = 0; q < fsa.StateCount; q++) offsets[q + 1] = fsa.ArcEnd(q);
        return Bounds(offsets, fsa.ArcTargets.ToArray(), weights, maxIterations, tolerance);
    }

    /// <summary>
    /// Bounds on ρ(T) for T in compressed rows (row i: targets/weights[offsets[i]..offsets[i+1])). ρ(T) is
    /// the largest spectral radius of its irreducible diagonal blocks (the strongly connected
    /// components), and inside a block the iterates stay positive, so each block is iterated on its own.
    /// </summary>
    public static (double Lower, double Upper) Bounds(int[] offsets, int[] targets, double[] weights, int maxIterations = 2000, double tolerance = 1e-9)
    {
        var components = Graphs.StronglyConnectedComponents.Of(offsets, targets);
        double lower = 0, upper = 0;
        foreach (var members in components.Members)
        {
            var (low, high) = ComponentBounds(members, components.ComponentOf, offsets, targets, weights, maxIterations, tolerance);
            lower = Math.Max(lower, low);
            upper = Math.Max(upper, high);
        }
        return (lower, upper);
    }

    private static (double Lower, double Upper) ComponentBounds(int[] members, int[] componentOf, int[] offsets, int[] targets, double[] weights, int maxIterations, double tolerance)
    {
        var component = componentOf[members[0]];
        var local = new Dictionary<int, int>(members.Length);
        for (var i = 0; i < members.Length; i++) local[members[i]] = i;
        var v = new double[members.Length];
        Array.Fill(v, 1.0);
        var next = new double[members.Length];
        double lower = 0, upper = double.PositiveInfinity;
        for (var k = 0; k < maxIterations; k++)
        {
            double low = double.PositiveInfinity, high = 0, max = 0;
            for (var i = 0; i < members.Length; i++)
            {
                var sum = v[i];
                var row = members[i];
                for (var e = offsets[row]; e < offsets[row + 1]; e++)
                    if (componentOf[targets[e]] == component) sum += weights[e] * v[local[targets[e]]];
                next[i] = sum;
                low = Math.Min(low, sum / v[i]);
                high = Math.Max(high, sum / v[i]);
                max = Math.Max(max, sum);
            }
            lower = Math.Max(lower, low - 1);
            upper = Math.Min(upper, high - 1);
            if (upper - lower <= tolerance * Math.Max(1, upper)) break;
            for (var i = 0; i < members.Length; i++) v[i] = next[i] / max;
        }
        return (lower, upper);
    }
}
