using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Grammars.Estimation;

/// <summary>One EM iteration: the log-likelihood of the corpus under the grammar it started from, and the re-estimated grammar.</summary>
public sealed record EmIteration(int Iteration, double LogLikelihood, Cfg<Real> Grammar);

/// <summary>
/// Estimating PCFGs: relative frequencies of rule counts (maximum likelihood from a treebank) and expectation
/// maximisation from strings with inside–outside expected counts. Both give tight grammars (Chi &amp; Geman
/// 1998, P5.4): an M-step is the relative-frequency estimate of a weighted treebank of finite trees. Notes §4.2.
/// </summary>
public static class PcfgEstimation
{
    /// <summary>
    /// p̂(X → α) = c(X → α)/Σ_β c(X → β) for the rules with positive count; the estimate keeps only the
    /// nonterminals the counts expand (the others cannot be reached from the start in it). O(|G|).
    /// </summary>
    /// <exception cref="WorkbenchException">The start symbol has no counted expansion, or a count is negative or not finite.</exception>
    public static Cfg<Real> RelativeFrequencies(Cfg<Real> grammar, IReadOnlyList<double> ruleCounts)
    {
        if (ruleCounts.Count != grammar.Rules.Count) throw new ArgumentException($"Expected {grammar.Rules.Count} counts, got {ruleCounts.Count}.", nameof(ruleCounts));
        if (ruleCounts.Any(c => !(c >= 0) || !double.IsFinite(c))) throw new WorkbenchException("Rule counts must be finite and non-negative.");
        var totals = new double[grammar.Nonterminals.Count];
        for (var r = 0; r < ruleCounts.Count; r++) totals[grammar.Rules[r].Lhs] += ruleCounts[r];
        if (!(totals[grammar.Start] > 0)) throw new WorkbenchException($"The start symbol {grammar.Nonterminals[grammar.Start]} is never expanded, so there is nothing to estimate.");
        var builder = new CfgBuilder<Real>(grammar.Terminals);
        builder.Nonterminal(grammar.Nonterminals[grammar.Start]);
        for (var x = 0; x < totals.Length; x++)
            if (totals[x] > 0) builder.Nonterminal(grammar.Nonterminals[x]);
        for (var r = 0; r < ruleCounts.Count; r++)
        {
            if (!(ruleCounts[r] > 0)) continue;
            var rule = grammar.Rules[r];
            var rhs = rule.Rhs.Select(s => s.IsTerminal ? s : GrammarSymbol.Nonterminal(builder.Nonterminal(grammar.Nonterminals[s.Id]))).ToArray();
            builder.AddRule(builder.Nonterminal(grammar.Nonterminals[rule.Lhs]), rhs, new Real(ruleCounts[r] / totals[rule.Lhs]));
        }
        return builder.Build(0);
    }

    /// <summary>The maximum-likelihood PCFG of a treebank: its rules are the trees' local trees, its start symbol their common root. O(treebank size).</summary>
    /// <exception cref="WorkbenchException">The trees have different root labels, or a label is used both as a terminal and a nonterminal.</exception>
    public static Cfg<Real> FromTreebank(IReadOnlyList<ParseTree> trees)
    {
        var start = trees[0].Label;
        for (var t = 0; t < trees.Count; t++)
            if (trees[t].Label != start) throw new WorkbenchException($"Tree {t + 1} has root {trees[t].Label}, but the first tree's root is {start}; a treebank needs one start symbol.");
        IEnumerable<ParseTree> Nodes(ParseTree tree) => tree.IsLeaf ? [] : tree.Children.SelectMany(Nodes).Prepend(tree);
        var internalNodes = trees.SelectMany(Nodes).ToList();
        var nonterminals = internalNodes.Select(n => n.Label).ToHashSet(StringComparer.Ordinal);
        var leaves = trees.SelectMany(t => t.Yield()).Distinct().Order(StringComparer.Ordinal).ToList();
        if (leaves.FirstOrDefault(nonterminals.Contains) is { } both) throw new WorkbenchException($"'{both}' is a leaf in one place and a labelled node in another.");
        if (leaves.Count == 0) throw new WorkbenchException("The treebank has no leaves.");
        var terminals = new Alphabet(leaves);
        var builder = new CfgBuilder<Real>(terminals);
        builder.Nonterminal(start);
        var counts = new Dictionary<(int Lhs, string Key), (GrammarSymbol[] Rhs, double Count)>();
        foreach (var node in internalNodes)
        {
            var rhs = node.Children.Select(c => c.IsLeaf ? GrammarSymbol.Terminal(terminals.IdOf(c.Label)) : GrammarSymbol.Nonterminal(builder.Nonterminal(c.Label))).ToArray();
            var key = (builder.Nonterminal(node.Label), string.Join(" ", node.Children.Select(c => (c.IsLeaf ? "'" : "") + c.Label)));
            counts[key] = counts.TryGetValue(key, out var seen) ? (seen.Rhs, seen.Count + 1) : (rhs, 1);
        }
        foreach (var ((lhs, _), (rhs, count)) in counts) builder.AddRule(lhs, rhs, new Real(count));
        var counted = builder.Build(0);
        return RelativeFrequencies(counted, counted.Rules.Select(r => r.Weight.Value).ToArray());
    }

    /// <summary>
    /// EM from strings: each iteration sums the inside–outside expected counts over the corpus (E-step) and
    /// takes relative frequencies (M-step). The corpus log-likelihood never decreases. O(iterations·Σ n³·|G|).
    /// </summary>
    /// <exception cref="WorkbenchException">The grammar is not a CNF PCFG, or some string has probability 0 under a grammar EM reaches.</exception>
    public static IReadOnlyList<EmIteration> ExpectationMaximization(Cfg<Real> initial, IReadOnlyList<int[]> corpus, int iterations, Action<EmIteration>? progress = null)
    {
        PcfgValidation.Validate(initial);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        var history = new List<EmIteration>();
        var grammar = initial;
        for (var iteration = 1; iteration <= iterations; iteration++)
        {
            var counts = new double[grammar.Rules.Count];
            var logLikelihood = 0.0;
            foreach (var y in corpus)
            {
                var (expected, logProbability) = InsideOutside.ExpectedCounts(grammar, y);
                for (var r = 0; r < counts.Length; r++) counts[r] += expected[r];
                logLikelihood += logProbability;
            }
            grammar = RelativeFrequencies(grammar, counts);
            var step = new EmIteration(iteration, logLikelihood, grammar);
            history.Add(step);
            progress?.Invoke(step);
        }
        return history;
    }
}
