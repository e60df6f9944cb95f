using Workbench.Formal.Symbols;
using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using Workbench.Automata.Operations;
using Workbench.Automata.Pfsa;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P4.4: weight pushing turns a normalisable WFSA into a tight PFSA with the same topology and
/// A_L(y) = A(y)/Z — globally and locally normalised finite-state LMs are equally expressive.
/// </summary>
public static class P4_4_WeightPushing
{
    /// <summary>Random WFSAs with ρ(T) ≤ 0.9: the pushed machine's sums, string weights and allsum against dense computations.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P4.4",
        "Weight pushing (λ_L = λβ/Z, w_L = w·β(q′)/β(q), ρ_L = ρ/β) turns a normalisable WFSA into a tight PFSA with the same topology and A_L(y) = A(y)/Z: globally normalised finite-state LMs are PFSA LMs.",
        "§4.1 (locally normalising a WFSA, the A_L of p. 91)",
        AutomataInstances.Wfsas(7, 0.1, 0.9),
        Check);

    private static void Check(WfsaInstance instance)
    {
        var fsa = instance.Build();
        var original = new DenseAutomaton(fsa);
        var z = original.InverseAllsum();
        var pushed = WeightPushing.Push(fsa);
        PfsaValidation.Validate(pushed, 1e-12);
        Require.That(pushed.IsDeterministic == fsa.IsDeterministic || pushed.StateCount < fsa.StateCount, "pushing changed determinism");
        var local = new DenseAutomaton(pushed);
        var n = pushed.StateCount;
        Require.Close(1, local.Initial * (Matrix<double>.Build.DenseIdentity(n) - local.Transition).Solve(local.Final), 1e-10, "Z of the pushed machine");
        foreach (var y in Strings.UpTo(fsa.Alphabet.Size, 4))
            Require.Close(original.StringWeight(y) / z, local.StringWeight(y), 1e-10, $"A_L({fsa.Alphabet.Format(y)}) vs A({fsa.Alphabet.Format(y)})/Z");
    }
}
