using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars.Parsing;

/// <summary>
/// Prefix probabilities of a CNF PCFG by the original algorithm of Jelinek &amp; Lafferty (1991), kept as the
/// reference for <see cref="PrefixParser"/>: π(y) = Σ_{y′} p(yy′) over finite strings is pp(S, 0, n), where
/// pp(X, n−1, n) = Σ_Y Q_L[X, Y]·p(Y → yₙ) and pp(X, i, n) = Σ_{i&lt;k&lt;n} Σ_{U,V} R[X, U, V]·β(U, i, k)·pp(V, k, n)
/// with the left-corner tables of <see cref="LeftCornerTables"/>. Each prefix costs O(n²|N|³), so all prefixes
/// of a string of length n cost O(n³|N|³). Unscaled: prefixes whose probability underflows a double read 0.
/// Notes §4.2 (P5.10).
/// </summary>
public sealed class JelinekLaffertyParser
{
    private readonly LeftCornerTables _corners;

    /// <summary>Precomputes the left-corner closure of a CNF PCFG. O(|N|³ + |G|·|N|).</summary>
    /// <exception cref="Formal.Errors.WorkbenchException">The grammar is not a CNF PCFG.</exception>
    public JelinekLaffertyParser(Cfg<Real> grammar) => _corners = new LeftCornerTables(grammar);

    /// <summary>π(y) for the prefix y. O(|y|³(|N|³ + |N|²) + |y|²·|binary rules|).</summary>
    public double PrefixProbability(ReadOnlySpan<int> y)
    {
        var tables = _corners.Tables;
        if (y.Length == 0) return _corners.Completion[tables.Start];
        var chart = InsideChart.Empty(tables).ExtendAll(y);
        var n = tables.Nonterminals;
        var j = y.Length;
        var prefix = new double[j * n];   // [i·|N| + X] = pp(X, i, j)
        _corners.LexicalCorner(y[j - 1]).CopyTo(prefix.AsSpan((j - 1) * n, n));
        for (var i = j - 2; i >= 0; i--)
            for (var k = i + 1; k < j; k++)
                for (var u = 0; u < n; u++)
                {
                    var complete = Math.Exp(chart.LogInside(u, i, k));
                    if (complete == 0) continue;
                    for (var x = 0; x < n; x++)
                    {
                        var corner = _corners.BinaryCorner(x).Slice(u * n, n);
                        prefix[i * n + x] += complete * BinaryRuleTensor.Dot(corner, prefix.AsSpan(k * n, n));
                    }
                }
        return prefix[tables.Start];
    }
}
