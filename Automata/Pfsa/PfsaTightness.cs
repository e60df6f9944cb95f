using Workbench.Automata.Core;
using Workbench.Automata.Graphs;
using Workbench.Automata.Pathsums;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Pfsa;

/// <summary>
/// Tightness of a PFSA (P4.6): it is tight iff every accessible state is co-accessible. The verdict comes
/// from that graph criterion; the report adds the two numerical views that must agree with it — the
/// spectral radius of the trimmed transition matrix (below 1) and the allsum Z (1 when tight, the
/// finite-string mass otherwise). Notes §4.1.
/// </summary>
public static class PfsaTightness
{
    /// <summary>The report for a validated PFSA. O(|Q| + |δ|) for the graph, plus one certified linear solve.</summary>
    public static TightnessReport Analyze<T>(Wfsa<T> fsa) where T : struct, ISemiring<T>, IRealWeight<T> =>
        Analyze(fsa, RealPathsum.Compute(fsa));

    /// <summary>The report, reusing a pathsum of the same machine. O(|Q| + |δ|).</summary>
    public static TightnessReport Analyze<T>(Wfsa<T> fsa, RealPathsum pathsum) where T : struct, ISemiring<T>, IRealWeight<T>
    {
        var accessible = Reachability.Accessible(fsa);
        var coAccessible = Reachability.CoAccessible(fsa);
        var leaking = Enumerable.Range(0, fsa.StateCount).Where(q => accessible[q] && !coAccessible[q]).ToArray();
        var z = pathsum.Allsum;
        var graph = leaking.Length == 0
            ? $"graph criterion: all {accessible.Count(a => a)} accessible states are co-accessible"
            : $"graph criterion: {leaking.Length} accessible state(s) cannot reach a final state (e.g. {string.Join(", ", leaking.Take(5))}), so mass leaks into them";
        var evidence = new List<string>
        {
            graph,
            Invariant($"spectral radius of the trimmed transition matrix ({pathsum.UsefulStates} states) ∈ [{pathsum.SpectralRadiusLowerBound:G6}, {pathsum.SpectralRadiusUpperBound:G6}] < 1"),
            Invariant($"allsum Z = {z.Value:G15} ± {z.ErrorBound:G3} ({z.Method})"),
        };
        var verdict = leaking.Length == 0 ? TightnessVerdict.Tight : TightnessVerdict.NotTight;
        var agrees = verdict == TightnessVerdict.Tight ? Math.Abs(z.Value - 1) <= z.ErrorBound + 1e-6 : z.Value < 1 - z.ErrorBound;
        if (!agrees)
            evidence.Add(Invariant($"warning: Z = {z.Value:G15} does not match the graph verdict; the weights are normalised only up to the validation tolerance"));
        return new TightnessReport(verdict, z.Value, Math.Max(0, z.Value - z.ErrorBound), Math.Min(1, z.Value + z.ErrorBound), TightnessMethod.GraphCriterion, evidence);
    }
}
