using Workbench.Formal.Symbols;
using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using Workbench.Automata.Pathsums;
using Workbench.Formal.Semirings;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P4.2: when ρ(T) &lt; 1 the allsum is Z = λᵀ(Σ_d Tᵈ)ρ = λᵀ(I − T)⁻¹ρ = λᵀT*ρ; backward and forward
/// values satisfy β = ρ + Tβ, α = λ + Tᵀα and Z = λᵀβ = αᵀρ; the sums over strings up to length L
/// increase to Z, the rest being exactly λᵀT^{L+1}(I − T)⁻¹ρ.
/// </summary>
public static class P4_2_AllsumClosedForm
{
    /// <summary>Random WFSAs with ρ(T) ≤ 0.9: every strategy against a dense inverse, plus the truncated sums over Σ^{≤L}.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P4.2",
        "If ρ(T) < 1 the allsum is Z = λᵀ(I − T)⁻¹ρ: Lehmann's closure, the SCC-decomposed closure, dense LU and Gauss–Seidel agree with the inverse; λᵀβ = αᵀρ; and Σ_{|y|≤L} A(y) rises to Z with remainder exactly λᵀT^{L+1}(I − T)⁻¹ρ.",
        "§4.1 (allsum, p. 88–95)",
        Arb.From(
            from instance in AutomataInstances.Wfsas(8, 0.1, 0.9).Generator
            from length in Gen.Choose(0, 5)
            select (instance, length)),
        Check);

    private static void Check((WfsaInstance Instance, int Length) pair)
    {
        var (instance, length) = pair;
        var fsa = instance.Build();
        var dense = new DenseAutomaton(fsa);
        var z = dense.InverseAllsum();
        Require.Close(z, Pathsum.Allsum(fsa, PathsumStrategy.Lehmann).Value, 1e-10, "Lehmann closure vs λᵀ(I − T)⁻¹ρ");
        Require.Close(z, Pathsum.Allsum(fsa, PathsumStrategy.SccDecomposed).Value, 1e-10, "SCC-decomposed closure vs λᵀ(I − T)⁻¹ρ");
        foreach (var solver in new[] { LinearSolver.DenseLu, LinearSolver.GaussSeidel })
        {
            var certified = RealPathsum.Compute(fsa, solver).Allsum;
            Require.Close(z, certified.Value, 1e-10, $"{solver} vs λᵀ(I − T)⁻¹ρ");
            Require.AtMost(Math.Abs(certified.Value - z), certified.ErrorBound + 1e-12 * Math.Max(1, z), 0, $"{solver}'s certified bound");
        }
        var beta = Pathsum.Backward(fsa);
        var alpha = Pathsum.Forward(fsa);
        var backward = Enumerable.Range(0, fsa.StateCount).Sum(q => fsa.InitialWeights[q].Value * beta[q].Value);
        var forward = Enumerable.Range(0, fsa.StateCount).Sum(q => alpha[q].Value * fsa.FinalWeights[q].Value);
        Require.Close(backward, forward, 1e-10, "λᵀβ vs αᵀρ");

        var truncated = Strings.UpTo(fsa.Alphabet.Size, length).Sum(dense.StringWeight);
        var identity = Matrix<double>.Build.DenseIdentity(fsa.StateCount);
        var remainder = dense.Initial * (dense.Transition.Power(length + 1) * (identity - dense.Transition).Solve(dense.Final));
        Require.AtMost(truncated, z, 1e-12 * Math.Max(1, z), $"Σ_{{|y|≤{length}}} A(y) ≤ Z");
        Require.Close(z - truncated, remainder, 1e-9, $"Z − Σ_{{|y|≤{length}}} A(y) vs λᵀT^{length + 1}(I − T)⁻¹ρ");
    }
}
