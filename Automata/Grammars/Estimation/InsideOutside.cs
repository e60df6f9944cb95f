using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars.Estimation;

/// <summary>
/// Expected rule counts of a CNF PCFG on a string by the inside–outside algorithm: with inside β(X, i, j) and
/// outside α(X, i, j) (α(S, 0, n) = 1, and α of a child from its parent's α times its sibling's β), the rule
/// X → Y Z is used E[c] = Σ_{i&lt;k&lt;j} w·α(X, i, j)·β(Y, i, k)·β(Z, k, j)/p(y) times in expectation, and X → a
/// at position i, w·α(X, i, i+1)/p(y) times. These are the derivatives of log p(y) with respect to the log
/// rule weights (P4.12 for grammars). O(n³·|binary rules|); unscaled, for strings whose probability a double holds.
/// Notes §4.2.
/// </summary>
public static class InsideOutside
{
    /// <summary>The expected number of uses of each rule (indexed like <see cref="Cfg{T}.Rules"/>) in a derivation of y, and log p(y).</summary>
    /// <exception cref="WorkbenchException">The grammar is not in CNF, or y has probability 0 (or below what a double holds).</exception>
    public static (double[] Counts, double LogProbability) ExpectedCounts(Cfg<Real> grammar, ReadOnlySpan<int> y)
    {
        if (!grammar.IsChomskyNormalForm) throw new NotInChomskyNormalFormException("Inside–outside needs a grammar in Chomsky normal form.");
        grammar.Terminals.Validate(y);
        var n = y.Length;
        var rules = grammar.Rules;
        var counts = new double[rules.Count];
        if (n == 0)
        {
            var empty = 0.0;
            for (var r = 0; r < rules.Count; r++)
                if (rules[r].Rhs.Length == 0) empty += rules[r].Weight.Value;
            if (!(empty > 0)) throw new WorkbenchException("The empty string has probability 0 under the grammar.");
            for (var r = 0; r < rules.Count; r++)
                if (rules[r].Rhs.Length == 0) counts[r] = rules[r].Weight.Value / empty;
            return (counts, Math.Log(empty));
        }
        var size = grammar.Nonterminals.Count;
        int Cell(int i, int j, int x) => (i * (n + 1) + j) * size + x;
        var inside = new double[(n + 1) * (n + 1) * size];
        var outside = new double[inside.Length];
        for (var i = 0; i < n; i++)
            foreach (var rule in rules)
                if (rule.Rhs.Length == 1 && rule.Rhs[0].Id == y[i]) inside[Cell(i, i + 1, rule.Lhs)] += rule.Weight.Value;
        for (var width = 2; width <= n; width++)
            for (var i = 0; i + width <= n; i++)
                for (var k = i + 1; k < i + width; k++)
                    foreach (var rule in rules)
                        if (rule.Rhs.Length == 2)
                            inside[Cell(i, i + width, rule.Lhs)] += rule.Weight.Value * inside[Cell(i, k, rule.Rhs[0].Id)] * inside[Cell(k, i + width, rule.Rhs[1].Id)];
        var probability = inside[Cell(0, n, grammar.Start)];
        if (!(probability > 0))
            throw new WorkbenchException($"The string {grammar.Terminals.Format(y)} has probability 0 under the grammar (or one too small for a double), so it has no expected counts.");
        outside[Cell(0, n, grammar.Start)] = 1;
        for (var width = n; width >= 2; width--)
            for (var i = 0; i + width <= n; i++)
            {
                var j = i + width;
                for (var r = 0; r < rules.Count; r++)
                {
                    var rule = rules[r];
                    if (rule.Rhs.Length != 2) continue;
                    var parent = outside[Cell(i, j, rule.Lhs)] * rule.Weight.Value;
                    if (parent == 0) continue;
                    for (var k = i + 1; k < j; k++)
                    {
                        double left = inside[Cell(i, k, rule.Rhs[0].Id)], right = inside[Cell(k, j, rule.Rhs[1].Id)];
                        outside[Cell(i, k, rule.Rhs[0].Id)] += parent * right;
                        outside[Cell(k, j, rule.Rhs[1].Id)] += parent * left;
                        counts[r] += parent * left * right / probability;
                    }
                }
            }
        for (var r = 0; r < rules.Count; r++)
        {
            var rule = rules[r];
            if (rule.Rhs.Length != 1) continue;
            for (var i = 0; i < n; i++)
                if (rule.Rhs[0].Id == y[i]) counts[r] += rule.Weight.Value * outside[Cell(i, i + 1, rule.Lhs)] / probability;
        }
        return (counts, Math.Log(probability));
    }
}
