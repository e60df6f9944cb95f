using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Grammars;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>P5.9: the derivational entropy of a subcritical PCFG is H = e_Sᵀ(I − M)⁻¹h with h_X the entropy of X's rule distribution (Soule 1974).</summary>
public static class P5_9_DerivationalEntropy
{
    private const int Samples = 4_000;

    /// <summary>Random subcritical PCFGs: Soule's formula against the mean surprisal −log p(derivation) of exact samples.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P5.9",
        "The derivational entropy of a subcritical PCFG is H = e_Sᵀ(I − M)⁻¹h, h_X the entropy of X's rules (Soule 1974): the expected surprisal −log p(d) of a random derivation.",
        "§4.2 (entropy of PCFGs; Soule 1974)",
        GrammarInstances.PcfgsWithSeed(Numbers.Between(0.05, 0.38)),
        Check,
        defaultTrials: 40);

    private static void Check((PcfgInstance Instance, int Seed) pair)
    {
        var grammar = pair.Instance.Build();
        var exact = PcfgAnalysis.DerivationalEntropy(grammar).Value;
        var sampler = new PcfgSampler(grammar);
        var random = new Random(pair.Seed);
        var surprisals = Enumerable.Range(0, Samples).Select(_ => -sampler.Sample(random, 1_000_000).LogProbability).ToArray();
        var mean = surprisals.Average();
        var standardError = Math.Sqrt(surprisals.Sum(s => (s - mean) * (s - mean)) / (Samples - 1) / Samples);
        Require.That(Math.Abs(mean - exact) <= 5 * standardError + 1e-12, $"mean surprisal {mean} ± {standardError} vs Soule's {exact}");
    }
}
