using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Pfsa;

/// <summary>
/// Checks that a WFSA is a probabilistic FSA: non-negative finite weights, initial weights summing to 1,
/// and at every state the outgoing arc weights plus the final weight summing to 1. Notes §4.1 (D4.4).
/// </summary>
public static class PfsaValidation
{
    /// <summary>The default tolerance on each sum.</summary>
    public const double DefaultTolerance = 1e-9;

    /// <summary>Throws unless the machine is a PFSA within <paramref name="tolerance"/>. O(|Q| + |δ|).</summary>
    /// <exception cref="InvalidModelException">The message names the offending state (or the initial distribution) and its mass.</exception>
    public static void Validate<T>(Wfsa<T> fsa, double tolerance = DefaultTolerance) where T : struct, ISemiring<T>, IRealWeight<T>
    {
        if (Problem(fsa, tolerance) is { } problem) throw new InvalidModelException(problem);
    }

    /// <summary>Whether the machine is a PFSA within <paramref name="tolerance"/>.</summary>
    public static bool IsPfsa<T>(Wfsa<T> fsa, double tolerance = DefaultTolerance) where T : struct, ISemiring<T>, IRealWeight<T> =>
        Problem(fsa, tolerance) is null;

    private static string? Problem<T>(Wfsa<T> fsa, double tolerance) where T : struct, ISemiring<T>, IRealWeight<T>
    {
        var initial = 0.0;
        for (var q = 0; q < fsa.StateCount; q++)
        {
            var lambda = T.ToReal(fsa.InitialWeights[q]);
            if (!IsProbability(lambda, tolerance)) return Invariant($"State {q} has initial weight {lambda}, which is not a probability.");
            initial += lambda;
            var mass = T.ToReal(fsa.FinalWeights[q]);
            if (!IsProbability(mass, tolerance)) return Invariant($"State {q} has final weight {mass}, which is not a probability.");
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
            {
                var w = T.ToReal(fsa.ArcWeights[e]);
                if (!IsProbability(w, tolerance)) return Invariant($"An arc leaving state {q} (to {fsa.ArcTargets[e]}) has weight {w}, which is not a probability.");
                mass += w;
            }
            if (!(Math.Abs(mass - 1) <= tolerance))
                return Invariant($"State {q} is not normalised: its outgoing arcs and final weight sum to {mass:G15}, not 1 (tolerance {tolerance:G3}).");
        }
        if (!(Math.Abs(initial - 1) <= tolerance))
            return Invariant($"The initial weights sum to {initial:G15}, not 1 (tolerance {tolerance:G3}).");
        return null;
    }

    // One tolerance for single weights and for sums: a weight above 1 by more than it would already break its state's sum.
    private static bool IsProbability(double value, double tolerance) => value >= 0 && value <= 1 + Math.Max(tolerance, 1e-12);
}
