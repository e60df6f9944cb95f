using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Pathsums;
using Workbench.Formal.Errors;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P4.3: for non-negative T, (I − T)⁻¹ is a non-negative inverse exactly when ρ(T) &lt; 1; beyond, I − T may
/// still be invertible but its "allsum" is meaningless. The workbench refuses: the allsum diverges, and
/// the partial sums exceed any bound.
/// </summary>
public static class P4_3_DivergenceIsReported
{
    /// <summary>Random WFSAs scaled to ρ(T) ∈ [1.05, 3] with every state useful.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P4.3",
        "When ρ(T) ≥ 1 on the trimmed machine the allsum diverges: every pathsum strategy reports divergence instead of the meaningless λᵀ(I − T)⁻¹ρ, and the partial sums Σ_{d≤L} λᵀTᵈρ pass any bound.",
        "§4.1 (p. 95: convergence of Σ Tᵈ needs ρ(T) < 1; M-matrices)",
        AutomataInstances.Wfsas(6, 1.05, 3),
        Check);

    private static void Check(WfsaInstance instance)
    {
        var fsa = instance.Build();
        foreach (var solver in new[] { LinearSolver.DenseLu, LinearSolver.GaussSeidel })
            Require.That(Throws<DivergenceException>(() => RealPathsum.Compute(fsa, solver)), $"{solver} returned an allsum for a machine with ρ(T) > 1");
        Require.That(Throws<DivergenceException>(() => Pathsum.Allsum(fsa, PathsumStrategy.Lehmann)), "Lehmann's closure returned an allsum for a machine with ρ(T) > 1");

        // Partial sums λᵀ(Σ_{d≤L} Tᵈ)ρ grow without bound: they pass 10⁶ within a few thousand terms.
        var dense = new DenseAutomaton(fsa);
        var row = dense.Initial;
        var partial = 0.0;
        for (var d = 0; d < 5000 && partial <= 1e6; d++)
        {
            partial += row * dense.Final;
            row = dense.Transition.TransposeThisAndMultiply(row);
        }
        Require.That(partial > 1e6, $"the partial sums stayed at {partial} after 5000 terms");
    }

    private static bool Throws<TException>(Action action) where TException : Exception
    {
        try
        {
            action();
            return false;
        }
        catch (TException)
        {
            return true;
        }
    }
}
