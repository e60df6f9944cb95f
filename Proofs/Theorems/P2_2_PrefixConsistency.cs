using Workbench.Formal.Symbols;
using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Models;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P2.2: prefix probabilities are consistent, π(y) = p(y) + Σ_a π(ya); for a non-tight model the cylinder
/// of y also holds the infinite continuations, so π(y) exceeds the mass of the finite strings extending y
/// by exactly the leaked mass below y.
/// </summary>
public static class P2_2_PrefixConsistency
{
    private static readonly UnaryLanguageModel Leaky = new(EosSchedule.InverseSquare());

    /// <summary>Exact identity on random tables; the leak below aⁿ of the 1/(t+2)² model against its closed form.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P2.2",
        "Prefix probabilities are consistent: π(y) = p(y) + Σ_a π(ya). In a non-tight model π(y) also counts the infinite continuations of y: for p(EOS|aᵗ) = 1/(t+2)², π(aⁿ) − Σ_{m≥n} p(aᵐ) = 1/2.",
        "§2.5.2 (the measure induced by a sequence model; cylinder sets)",
        Arb.Zip(Tables.Instances(), Arb.From(Gen.Choose(0, 2000))),
        Check);

    private static void Check((TableInstance Table, int Length) instance)
    {
        var (table, length) = instance;
        var model = table.Model();
        var alphabet = model.Alphabet;
        foreach (var y in Strings.UpTo(alphabet.Size, table.MaxLength))
        {
            var children = Enumerable.Range(0, alphabet.Size).Sum(a => Math.Exp(model.LogPrefixProbability([.. y, a])));
            Require.Close(Math.Exp(model.LogPrefixProbability(y)), Math.Exp(model.LogProbability(y)) + children, 1e-12,
                $"π({alphabet.Format(y)}) = p(y) + Σ_a π(ya)");
        }

        // Finite strings above aⁿ, summed to n + 4000, plus the exact tail Σ_{m>M} 1/(2(m+1)(m+2)) = 1/(2(M+2)).
        var horizon = length + 4000;
        var finite = UnaryWalks.FiniteMass(Leaky, length, horizon + 1) + 1.0 / (2 * (horizon + 2.0));
        Require.Close(0.5, Math.Exp(Leaky.LogPrefixProbability(new int[length])) - finite, 1e-10,
            $"π(a^{length}) − Σ_{{m≥{length}}} p(a^m), the leaked mass below a^{length}");
    }
}
