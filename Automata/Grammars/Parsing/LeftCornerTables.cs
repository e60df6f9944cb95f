using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars.Parsing;

/// <summary>
/// The left-corner closure of a CNF PCFG that prefix probabilities rest on (Jelinek &amp; Lafferty 1991):
/// P_L[X, Y] = Σ_Z p(X → Y Z)·Z(Z) (Y's yield covers the prefix, its right sibling only contributes its
/// completion mass Z(Z)), Q_L = (I − P_L)⁻¹, the lexical corners Σ_Y Q_L[X, Y]·p(Y → a), and the binary corners
/// R[X, U, V] = Σ_Y Q_L[X, Y]·p(Y → U V). O(|N|³ + |G|·|N|) time, O(|N|³) memory. Notes §4.2 (P5.10).
/// </summary>
internal sealed class LeftCornerTables
{
    /// <summary>Beyond this many nonterminals the dense corner tensor R (|N|³ doubles) would exceed 1 GiB.</summary>
    public const int MaxNonterminals = 512;

    private readonly double[] _lexicalCorner;   // [a·|N| + X]
    private readonly double[] _binaryCorner;    // [(X·|N| + U)·|N| + V]

    public LeftCornerTables(Cfg<Real> grammar)
    {
        Tables = new CnfTables(grammar);
        PcfgValidation.Validate(grammar);
        var n = Tables.Nonterminals;
        if (n > MaxNonterminals)
            throw new BudgetExceededException($"Prefix probabilities need a dense |N|³ corner tensor; {n} nonterminals is more than the supported {MaxNonterminals}.");
        Completion = Treesum.Newton(grammar).Values;
        var binary = grammar.Rules.Where(r => r.Rhs.Length == 2).ToArray();
        var leftCorner = Matrix<double>.Build.Dense(n, n);
        foreach (var rule in binary) leftCorner[rule.Lhs, rule.Rhs[0].Id] += rule.Weight.Value * Completion[rule.Rhs[1].Id];
        var closure = NonNegativeClosure(leftCorner);
        var size = grammar.Terminals.Size;
        _lexicalCorner = new double[size * n];
        for (var a = 0; a < size; a++)
        {
            var lexical = Tables.Lexical(a);
            for (var x = 0; x < n; x++)
                for (var y = 0; y < n; y++) _lexicalCorner[a * n + x] += closure[x, y] * lexical[y];
        }
        _binaryCorner = new double[n * n * n];
        foreach (var rule in binary)
            for (var x = 0; x < n; x++)
                _binaryCorner[(x * n + rule.Rhs[0].Id) * n + rule.Rhs[1].Id] += closure[x, rule.Lhs] * rule.Weight.Value;
    }

    // (I − P_L)⁻¹ by LU, with its structural zeros kept exactly zero (the reflexive-transitive closure of P_L's graph)
    // and rounding below zero clamped: the true inverse of I − P for P ≥ 0 with ρ(P) < 1 is a non-negative series, and a
    // negative or spurious entry would become NaN or a positive probability for an impossible next symbol.
    private static Matrix<double> NonNegativeClosure(Matrix<double> leftCorner)
    {
        var n = leftCorner.RowCount;
        var closure = (Matrix<double>.Build.DenseIdentity(n) - leftCorner).Inverse();
        for (var x = 0; x < n; x++)
        {
            var reached = new bool[n];
            reached[x] = true;
            var stack = new Stack<int>([x]);
            while (stack.TryPop(out var y))
                for (var z = 0; z < n; z++)
                    if (leftCorner[y, z] > 0 && !reached[z])
                    {
                        reached[z] = true;
                        stack.Push(z);
                    }
            for (var y = 0; y < n; y++) closure[x, y] = reached[y] && closure[x, y] > 0 ? closure[x, y] : 0;
        }
        return closure;
    }

    public CnfTables Tables { get; }

    /// <summary>Z(X), the finite-string mass of each nonterminal.</summary>
    public ImmutableArray<double> Completion { get; }

    /// <summary>Σ_Y Q_L[·, Y]·p(Y → a): the weight of each nonterminal starting a prefix whose first symbol is a, reached by its left spine.</summary>
    public ReadOnlySpan<double> LexicalCorner(int terminal) => _lexicalCorner.AsSpan(terminal * Tables.Nonterminals, Tables.Nonterminals);

    /// <summary>R[X, ·, ·] as a row-major |N| × |N| matrix.</summary>
    public ReadOnlySpan<double> BinaryCorner(int nonterminal) =>
        _binaryCorner.AsSpan(nonterminal * Tables.Nonterminals * Tables.Nonterminals, Tables.Nonterminals * Tables.Nonterminals);
}
