using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars.Parsing;

/// <summary>
/// The inside algorithm (CKY) for a grammar in Chomsky normal form over any semiring: β[i, j, X] is the
/// ⊕-sum over the trees of X yielding y[i..j), built span by span from X → a and X → Y Z rules; the string's
/// weight is β[0, n, S] (and the weight of S → ε for the empty string). With Real it is the string's
/// probability, with Log the same in log space, with MaxTimes the Viterbi score, with Counting the number
/// of derivations. O(n³·|binary rules| + n·|lexical rules|) time, O(n²·|N|) memory. Notes §4.2 (P5.5).
/// </summary>
public static class Inside
{
    /// <summary>
    /// log G(y) for a real-weighted CNF grammar by the scaled, vectorised <see cref="InsideChart"/>, so long
    /// strings cannot underflow. O(n³|N|² + n²·|binary rules|).
    /// </summary>
    public static double LogWeight(Cfg<Real> grammar, ReadOnlySpan<int> y) => InsideChart.Empty(grammar).ExtendAll(y).LogWeight;

    /// <summary>The weight G(y) of a string.</summary>
    /// <exception cref="WorkbenchException">The grammar is not in Chomsky normal form.</exception>
    /// <exception cref="Formal.Errors.UnknownSymbolException">y has an id outside Σ.</exception>
    public static T Weight<T>(Cfg<T> grammar, ReadOnlySpan<int> y) where T : struct, ISemiring<T>
    {
        if (!grammar.IsChomskyNormalForm)
            throw new NotInChomskyNormalFormException("The inside algorithm needs a grammar in Chomsky normal form (rules X → Y Z, X → 'a', and S → ε with S on no right-hand side).");
        grammar.Terminals.Validate(y);
        var n = y.Length;
        var start = grammar.Start;
        if (n == 0)
        {
            var empty = T.Zero;
            foreach (var rule in grammar.RulesOf(start))
                if (rule.Rhs.Length == 0) empty = T.Add(empty, rule.Weight);
            return empty;
        }
        var nonterminals = grammar.Nonterminals.Count;
        var binary = grammar.Rules.Where(r => r.Rhs.Length == 2).ToArray();
        // chart[(i * (n + 1) + j) * |N| + X] for 0 ≤ i < j ≤ n.
        var chart = new T[(n + 1) * (n + 1) * nonterminals];
        Array.Fill(chart, T.Zero);
        int Cell(int i, int j) => (i * (n + 1) + j) * nonterminals;
        for (var i = 0; i < n; i++)
            foreach (var rule in grammar.Rules)
                if (rule.Rhs.Length == 1 && rule.Rhs[0].Id == y[i])
                    chart[Cell(i, i + 1) + rule.Lhs] = T.Add(chart[Cell(i, i + 1) + rule.Lhs], rule.Weight);
        for (var width = 2; width <= n; width++)
            for (var i = 0; i + width <= n; i++)
            {
                var j = i + width;
                var target = Cell(i, j);
                for (var k = i + 1; k < j; k++)
                {
                    int left = Cell(i, k), right = Cell(k, j);
                    foreach (var rule in binary)
                    {
                        var l = chart[left + rule.Rhs[0].Id];
                        if (l.Equals(T.Zero)) continue;
                        var r = chart[right + rule.Rhs[1].Id];
                        if (r.Equals(T.Zero)) continue;
                        chart[target + rule.Lhs] = T.Add(chart[target + rule.Lhs], T.Multiply(rule.Weight, T.Multiply(l, r)));
                    }
                }
            }
        return chart[Cell(0, n) + start];
    }
}
