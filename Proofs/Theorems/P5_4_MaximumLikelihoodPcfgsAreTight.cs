using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Grammars;
using Workbench.Automata.Grammars.Estimation;
using Workbench.Formal.Semirings;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P5.4 (Chi &amp; Geman 1998): relative-frequency estimates from a finite treebank give a tight PCFG. The
/// counts satisfy c_X = n·[X = S] + Σ_r c(r)·count_X(rhs(r)) exactly (every expansion of X is the root or a
/// child), which makes the estimate's M̂ subcritical.
/// </summary>
public static class P5_4_MaximumLikelihoodPcfgsAreTight
{
    private const int Trees = 150;

    /// <summary>Treebanks sampled from random PCFGs, supercritical ones included (unfinished trees discarded).</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P5.4",
        "Maximum-likelihood PCFGs are tight (Chi & Geman): relative frequencies from any finite treebank satisfy c_X = n·[X = S] + Σ_r c(r)·count_X(rhs r), and the estimated grammar — like every EM iterate from strings — has Z(S) = 1 and ρ(M̂) < 1, with EM never lowering the likelihood.",
        "§4.2 (estimating PCFGs; Chi & Geman 1998)",
        GrammarInstances.PcfgsWithSeed(GrammarInstances.AwayFromCriticality),
        Check,
        defaultTrials: 60);

    private static void Check((PcfgInstance Instance, int Seed) pair)
    {
        var grammar = pair.Instance.Build();
        var sampler = new PcfgSampler(grammar);
        var random = new Random(pair.Seed);
        var trees = Enumerable.Range(0, 4 * Trees).Select(_ => sampler.Sample(random, 2_000)).Where(d => !d.Truncated).Take(Trees).ToList();
        if (trees.Count == 0) return;
        var ruleCounts = new long[grammar.Rules.Count];
        foreach (var tree in trees)
            foreach (var r in tree.Rules) ruleCounts[r]++;

        // Expansions of X counted two ways: as left-hand sides, and as roots plus children.
        var expansions = new long[grammar.Nonterminals.Count];
        var occurrences = new long[grammar.Nonterminals.Count];
        occurrences[grammar.Start] = trees.Count;
        for (var r = 0; r < ruleCounts.Length; r++)
        {
            expansions[grammar.Rules[r].Lhs] += ruleCounts[r];
            foreach (var s in grammar.Rules[r].Rhs)
                if (!s.IsTerminal) occurrences[s.Id] += ruleCounts[r];
        }
        for (var x = 0; x < expansions.Length; x++)
            Require.That(expansions[x] == occurrences[x], $"{grammar.Nonterminals[x]} is expanded {expansions[x]} times but occurs {occurrences[x]} times");

        RequireTight(PcfgEstimation.RelativeFrequencies(grammar, ruleCounts.Select(c => (double)c).ToArray()), "the relative-frequency estimate");

        // EM from the yields (short ones, to keep inside–outside cheap): every iterate is tight and the likelihood never falls.
        var corpus = trees.Select(t => t.Yield).Where(y => y.Length <= 8).Take(20).ToList();
        if (corpus.Count == 0) return;
        var history = PcfgEstimation.ExpectationMaximization(grammar, corpus, 3);
        for (var k = 0; k < history.Count; k++)
        {
            RequireTight(history[k].Grammar, $"EM iterate {k + 1}");
            if (k > 0) Require.AtMost(history[k - 1].LogLikelihood, history[k].LogLikelihood, 1e-9 * Math.Abs(history[k].LogLikelihood), $"EM log-likelihood from iteration {k} to {k + 1}");
        }
    }

    private static void RequireTight(Cfg<Real> estimate, string what)
    {
        Require.AtMost(Math.Abs(Treesum.Newton(estimate).Leaks[estimate.Start]), 1e-9, 0, $"1 − Z(S) of {what}");
        var (_, upper) = PcfgAnalysis.SpectralRadiusOfMoments(estimate);
        Require.That(upper < 1, $"ρ(M̂) ≤ {upper} of {what} is not below 1");
    }
}
