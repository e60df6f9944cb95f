using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Grammars;
using Workbench.Formal.LanguageModels;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P5.3 (Booth–Thompson): with M the expected production-count matrix, ρ(M) &lt; 1 implies tight and, for an
/// irreducible M, ρ(M) &gt; 1 implies not tight; when subcritical the expected number of expansions is row S
/// of (I − M)⁻¹.
/// </summary>
public static class P5_3_BoothThompson
{
    private const int Samples = 2_000;

    /// <summary>Random PCFGs away from criticality: the spectral-radius verdict against the least fixed point, and expected derivation sizes against sampling.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P5.3",
        "Booth–Thompson: with M_XY = Σ_{X→α} p·count_Y(α), ρ(M) < 1 implies the PCFG is tight and ρ(M) > 1 implies it is not when M is irreducible; below 1 the expected derivation size is Σ_X [(I − M)⁻¹]_{S,X}.",
        "§4.2 (p. 121; Booth & Thompson 1973)",
        GrammarInstances.PcfgsWithSeed(GrammarInstances.AwayFromCriticality),
        Check,
        defaultTrials: 60);

    private static void Check((PcfgInstance Instance, int Seed) pair)
    {
        var grammar = pair.Instance.Build();
        var (lower, upper) = PcfgAnalysis.SpectralRadiusOfMoments(grammar);
        var tight = Math.Abs(Treesum.Newton(grammar).Leaks[grammar.Start]) < 1e-9;
        var irreducible = NonterminalGraph.Of(grammar).Components().Count == 1;
        if (upper < 1) Require.That(tight, $"ρ(M) ≤ {upper} < 1 but the least fixed point says not tight");
        if (lower > 1 && irreducible) Require.That(!tight, $"ρ(M) ≥ {lower} > 1 with M irreducible, but the least fixed point says tight");
        Require.That(PcfgAnalysis.Tightness(grammar).Verdict == (tight ? TightnessVerdict.Tight : TightnessVerdict.NotTight), "the report disagrees with the least fixed point");
        if (!(upper < 0.85)) return;

        // Expected derivation size: exact against the mean number of rule applications over samples.
        var exact = PcfgAnalysis.ExpectedDerivationSize(grammar).Value;
        var sampler = new PcfgSampler(grammar);
        var random = new Random(pair.Seed);
        var sizes = Enumerable.Range(0, Samples).Select(_ => (double)sampler.Sample(random, 1_000_000).Rules.Length).ToArray();
        var mean = sizes.Average();
        var standardError = Math.Sqrt(sizes.Sum(s => (s - mean) * (s - mean)) / (Samples - 1) / Samples);
        Require.That(Math.Abs(mean - exact) <= 5 * standardError + 1e-9, $"mean derivation size {mean} ± {standardError} vs exact {exact}");
    }
}
