using System.Collections.Immutable;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars.Parsing;

/// <summary>
/// The inside chart of a string under a real-weighted CNF grammar, built one column (span end) at a time:
/// column j holds β(X, i, j), the weight of X deriving y_{i+1..j}, for every i &lt; j. Every span's vector is
/// stored normalised to maximum 1 with its logarithmic scale beside it, so long strings never underflow. Each
/// span costs one outer-product accumulation per split point and one contraction with the binary-rule
/// tensor, so a string of length n costs O(n³|N|² + n²·|binary rules|) (vectorised), and extending the
/// chart by one symbol reuses every earlier column. Immutable; extensions share columns. Notes §4.2 (P5.5).
/// </summary>
public sealed class InsideChart
{
    private readonly CnfTables _tables;
    private readonly Column[] _columns;

    private InsideChart(CnfTables tables, Column[] columns, ImmutableArray<int> symbols)
    {
        _tables = tables;
        _columns = columns;
        Symbols = symbols;
    }

    /// <summary>The most entries (span × nonterminal) a chart may hold, so an overlong string is refused instead of exhausting memory.</summary>
    public const double MaxChartEntries = 1 << 28;

    private void RequireFits(int length)
    {
        var entries = (double)length * length / 2 * _tables.Nonterminals;
        if (entries > MaxChartEntries)
            throw new BudgetExceededException(FormattableString.Invariant(
                $"A string of length {length} needs an inside chart of about {entries:G3} entries under {_tables.Nonterminals} nonterminals, more than the {MaxChartEntries:G3} (about 2 GiB) a chart may hold."));
    }

    /// <summary>The chart of the empty string under <paramref name="grammar"/>. O(|G| log |G|).</summary>
    /// <exception cref="WorkbenchException">The grammar is not in Chomsky normal form.</exception>
    public static InsideChart Empty(Cfg<Real> grammar) => new(new CnfTables(grammar), [], []);

    internal static InsideChart Empty(CnfTables tables) => new(tables, [], []);

    /// <summary>The string the chart covers.</summary>
    public ImmutableArray<int> Symbols { get; }

    /// <summary>n, the string's length.</summary>
    public int Length => Symbols.Length;

    /// <summary>log β(X, i, j) for 0 ≤ i &lt; j ≤ n: the log weight of X ⇒* y_{i+1..j}. O(1).</summary>
    public double LogInside(int nonterminal, int i, int j)
    {
        var column = _columns[j - 1];
        return Math.Log(column.Values[i * _tables.Nonterminals + nonterminal]) + column.LogScales[i];
    }

    /// <summary>log G(y) = log β(S, 0, n), or the log weight of S → ε for the empty string. O(1).</summary>
    public double LogWeight => Length == 0 ? Math.Log(_tables.EmptyWeight) : LogInside(_tables.Start, 0, Length);

    /// <summary>β(·, i, j)/exp(scale) for i &lt; j: the span's normalised inside vector.</summary>
    internal ReadOnlySpan<double> Normalised(int i, int j) => _columns[j - 1].Values.AsSpan(i * _tables.Nonterminals, _tables.Nonterminals);

    /// <summary>The log scale of span (i, j]; −∞ when no nonterminal derives it.</summary>
    internal double LogScale(int i, int j) => _columns[j - 1].LogScales[i];

    /// <summary>The chart of y·<paramref name="symbol"/>: one new column. O(n²|N|² + n·|binary rules|).</summary>
    /// <exception cref="Formal.Errors.UnknownSymbolException">The symbol is not in Σ.</exception>
    public InsideChart Extend(int symbol)
    {
        _tables.Terminals.Validate([symbol]);
        var size = _tables.Nonterminals;
        var j = Length + 1;
        RequireFits(j);
        var column = new Column(new double[j * size], new double[j]);
        var extended = new InsideChart(_tables, [.. _columns, column], [.. Symbols, symbol]);
        _tables.Lexical(symbol).CopyTo(column.Values.AsSpan((j - 1) * size, size));
        column.LogScales[j - 1] = ScaledVectors.Normalise(column.Values.AsSpan((j - 1) * size, size), 0);
        var outer = new double[size * size];
        for (var i = j - 2; i >= 0; i--)
        {
            // Scale every split point relative to the largest, then one outer product per split point.
            var top = double.NegativeInfinity;
            for (var k = i + 1; k < j; k++) top = Math.Max(top, extended.LogScale(i, k) + extended.LogScale(k, j));
            var target = column.Values.AsSpan(i * size, size);
            if (double.IsNegativeInfinity(top))
            {
                column.LogScales[i] = double.NegativeInfinity;
                continue;
            }
            Array.Clear(outer);
            for (var k = i + 1; k < j; k++)
            {
                var factor = Math.Exp(extended.LogScale(i, k) + extended.LogScale(k, j) - top);
                if (factor > 0) BinaryRuleTensor.AccumulateOuterProduct(extended.Normalised(i, k), extended.Normalised(k, j), factor, outer);
            }
            _tables.Binary.Contract(outer, target);
            column.LogScales[i] = ScaledVectors.Normalise(target, top);
        }
        return extended;
    }

    /// <summary>The chart of y·<paramref name="symbols"/>.</summary>
    public InsideChart ExtendAll(ReadOnlySpan<int> symbols)
    {
        RequireFits(Length + symbols.Length);
        var chart = this;
        foreach (var symbol in symbols) chart = chart.Extend(symbol);
        return chart;
    }

    private sealed record Column(double[] Values, double[] LogScales);
}

/// <summary>A real-weighted CNF grammar laid out for chart parsing: the binary-rule tensor and the lexical rules by terminal.</summary>
internal sealed class CnfTables
{
    private readonly double[] _lexical;   // [a·|N| + X] = w(X → a)

    public CnfTables(Cfg<Real> grammar)
    {
        if (!grammar.IsChomskyNormalForm)
            throw new NotInChomskyNormalFormException("Chart parsing needs a grammar in Chomsky normal form (rules X → Y Z, X → 'a', and S → ε with S on no right-hand side); convert it first (ChomskyNormalForm.Convert).");
        Grammar = grammar;
        Binary = new BinaryRuleTensor(grammar);
        _lexical = new double[grammar.Terminals.Size * Nonterminals];
        foreach (var rule in grammar.Rules)
        {
            if (rule.Rhs.Length == 1) _lexical[rule.Rhs[0].Id * Nonterminals + rule.Lhs] += rule.Weight.Value;
            if (rule.Rhs.Length == 0) EmptyWeight += rule.Weight.Value;
        }
    }

    public Cfg<Real> Grammar { get; }

    public BinaryRuleTensor Binary { get; }

    public Formal.Symbols.Alphabet Terminals => Grammar.Terminals;

    public int Nonterminals => Binary.Nonterminals;

    public int Start => Grammar.Start;

    /// <summary>The weight of S → ε.</summary>
    public double EmptyWeight { get; }

    /// <summary>w(· → a) as a vector over nonterminals.</summary>
    public ReadOnlySpan<double> Lexical(int terminal) => _lexical.AsSpan(terminal * Nonterminals, Nonterminals);
}
