using System.Collections.Immutable;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars.Parsing;

/// <summary>
/// The state of <see cref="PrefixParser"/> after a prefix y₁…yⱼ: its inside chart and the forward vectors
/// f₀…fⱼ (each normalised to maximum 1, with its log scale). Immutable; a longer prefix shares everything.
/// </summary>
public sealed class PrefixState
{
    internal PrefixState(InsideChart inside, IReadOnlyList<double[]> forward, IReadOnlyList<double> forwardScales, IReadOnlyList<double[]> spines)
    {
        Inside = inside;
        Forward = forward;
        ForwardScales = forwardScales;
        Spines = spines;
    }

    /// <summary>The inside chart of the prefix.</summary>
    public InsideChart Inside { get; }

    /// <summary>The prefix.</summary>
    public ImmutableArray<int> Symbols => Inside.Symbols;

    // Forward[k][X]·exp(ForwardScales[k]) = f_k[X]; Spines[k] = Σ_X f_k[X]·R[X, ·, ·] (normalised like f_k).
    internal IReadOnlyList<double[]> Forward { get; }

    internal IReadOnlyList<double> ForwardScales { get; }

    internal IReadOnlyList<double[]> Spines { get; }
}

/// <summary>
/// Prefix probabilities and next-symbol distributions of a CNF PCFG, in the complexity class of Nowak &amp;
/// Cotterell (2023) and below it. Unrolling the Jelinek–Lafferty recursion (see
/// <see cref="JelinekLaffertyParser"/>) from the start symbol gives π(y₁…yⱼ₊₁) = fⱼ·c(yⱼ₊₁), where c(a) is the
/// lexical-corner vector and the forward vectors obey f₀ = e_S and fⱼ[V] = Σ_{i&lt;j} Σ_U Hᵢ[U, V]·β(U, i, j)
/// with Hᵢ[U, V] = Σ_X fᵢ[X]·R[X, U, V]: the total weight of the left spines from S down to a complete
/// constituent ending at j with an open right sibling V. Since fⱼ does not depend on what follows j, one
/// vector serves every continuation: all |Σ| next-symbol probabilities cost O(|Σ||N|), and extending the prefix
/// costs its inside column plus O(j|N|² + |N|³) — O(n³|N|² + n²|binary rules| + n|N|³) for all prefixes of a
/// string of length n, against O(n²|N|³ + n³|N|²) for Nowak &amp; Cotterell and O(n³|N|³) for Jelinek–Lafferty.
/// Everything is scaled, so long prefixes do not underflow. Notes §4.2 (P5.10).
/// </summary>
public sealed class PrefixParser
{
    private readonly LeftCornerTables _corners;

    /// <summary>Precomputes the left-corner closure of a CNF PCFG. O(|N|³ + |G|·|N|).</summary>
    /// <exception cref="Formal.Errors.WorkbenchException">The grammar is not a CNF PCFG, or has more than 512 nonterminals.</exception>
    public PrefixParser(Cfg<Real> grammar)
    {
        _corners = new LeftCornerTables(grammar);
        var n = _corners.Tables.Nonterminals;
        var start = new double[n];
        start[grammar.Start] = 1;
        Empty = new PrefixState(InsideChart.Empty(_corners.Tables), [start], [0.0], [Spine(start)]);
    }

    /// <summary>Z(X), the finite-string mass of each nonterminal (1 for every nonterminal of a tight grammar).</summary>
    public ImmutableArray<double> Completion => _corners.Completion;

    /// <summary>The state of the empty prefix.</summary>
    public PrefixState Empty { get; }

    /// <summary>log π(y) for the state's prefix y; log Z(S) for the empty prefix. O(|N|).</summary>
    public double LogPrefixProbability(PrefixState state)
    {
        var j = state.Symbols.Length;
        return j == 0 ? Math.Log(Completion[_corners.Tables.Start]) : LogContinuation(state, j - 1, state.Symbols[j - 1]);
    }

    /// <summary>log p(y) (the string itself, without continuation) by the inside chart. O(1).</summary>
    public double LogStringProbability(PrefixState state) => state.Inside.LogWeight;

    /// <summary>log π(ya) for every terminal a, written to <paramref name="logPrefixProbabilities"/>[a]. O(|Σ||N|).</summary>
    public void LogNextPrefixProbabilities(PrefixState state, Span<double> logPrefixProbabilities)
    {
        for (var a = 0; a < _corners.Tables.Terminals.Size; a++) logPrefixProbabilities[a] = LogContinuation(state, state.Symbols.Length, a);
    }

    /// <summary>The state after <paramref name="symbol"/>: one inside column and one forward vector. O(j²|N|² + j·|binary rules| + |N|³).</summary>
    /// <exception cref="Formal.Errors.UnknownSymbolException">The symbol is not in Σ.</exception>
    public PrefixState Extend(PrefixState state, int symbol)
    {
        var inside = state.Inside.Extend(symbol);
        var j = inside.Length;
        var n = _corners.Tables.Nonterminals;
        var top = double.NegativeInfinity;
        for (var i = 0; i < j; i++) top = Math.Max(top, state.ForwardScales[i] + inside.LogScale(i, j));
        var forward = new double[n];
        if (!double.IsNegativeInfinity(top))
            for (var i = 0; i < j; i++)
            {
                var factor = Math.Exp(state.ForwardScales[i] + inside.LogScale(i, j) - top);
                if (factor == 0) continue;
                var complete = inside.Normalised(i, j);
                var spine = state.Spines[i];
                for (var u = 0; u < n; u++)
                    if (complete[u] != 0) BinaryRuleTensor.Axpy(factor * complete[u], spine.AsSpan(u * n, n), forward);
            }
        var scale = ScaledVectors.Normalise(forward, top);
        return new PrefixState(inside, [.. state.Forward, forward], [.. state.ForwardScales, scale], [.. state.Spines, Spine(forward)]);
    }

    /// <summary>The state after every symbol of <paramref name="symbols"/>.</summary>
    public PrefixState ExtendAll(PrefixState state, ReadOnlySpan<int> symbols)
    {
        foreach (var symbol in symbols) state = Extend(state, symbol);
        return state;
    }

    // log π(y₁…y_k a) = log(f_k · c(a)).
    private double LogContinuation(PrefixState state, int k, int terminal) =>
        Math.Log(BinaryRuleTensor.Dot(state.Forward[k], _corners.LexicalCorner(terminal))) + state.ForwardScales[k];

    // H[U, V] = Σ_X f[X]·R[X, U, V].
    private double[] Spine(double[] forward)
    {
        var n = forward.Length;
        var spine = new double[n * n];
        for (var x = 0; x < n; x++)
            if (forward[x] != 0) BinaryRuleTensor.Axpy(forward[x], _corners.BinaryCorner(x), spine);
        return spine;
    }
}
