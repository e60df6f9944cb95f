using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using Workbench.Automata.Graphs;
using Workbench.Automata.Pfsa;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P4.6: a PFSA is tight iff every accessible state is co-accessible. In the proof the trimmed transition
/// matrix T′ is substochastic with ‖T′^k‖∞ &lt; 1 for some k ≤ |Q|, so ρ(T′) &lt; 1 and λᵀ(I − T′)⁻¹ρ = 1.
/// </summary>
public static class P4_6_PfsaTightness
{
    /// <summary>Random PFSAs with and without trap components: the graph verdict against a dense allsum and the proof's norm bound.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P4.6",
        "A PFSA is tight iff every accessible state is co-accessible: the graph criterion agrees with the allsum (Z = 1 exactly when tight), and the trimmed matrix satisfies ‖T′^|Q|‖∞ < 1, hence ρ(T′) < 1.",
        "§4.1 (tightness of PFSAs, p. 95)",
        AutomataInstances.Pfsas(8, allowTraps: true),
        Check);

    private static void Check(PfsaInstance instance)
    {
        var fsa = instance.Build();
        var report = PfsaTightness.Analyze(fsa);
        var (trimmed, _) = Reachability.Trim(fsa);
        var dense = new DenseAutomaton(trimmed);
        var n = trimmed.StateCount;
        var z = n == 0 ? 0 : dense.Initial * (Matrix<double>.Build.DenseIdentity(n) - dense.Transition).Solve(dense.Final);

        var accessible = Reachability.Accessible(fsa);
        var coAccessible = Reachability.CoAccessible(fsa);
        var graphTight = Enumerable.Range(0, fsa.StateCount).All(q => !accessible[q] || coAccessible[q]);
        Require.That(graphTight == (report.Verdict == TightnessVerdict.Tight), $"report says {report.Verdict}, the graph criterion says tight = {graphTight}");
        if (graphTight) Require.Close(1, z, 1e-9, "Z of a tight PFSA");
        else Require.That(z < 1 - 1e-12, $"Z = {z} for a PFSA with accessible states that cannot stop");
        Require.Close(z, report.Mass, 1e-9, "the report's mass vs λᵀ(I − T′)⁻¹ρ");
        Require.That(report.MassLowerBound <= z + 1e-12 && z - 1e-12 <= report.MassUpperBound, $"Z = {z} outside the report's bounds [{report.MassLowerBound}, {report.MassUpperBound}]");
        if (n > 0)
        {
            var norm = dense.Transition.Power(n).InfinityNorm();
            Require.That(norm < 1, $"‖T′^{n}‖∞ = {norm} is not below 1");
        }
    }
}
