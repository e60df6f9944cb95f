using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Generation;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P4.5: a PFSA's next-symbol distribution is p(ȳ | y) = Σ_q α̂_y(q) p(ȳ | q) with α̂_y the normalised forward
/// vector; for a tight PFSA it equals π(yȳ)/π(y) with π(y) the mass of the finite strings extending y.
/// </summary>
public static class P4_5_PfsaConditionals
{
    /// <summary>Random tight PFSAs: the model's conditionals against finite-string prefix sums λᵀT^(y)(I − T)⁻¹ρ.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P4.5",
        "A PFSA's conditionals are p(ȳ | y) = Σ_q α̂_y(q)·p(ȳ | q) (forward vector α̂_y), a distribution over Σ̄; for a tight PFSA they equal π(yȳ)/π(y), π(y) = λᵀT^(y)(I − T)⁻¹ρ the mass of the finite strings extending y.",
        "§4.1 (PFSA string and next-symbol probabilities, p. 92)",
        Arb.From(
            from instance in AutomataInstances.Pfsas(6, allowTraps: false).Generator
            from y in Tables.RandomString(instance.AlphabetSize, 5)
            select (instance, y)),
        Check);

    private static void Check((PfsaInstance Instance, int[] Y) pair)
    {
        var (instance, y) = pair;
        var fsa = instance.Build();
        var model = new PfsaLanguageModel<Formal.Semirings.Real>(fsa);
        var dense = new DenseAutomaton(fsa);
        var beta = (Matrix<double>.Build.DenseIdentity(fsa.StateCount) - dense.Transition).Solve(dense.Final);
        var row = y.Aggregate(dense.Initial, (r, a) => dense.Symbols[a].TransposeThisAndMultiply(r));
        var prefix = row * beta;
        if (prefix <= 1e-300) return;

        var next = new double[fsa.Alphabet.SizeWithEos];
        model.NextLogProbabilities(ChainRule.StateAfter(model, y), next);
        Require.Close(1, next.Sum(Math.Exp), 1e-12, "Σ_ȳ p(ȳ | y)");
        Require.Close(row * dense.Final / prefix, Math.Exp(next[fsa.Alphabet.Eos]), 1e-9, $"p(EOS | {fsa.Alphabet.Format(y)}) vs p(y)/π(y)");
        for (var a = 0; a < fsa.Alphabet.Size; a++)
        {
            var extended = dense.Symbols[a].TransposeThisAndMultiply(row) * beta;
            Require.Close(extended / prefix, Math.Exp(next[a]), 1e-9, $"p({fsa.Alphabet.NameOf(a)} | {fsa.Alphabet.Format(y)}) vs π(ya)/π(y)");
        }
        Require.Close(Math.Log(row * dense.Final), model.LogProbability(y), 1e-9, $"log p({fsa.Alphabet.Format(y)})");
    }
}
