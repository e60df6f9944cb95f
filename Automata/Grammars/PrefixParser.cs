using MathNet.Numerics.LinearAlgebra;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars;

/// <summary>
/// The chart of a prefix y₁…yₙ under a CNF PCFG: for every span end j ≤ n, the inside probabilities
/// inside(U, i, j) of the complete spans ending at j and the prefix probabilities pp(X, i, j) of the spans
/// starting at i that reach the prefix's end. Columns are never modified, so a longer prefix shares them.
/// </summary>
public sealed class PrefixChart
{
    internal PrefixChart(IReadOnlyList<double[]> inside, IReadOnlyList<double[]> prefix, int[] symbols)
    {
        InsideColumns = inside;
        PrefixColumns = prefix;
        Symbols = symbols;
    }

    /// <summary>The prefix.</summary>
    public int[] Symbols { get; }

    // Column j holds inside[i * |N| + U] for spans (i, j], and prefix[i * |N| + X] for prefixes y_{i+1..j} started by X.
    internal IReadOnlyList<double[]> InsideColumns { get; }

    internal IReadOnlyList<double[]> PrefixColumns { get; }
}

/// <summary>
/// Prefix probabilities of a PCFG in Chomsky normal form (Jelinek &amp; Lafferty 1991): π(y) = Σ_{y′} p(yy′)
/// over finite strings, from left-corner chains Q_L = (I − P_L)⁻¹ with P_L[X, Y] = Σ_Z p(X → Y Z)·Z(Z) (a
/// right sibling only contributes its completion mass), R[X, U, V] = Σ_Y Q_L[X, Y]·p(Y → U V), and
/// pp(X, i, i) = Σ_Y Q_L[X, Y]·p(Y → yᵢ), pp(X, i, j) = Σ_{k, U, V} R[X, U, V]·inside(U, i, k)·pp(V, k + 1, j).
/// Extending a prefix by one symbol adds one chart column: O(n²|N|³ + n²|binary rules|) for prefix length n.
/// Notes §4.2 (P5.10).
/// </summary>
public sealed class PrefixParser
{
    private readonly Cfg<Real> _grammar;
    private readonly int _n;
    private readonly double[] _lexicalCorner;   // [a * |N| + X] = Σ_Y Q_L[X, Y]·p(Y → a)
    private readonly double[] _binaryCorner;    // [(X * |N| + U) * |N| + V] = R[X, U, V]
    private readonly (int Lhs, int Left, int Right, double Weight)[] _binary;
    private readonly double[] _lexical;         // [a * |N| + X] = p(X → a)

    /// <summary>Precomputes the left-corner closure of a CNF PCFG. O(|N|³ + |G|·|N|).</summary>
    /// <exception cref="WorkbenchException">The grammar is not in Chomsky normal form.</exception>
    public PrefixParser(Cfg<Real> grammar)
    {
        if (!grammar.IsChomskyNormalForm) throw new WorkbenchException("Prefix probabilities need a grammar in Chomsky normal form.");
        PcfgValidation.Validate(grammar);
        _grammar = grammar;
        _n = grammar.Nonterminals.Count;
        Completion = Treesum.Newton(grammar).Values;
        _binary = grammar.Rules.Where(r => r.Rhs.Length == 2).Select(r => (r.Lhs, r.Rhs[0].Id, r.Rhs[1].Id, r.Weight.Value)).ToArray();
        var leftCorner = Matrix<double>.Build.Dense(_n, _n);
        foreach (var (lhs, left, right, weight) in _binary) leftCorner[lhs, left] += weight * Completion[right];
        var closure = (Matrix<double>.Build.DenseIdentity(_n) - leftCorner).Inverse();
        var size = grammar.Terminals.Size;
        _lexical = new double[size * _n];
        foreach (var rule in grammar.Rules.Where(r => r.Rhs.Length == 1)) _lexical[rule.Rhs[0].Id * _n + rule.Lhs] += rule.Weight.Value;
        _lexicalCorner = new double[size * _n];
        for (var a = 0; a < size; a++)
            for (var x = 0; x < _n; x++)
                for (var y = 0; y < _n; y++) _lexicalCorner[a * _n + x] += closure[x, y] * _lexical[a * _n + y];
        _binaryCorner = new double[_n * _n * _n];
        foreach (var (lhs, left, right, weight) in _binary)
            for (var x = 0; x < _n; x++) _binaryCorner[(x * _n + left) * _n + right] += closure[x, lhs] * weight;
    }

    /// <summary>Z(X), the finite-string mass of each nonterminal (1 for every nonterminal of a tight grammar).</summary>
    public double[] Completion { get; }

    /// <summary>The chart of the empty prefix.</summary>
    public PrefixChart Empty => new([], [], []);

    /// <summary>π(ε) = Z(S).</summary>
    public double PrefixProbability(PrefixChart chart) =>
        chart.Symbols.Length == 0 ? Completion[_grammar.Start] : chart.PrefixColumns[^1][_grammar.Start];

    /// <summary>p(y) = inside(S, 0, n) for the chart's prefix y (Z(S)'s ε part is 0 in this grammar class unless S → ε).</summary>
    public double StringProbability(PrefixChart chart)
    {
        if (chart.Symbols.Length == 0)
            return _grammar.RulesOf(_grammar.Start).ToArray().Where(r => r.Rhs.Length == 0).Sum(r => r.Weight.Value);
        return chart.InsideColumns[^1][_grammar.Start];
    }

    /// <summary>The chart of the prefix extended by <paramref name="symbol"/>: one new column. O(n²·(|N|³ + |binary rules|)).</summary>
    public PrefixChart Extend(PrefixChart chart, int symbol)
    {
        _grammar.Terminals.Validate([symbol]);
        var j = chart.Symbols.Length + 1;
        var inside = new double[j * _n];
        var prefix = new double[j * _n];
        // Inside of spans (i, j]: the new terminal, then wider spans from narrower ones.
        for (var x = 0; x < _n; x++) inside[(j - 1) * _n + x] = _lexical[symbol * _n + x];
        for (var i = j - 2; i >= 0; i--)
            for (var k = i + 1; k < j; k++)
                foreach (var (lhs, left, right, weight) in _binary)
                {
                    var l = chart.InsideColumns[k - 1][i * _n + left];
                    if (l == 0) continue;
                    var r = inside[k * _n + right];
                    if (r != 0) inside[i * _n + lhs] += weight * l * r;
                }
        // Prefixes y_{i+1..j}: a single symbol through the left-corner chain, else a complete left part (i, k] and a prefix (k, j].
        for (var x = 0; x < _n; x++) prefix[(j - 1) * _n + x] = _lexicalCorner[symbol * _n + x];
        for (var i = j - 2; i >= 0; i--)
            for (var k = i + 1; k < j; k++)
                for (var u = 0; u < _n; u++)
                {
                    var complete = chart.InsideColumns[k - 1][i * _n + u];
                    if (complete == 0) continue;
                    for (var v = 0; v < _n; v++)
                    {
                        var rest = prefix[k * _n + v];
                        if (rest == 0) continue;
                        for (var x = 0; x < _n; x++) prefix[i * _n + x] += _binaryCorner[(x * _n + u) * _n + v] * complete * rest;
                    }
                }
        return new PrefixChart([.. chart.InsideColumns, inside], [.. chart.PrefixColumns, prefix], [.. chart.Symbols, symbol]);
    }
}
