using Workbench.Formal.Symbols;
using Workbench.Automata.Grammars;
using Workbench.Automata.Grammars.Parsing;
using Workbench.Formal.Generation;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P5.10: PCFG prefix probabilities (Jelinek–Lafferty) and the next-symbol conditionals they induce — the
/// local normalisation of a PCFG (P2.1).
/// </summary>
public static class P5_10_PcfgPrefixProbabilities
{
    /// <summary>Random tight CNF PCFGs (ρ(M) ≤ 0.7): prefix probabilities against inside probabilities of their extensions.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P5.10",
        "PCFG prefix probabilities (fast forward-vector parser and Jelinek–Lafferty, which agree) satisfy π(ε) = 1 and π(y) = p(y) + Σ_a π(ya) with p from the inside algorithm, exceed every brute-force sum Σ_{|y′|≤L} p(yy′) by at most the exact mass of strings longer than |y| + L, and the induced conditionals are distributions whose chain rule gives p(y).",
        "§4.2 (prefix probabilities; Jelinek & Lafferty 1991)",
        GrammarInstances.PcfgsWithString(Numbers.Between(0.05, 0.35), 3),
        Check,
        defaultTrials: 60);

    private static void Check((PcfgInstance Instance, int[] Y) pair)
    {
        var (instance, y) = pair;
        var grammar = instance.Build();
        var model = new PcfgLanguageModel(grammar);
        var alphabet = grammar.Terminals;
        double Prefix(int[] s) => Math.Exp(model.LogPrefixProbability(s));
        double Probability(int[] s) => Math.Exp(Inside.LogWeight(grammar, s));
        Require.Close(1, Prefix([]), 1e-12, "π(ε) of a tight PCFG");

        var extensions = Enumerable.Range(0, alphabet.Size).Sum(a => Prefix([.. y, a]));
        Require.Close(Prefix(y), Probability(y) + extensions, 1e-10, $"π({alphabet.Format(y)}) = p(y) + Σ_a π(ya)");

        Require.Close(new JelinekLaffertyParser(grammar).PrefixProbability(y), Prefix(y), 1e-12, $"π({alphabet.Format(y)}): Jelinek–Lafferty vs the forward-vector parser");

        const int completions = 4;
        var finite = Strings.UpTo(alphabet.Size, completions).Sum(rest => Probability([.. y, .. rest]));
        var tail = 1 - LengthDistribution.Of(grammar, y.Length + completions).Sum();
        Require.AtMost(finite, Prefix(y), 1e-12, $"Σ_{{|y′|≤{completions}}} p({alphabet.Format(y)}y′) ≤ π({alphabet.Format(y)})");
        Require.AtMost(Prefix(y) - finite, tail, 1e-12, $"π({alphabet.Format(y)}) − Σ_{{|y′|≤{completions}}} p(yy′) ≤ P(|Y| > {y.Length + completions})");

        var next = new double[alphabet.SizeWithEos];
        model.NextLogProbabilities(ChainRule.StateAfter(model, y), next);
        Require.Close(1, next.Sum(Math.Exp), 1e-10, $"Σ_ȳ p(ȳ | {alphabet.Format(y)})");
        Require.Close(model.LogProbability(y), ChainRule.LogProbability(model, y), 1e-9, $"chain rule vs inside for {alphabet.Format(y)}");
    }
}
