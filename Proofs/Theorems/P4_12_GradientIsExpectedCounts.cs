using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Core;
using Workbench.Automata.Pathsums;
using Workbench.Formal.Semirings;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>P4.12: for a WFSA with arc weights w_e = exp(θ_e), ∂ log Z/∂θ_e is the expected number of uses of arc e.</summary>
public static class P4_12_GradientIsExpectedCounts
{
    private const double Step = 1e-5;

    /// <summary>Random WFSAs with ρ(T) ≤ 0.8: forward–backward counts against central finite differences of log Z.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P4.12",
        "For a parameterised WFSA with w_e = exp(θ_e), the gradient ∂ log Z/∂θ_e equals the expected count of arc e, α(source)·w_e·β(target)/Z (forward–backward).",
        "§4.1 (parameterised WFSAs and their gradients, pp. 92–93)",
        AutomataInstances.Wfsas(6, 0.1, 0.8),
        Check,
        defaultTrials: 60);

    private static void Check(WfsaInstance instance)
    {
        var fsa = instance.Build();
        var (counts, _) = ExpectedCounts.Arcs(fsa);
        for (var e = 0; e < fsa.ArcCount; e++)
        {
            var difference = (LogAllsum(fsa, e, Step) - LogAllsum(fsa, e, -Step)) / (2 * Step);
            Require.Close(difference, counts[e], 1e-6, $"∂ log Z/∂θ of arc {e} vs its expected count");
        }
    }

    // log Z with arc e's weight multiplied by e^h, by a dense solve.
    private static double LogAllsum(Wfsa<Real> fsa, int arc, double h)
    {
        var builder = new WfsaBuilder<Real>(fsa.Alphabet).EnsureStates(fsa.StateCount);
        var sources = fsa.ArcSources();
        for (var q = 0; q < fsa.StateCount; q++) builder.SetInitial(q, fsa.InitialWeights[q]).SetFinal(q, fsa.FinalWeights[q]);
        for (var e = 0; e < fsa.ArcCount; e++)
            builder.AddArc(sources[e], fsa.ArcLabels[e], fsa.ArcTargets[e], new Real(fsa.ArcWeights[e].Value * (e == arc ? Math.Exp(h) : 1)));
        return Math.Log(new DenseAutomaton(builder.Build()).InverseAllsum());
    }
}
