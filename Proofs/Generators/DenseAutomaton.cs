using MathNet.Numerics.LinearAlgebra;
using Workbench.Automata.Core;
using Workbench.Formal.Semirings;

namespace Workbench.Proofs.Generators;

/// <summary>
/// A real-weighted automaton as dense matrices — λ, ρ, T^(a) and T = Σ_a T^(a) — for reference
/// computations in theorem checks that do not go through the Automata algorithms under test.
/// </summary>
public sealed class DenseAutomaton
{
    /// <summary>Reads the matrices off <paramref name="fsa"/> (ε-free).</summary>
    public DenseAutomaton(Wfsa<Real> fsa)
    {
        var n = fsa.StateCount;
        Initial = Vector<double>.Build.Dense(n, q => fsa.InitialWeights[q].Value);
        Final = Vector<double>.Build.Dense(n, q => fsa.FinalWeights[q].Value);
        Symbols = Enumerable.Range(0, fsa.Alphabet.Size).Select(_ => Matrix<double>.Build.Dense(n, n)).ToArray();
        for (var q = 0; q < n; q++)
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
                Symbols[fsa.ArcLabels[e]][q, fsa.ArcTargets[e]] += fsa.ArcWeights[e].Value;
        Transition = Symbols.Aggregate(Matrix<double>.Build.Dense(n, n), (sum, m) => sum + m);
    }

    /// <summary>λ.</summary>
    public Vector<double> Initial { get; }

    /// <summary>ρ.</summary>
    public Vector<double> Final { get; }

    /// <summary>T^(a) for each symbol a.</summary>
    public Matrix<double>[] Symbols { get; }

    /// <summary>T = Σ_a T^(a).</summary>
    public Matrix<double> Transition { get; }

    /// <summary>λᵀ T^(y₁)…T^(yₙ) ρ by matrix products.</summary>
    public double StringWeight(int[] y) => y.Aggregate(Initial, (row, a) => Symbols[a].TransposeThisAndMultiply(row)) * Final;

    /// <summary>λᵀ (I − T)⁻¹ ρ by a dense solve (meaningless when ρ(T) ≥ 1, which is the point of P4.3).</summary>
    public double InverseAllsum() =>
        Initial * (Matrix<double>.Build.DenseIdentity(Transition.RowCount) - Transition).Solve(Final);
}
