using MathNet.Numerics.LinearAlgebra;
using Workbench.Automata.Pathsums;
using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars;

/// <summary>
/// Tightness and expectations of a PCFG. Tightness two ways, reported together (P5.2, P5.3): the least
/// fixed point Z(S) of the generating-function system (tight iff Z(S) = 1), and the Booth–Thompson
/// criterion on the expected production-count matrix M_XY = Σ_{X→α} p·count_Y(α): ρ(M) &lt; 1 implies tight,
/// ρ(M) &gt; 1 implies not tight when M is irreducible. For subcritical grammars (ρ(M) &lt; 1), the expected
/// number of X-expansions is [(I − M)⁻¹]_{S,X}, from which come the expected derivation size, the expected
/// string length and the derivational entropy (Soule 1974, P5.9). Notes §4.2 (pp. 119–121).
/// </summary>
public static class PcfgAnalysis
{
    /// <summary>
    /// The tightness report of a PCFG: the verdict is the exact decision of <see cref="PcfgTermination"/> (rule sums read
    /// as decimals, ρ(M) ≤ 1 decided in integers), so critical grammars and rule sums a hair below 1 are decided
    /// right; the treesum by Newton is reported beside it with its residual.
    /// </summary>
    public static TightnessReport Tightness(Cfg<Real> grammar)
    {
        PcfgValidation.Validate(grammar);
        var decision = PcfgTermination.Decide(grammar);
        var treesum = Treesum.Newton(grammar, decision);
        var start = grammar.Start;
        var mass = treesum.Values[start];
        var leak = treesum.Leaks[start];
        var (lower, upper) = SpectralRadiusOfMoments(grammar);
        var irreducible = NonterminalGraph.Of(grammar).Components().Count == 1;
        var bound = Math.Max(treesum.Residual, 1e-15) * 16;
        var proper = decision.Decided && decision.Reason.All(r => r is null || !r.Contains("sum to"));
        var booth = !proper ? "M alone does not decide, since some rules do not sum to exactly 1"
            : upper < 1 ? "ρ(M) < 1, so the grammar is tight (Booth–Thompson)"
            : lower > 1 && irreducible ? "ρ(M) > 1 and M is irreducible, so the grammar is not tight (Booth–Thompson)"
            : lower > 1 ? "ρ(M) > 1, but M is reducible, so the decision goes component by component"
            : "ρ(M) ≈ 1: the grammar is critical, which the exact test decides";
        var verdict = decision.Terminates[start] switch
        {
            true => TightnessVerdict.Tight,
            false => TightnessVerdict.NotTight,
            null when !decision.Decided => Math.Abs(leak) <= Math.Max(bound, 1e-12) ? TightnessVerdict.Tight : TightnessVerdict.NotTight,
            null => TightnessVerdict.Unknown,
        };
        var exact = decision.Terminates[start] switch
        {
            true => Invariant($"exact: every derivation from {grammar.Nonterminals[start]} terminates with probability 1 (every reachable component has ρ(M_C) ≤ 1, decided in integers; rule sums 1 up to the rounding of doubles)"),
            false => Invariant($"exact: Z({grammar.Nonterminals[start]}) < 1, because {decision.Reason[start]}"),
            null when !decision.Decided => "some rules sum to more than 1 in exact decimal arithmetic, so the exact test does not apply; the verdict compares 1 − Z with its error bound",
            null => Invariant($"a component of more than {PcfgTermination.MaxExactComponent} nonterminals has ρ(M) within rounding of 1: not decided"),
        };
        var (low, high) = verdict == TightnessVerdict.Tight && decision.Terminates[start] == true ? (1.0, 1.0) : (Math.Max(0, mass - bound), Math.Min(1, mass + bound));
        return new TightnessReport(verdict, verdict == TightnessVerdict.Tight && decision.Terminates[start] == true ? 1 : mass, low, high, TightnessMethod.LeastFixedPoint,
            [
                exact,
                Invariant($"least fixed point of the generating functions: Z({grammar.Nonterminals[start]}) = {mass:G15}, 1 − Z = {leak:G6} (Newton, {treesum.Iterations} steps, residual {treesum.Residual:G3})"),
                Invariant($"expected production-count matrix M: ρ(M) ∈ [{lower:G8}, {upper:G8}]; {booth}"),
            ]);
    }

    /// <summary>Bounds on ρ(M), the spectral radius of the expected production-count matrix.</summary>
    public static (double Lower, double Upper) SpectralRadiusOfMoments(Cfg<Real> grammar)
    {
        var moments = Moments(grammar);
        var offsets = new int[moments.RowCount + 1];
        var targets = new List<int>();
        var weights = new List<double>();
        for (var x = 0; x < moments.RowCount; x++)
        {
            for (var y = 0; y < moments.ColumnCount; y++)
                if (moments[x, y] > 0) { targets.Add(y); weights.Add(moments[x, y]); }
            offsets[x + 1] = targets.Count;
        }
        return SpectralRadius.Bounds(offsets, [.. targets], [.. weights]);
    }

    /// <summary>E[number of expansions of each nonterminal] = row S of (I − M)⁻¹, for a subcritical PCFG.</summary>
    /// <exception cref="WorkbenchException">ρ(M) ≥ 1: the expected derivation size is infinite.</exception>
    public static double[] ExpectedExpansions(Cfg<Real> grammar) => SolveExpansions(grammar).Expansions;

    // ξ solves (I − M)ᵀξ = e_S, certified by SubcriticalSystem; an ill-conditioned small system is solved in rationals.
    private static (double[] Expansions, double[] ErrorScale) SolveExpansions(Cfg<Real> grammar)
    {
        PcfgValidation.Validate(grammar);
        var (_, upper) = SpectralRadiusOfMoments(grammar);
        if (!(upper < 1)) throw new WorkbenchException(Invariant($"The expected derivation size is infinite: ρ(M) ≥ {upper:G6} is not below 1."));
        var m = Moments(grammar);
        var start = Vector<double>.Build.Dense(m.RowCount, x => x == grammar.Start ? 1 : 0);
        return SubcriticalSystem.SolveTransposed(m, start) is { } solved ? solved
            : m.RowCount <= MaxExactExpansions ? ExactExpansions(grammar)
            : throw new WorkbenchException(Invariant($"Could not certify the expected expansion counts: the linear system is too ill-conditioned (ρ(M) is very close to 1) and the grammar has more than {MaxExactExpansions} nonterminals for the exact solve."));
    }

    /// <summary>Up to this many nonterminals, an ill-conditioned expansion system is solved exactly in rationals.</summary>
    public const int MaxExactExpansions = 64;

    // (I − M)ᵀξ = e_S by Gauss–Jordan elimination in exact rationals, with M from the weights as written (shortest decimals):
    // ξ is exact, and its only error is the final rounding to doubles.
    private static (double[] Expansions, double[] ErrorScale) ExactExpansions(Cfg<Real> grammar)
    {
        var n = grammar.Nonterminals.Count;
        var reachable = Reachable(grammar);
        var system = new Rational[n, n + 1];
        for (var i = 0; i < n; i++)
            for (var j = 0; j <= n; j++) system[i, j] = i == j ? Rational.One : Rational.Zero;
        system[grammar.Start, n] = Rational.One;
        foreach (var rule in grammar.Rules)
            if (reachable[rule.Lhs])
                foreach (var s in rule.Rhs)
                    if (!s.IsTerminal)
                        // Row s.Id of the transpose gets −M[lhs, s.Id] in column lhs.
                        system[s.Id, rule.Lhs] = Rational.Subtract(system[s.Id, rule.Lhs], Rational.FromShortestDecimal(rule.Weight.Value));
        for (var column = 0; column < n; column++)
        {
            var pivot = Enumerable.Range(column, n - column).FirstOrDefault(r => system[r, column].Numerator.Sign != 0, -1);
            if (pivot < 0) throw new WorkbenchException("The expected expansion counts are infinite: I − M is singular (ρ(M) = 1).");
            for (var j = 0; j <= n; j++) (system[column, j], system[pivot, j]) = (system[pivot, j], system[column, j]);
            var scale = system[column, column];
            for (var j = column; j <= n; j++) system[column, j] = Rational.Divide(system[column, j], scale);
            for (var r = 0; r < n; r++)
            {
                if (r == column || system[r, column].Numerator.IsZero) continue;
                var factor = system[r, column];
                for (var j = column; j <= n; j++) system[r, j] = Rational.Subtract(system[r, j], Rational.Multiply(factor, system[column, j]));
            }
        }
        var expansions = Enumerable.Range(0, n).Select(i => system[i, n].ToDouble()).ToArray();
        if (expansions.Any(e => e < 0))
            throw new WorkbenchException("The expected expansion counts are infinite: ρ(M) ≥ 1 (the exact solution of (I − M)ᵀξ = e_S is negative).");
        return (expansions, expansions.Select(e => Math.Abs(e) * Math.Pow(2, -52)).ToArray());
    }

    /// <summary>E|y| = Σ_X E[expansions of X]·Σ_{X→α} p·(terminals in α), for a subcritical PCFG.</summary>
    public static CertifiedValue ExpectedLength(Cfg<Real> grammar) =>
        Expect(grammar, rule => rule.Rhs.Count(s => s.IsTerminal), "Σ_X E[expansions of X]·E[terminals per rule]");

    /// <summary>The derivational entropy H = Σ_X E[expansions of X]·H(rules of X) in nats (Soule 1974, P5.9), for a subcritical PCFG.</summary>
    public static CertifiedValue DerivationalEntropy(Cfg<Real> grammar) =>
        Expect(grammar, rule => rule.Weight.Value > 0 ? -Math.Log(rule.Weight.Value) : 0, "Soule: Σ_X E[expansions of X]·H(X)");

    /// <summary>The expected number of rule applications, Σ_X E[expansions of X].</summary>
    public static CertifiedValue ExpectedDerivationSize(Cfg<Real> grammar) =>
        Expect(grammar, _ => 1, "Σ_X E[expansions of X]");

    // Σ_X E[expansions of X]·Σ_{X→α} p·quantity(rule), with the certified error of the expansion counts carried through.
    private static CertifiedValue Expect(Cfg<Real> grammar, Func<Rule<Real>, double> quantity, string method)
    {
        var (expansions, errors) = SolveExpansions(grammar);
        var total = 0.0;
        var bound = 0.0;
        for (var x = 0; x < expansions.Length; x++)
        {
            var perExpansion = 0.0;
            foreach (var rule in grammar.RulesOf(x)) perExpansion += rule.Weight.Value * quantity(rule);
            total += expansions[x] * perExpansion;
            bound += errors[x] * Math.Abs(perExpansion);
        }
        return new CertifiedValue(total, bound + 4e-16 * expansions.Length * Math.Abs(total), method);
    }

    // M restricted to the nonterminals reachable from S (rows of the others are zero, so they cannot lift ρ(M)).
    private static Matrix<double> Moments(Cfg<Real> grammar)
    {
        var n = grammar.Nonterminals.Count;
        var reachable = Reachable(grammar);
        var m = Matrix<double>.Build.Dense(n, n);
        foreach (var rule in grammar.Rules)
            if (reachable[rule.Lhs])
                foreach (var s in rule.Rhs)
                    if (!s.IsTerminal) m[rule.Lhs, s.Id] += rule.Weight.Value;
        return m;
    }

    private static bool[] Reachable(Cfg<Real> grammar)
    {
        var reachable = new bool[grammar.Nonterminals.Count];
        reachable[grammar.Start] = true;
        var queue = new Queue<int>([grammar.Start]);
        while (queue.TryDequeue(out var x))
            foreach (var rule in grammar.RulesOf(x))
                foreach (var s in rule.Rhs)
                    if (!s.IsTerminal && !reachable[s.Id])
                    {
                        reachable[s.Id] = true;
                        queue.Enqueue(s.Id);
                    }
        return reachable;
    }
}
