using Workbench.Automata.Formats;
using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Grammars;
using Workbench.Formal.LanguageModels;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P5.2: a PCFG is tight iff the least fixed point of its generating functions has Z(S) = 1; the share of
/// derivations that finish is Z(S). Fixture: S → S S [p] | a [1 − p] has Z = min(1, (1 − p)/p).
/// </summary>
public static class P5_2_PcfgTightnessByFixedPoint
{
    private const int Samples = 1_000;

    /// <summary>The branching fixture at a random p, and random PCFGs against the finished share of their samples.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P5.2",
        "A PCFG is tight iff the least fixed point of its generating functions gives Z(S) = 1, and Z(S) is the probability that a derivation finishes; S → S S [p] | a [1 − p] has Z = min(1, (1 − p)/p).",
        "§4.2 (PCFG tightness via generating functions, p. 121)",
        Arb.From(
            from instance in GrammarInstances.Pcfgs(GrammarInstances.AwayFromCriticality).Generator
            from p in Numbers.Between(0.01, 0.99)
            from seed in Gen.Choose(0, int.MaxValue - 1)
            select (instance, p, seed)),
        Check,
        defaultTrials: 60);

    private static void Check((PcfgInstance Instance, double P, int Seed) triple)
    {
        var (instance, p, seed) = triple;
        var branching = CfgTextFormat.Read(FormattableString.Invariant($"S -> S S [{p:R}] | 'a' [{1 - p:R}]"), "branching");
        Require.Close(Math.Min(1, (1 - p) / p), Treesum.Newton(branching).Values[0], 1e-9, $"Z of S → S S [{p}] | a");
        Require.That(PcfgAnalysis.Tightness(branching).Verdict == (p <= 0.5 ? TightnessVerdict.Tight : TightnessVerdict.NotTight), $"verdict at p = {p}");

        var grammar = instance.Build();
        var z = Treesum.Newton(grammar).Values[grammar.Start];
        var report = PcfgAnalysis.Tightness(grammar);
        Require.That((report.Verdict == TightnessVerdict.Tight) == (Math.Abs(z - 1) < 1e-9), $"verdict {report.Verdict} with Z(S) = {z}");
        var sampler = new PcfgSampler(grammar);
        var random = new Random(seed);
        var finished = Enumerable.Range(0, Samples).Count(_ => !sampler.Sample(random, 2_000).Truncated);
        var share = Math.Clamp(z, 0, 1);
        var sigma = Math.Sqrt(Samples * share * (1 - share)) + 1;
        Require.That(Math.Abs(finished - Samples * z) <= 5 * sigma, $"{finished} of {Samples} derivations finished; Z(S) = {z}");
    }
}
