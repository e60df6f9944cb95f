using System.Numerics;
using System.Runtime.InteropServices;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars.Parsing;

/// <summary>
/// The binary rules X → Y Z of a real-weighted CNF grammar as a sparse |N| × |N|² matrix W[X, Y·|N| + Z], the
/// operator that turns the outer-product sum O[Y, Z] = Σ_k β(Y, i, k)·β(Z, k, j) of a span into its inside
/// vector β(·, i, j) = W·O. Reducing every span to one outer-product accumulation (O(|N|²) per split point) and
/// one matrix–vector product (O(|binary rules|) per span) is what makes CKY O(n³|N|² + n²|G|) rather than
/// O(n³|G|); rows that are full use a SIMD dot product. Notes §4.2 (P5.5).
/// </summary>
internal sealed class BinaryRuleTensor
{
    private readonly int[] _rowOffsets;
    private readonly int[] _columns;
    private readonly double[] _weights;

    public BinaryRuleTensor(Cfg<Real> grammar)
    {
        Nonterminals = grammar.Nonterminals.Count;
        var n = Nonterminals;
        // Merge duplicate rules, then lay the rows out in column order.
        var rows = new SortedDictionary<int, double>[n];
        for (var x = 0; x < n; x++) rows[x] = [];
        foreach (var rule in grammar.Rules)
        {
            if (rule.Rhs.Length != 2) continue;
            var column = rule.Rhs[0].Id * n + rule.Rhs[1].Id;
            rows[rule.Lhs][column] = rows[rule.Lhs].GetValueOrDefault(column) + rule.Weight.Value;
        }
        _rowOffsets = new int[n + 1];
        for (var x = 0; x < n; x++) _rowOffsets[x + 1] = _rowOffsets[x] + rows[x].Count;
        _columns = new int[_rowOffsets[n]];
        _weights = new double[_rowOffsets[n]];
        for (var x = 0; x < n; x++)
        {
            var p = _rowOffsets[x];
            foreach (var (column, weight) in rows[x])
            {
                _columns[p] = column;
                _weights[p++] = weight;
            }
        }
    }

    /// <summary>|N|.</summary>
    public int Nonterminals { get; }

    /// <summary>outer[Y·|N| + Z] += factor·left[Y]·right[Z]. O(|N|²), vectorised.</summary>
    public static void AccumulateOuterProduct(ReadOnlySpan<double> left, ReadOnlySpan<double> right, double factor, Span<double> outer)
    {
        var n = left.Length;
        for (var y = 0; y < n; y++)
        {
            var a = factor * left[y];
            if (a == 0) continue;
            Axpy(a, right, outer.Slice(y * n, n));
        }
    }

    /// <summary>result[X] = Σ_{Y,Z} W[X, Y·|N| + Z]·outer[Y·|N| + Z]. O(|binary rules|).</summary>
    public void Contract(ReadOnlySpan<double> outer, Span<double> result)
    {
        var full = Nonterminals * Nonterminals;
        for (var x = 0; x < Nonterminals; x++)
        {
            int from = _rowOffsets[x], to = _rowOffsets[x + 1];
            if (to - from == full)
            {
                result[x] = Dot(_weights.AsSpan(from, full), outer);
                continue;
            }
            var sum = 0.0;
            for (var p = from; p < to; p++) sum += _weights[p] * outer[_columns[p]];
            result[x] = sum;
        }
    }

    /// <summary>Σ_i a[i]·b[i], vectorised with four independent accumulators so that additions do not wait on each other.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var vectors = MemoryMarshal.Cast<double, Vector<double>>(a);
        var others = MemoryMarshal.Cast<double, Vector<double>>(b[..a.Length]);
        Vector<double> s0 = Vector<double>.Zero, s1 = Vector<double>.Zero, s2 = Vector<double>.Zero, s3 = Vector<double>.Zero;
        var i = 0;
        for (; i + 4 <= vectors.Length; i += 4)
        {
            s0 += vectors[i] * others[i];
            s1 += vectors[i + 1] * others[i + 1];
            s2 += vectors[i + 2] * others[i + 2];
            s3 += vectors[i + 3] * others[i + 3];
        }
        for (; i < vectors.Length; i++) s0 += vectors[i] * others[i];
        var sum = Vector.Sum(s0 + s1 + (s2 + s3));
        for (var r = vectors.Length * Vector<double>.Count; r < a.Length; r++) sum += a[r] * b[r];
        return sum;
    }

    /// <summary>y += a·x, vectorised.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        var xs = MemoryMarshal.Cast<double, Vector<double>>(x);
        var ys = MemoryMarshal.Cast<double, Vector<double>>(y[..x.Length]);
        var scale = new Vector<double>(a);
        for (var i = 0; i < xs.Length; i++) ys[i] += scale * xs[i];
        for (var i = xs.Length * Vector<double>.Count; i < x.Length; i++) y[i] += a * x[i];
    }
}
