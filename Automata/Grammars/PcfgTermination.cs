using System.Numerics;
using Workbench.Automata.Graphs;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars;

/// <summary>Why a nonterminal's derivations do or do not terminate with probability 1.</summary>
/// <param name="Decided">Whether the exact decision applies (no rule sum above 1 by more than the rounding of doubles).</param>
/// <param name="Terminates">Whether Z(X) = 1 for each nonterminal; null where a component too large for the exact test has ρ within rounding of 1 (or when not <see cref="Decided"/>).</param>
/// <param name="Reason">For each nonterminal with Z(X) &lt; 1, the nonterminal it reaches that makes it leak, and why.</param>
/// <param name="RuleSums">The exact sum of each nonterminal's rule weights, read as the decimals they were written as.</param>
/// <param name="Productive">Whether each nonterminal derives some finite string (with positive weight).</param>
/// <param name="SumsToOne">Whether each rule sum is within the rounding of doubles of 1, and so counts as exactly 1.</param>
public sealed record TerminationDecision(bool Decided, bool?[] Terminates, string?[] Reason, Rational[] RuleSums, bool[] Productive, bool[] SumsToOne);

/// <summary>
/// The exact decision of almost-sure termination, Z(X) = 1, for a weighted CFG whose rule sums are at most 1,
/// with weights read as the decimals they were written as (<see cref="Rational.FromShortestDecimal"/>) and sums
/// within the rounding of doubles (k·2⁻⁵² for k rules) counted as 1, the one tolerance of the decision: Z(X) = 1
/// iff X reaches (in the dependency graph) no nonterminal that is unproductive, no nonterminal whose rules sum to
/// less than 1, and no strongly connected component C whose expected-count matrix has ρ(M_C) &gt; 1 (the
/// branching-process criterion of Harris and Booth–Thompson, per component as in Etessami &amp; Yannakakis 2009).
/// ρ(M_C) ≤ 1 is decided exactly: I − M_C is an M-matrix iff its leading principal minors of orders 1…|C|−1 are
/// positive and its determinant is non-negative, computed by fraction-free (Bareiss) elimination over integers.
/// Critical grammars (ρ = 1) are therefore decided exactly, where any floating-point fixed point is ill-conditioned.
/// O(Σ_C |C|³) big-integer operations plus O(|G|). Notes §4.2 (P5.2, P5.3).
/// </summary>
public static class PcfgTermination
{
    /// <summary>Decides Z(X) = 1 for every nonterminal.</summary>
    public static TerminationDecision Decide(Cfg<Real> grammar)
    {
        var n = grammar.Nonterminals.Count;
        var sums = new Rational[n];
        var weights = grammar.Rules.Select(r => Rational.FromShortestDecimal(r.Weight.Value)).ToArray();
        for (var x = 0; x < n; x++)
        {
            sums[x] = Rational.Zero;
            for (var i = grammar.FirstRuleOf(x); i < grammar.FirstRuleOf(x) + grammar.RulesOf(x).Length; i++) sums[x] = Rational.Add(sums[x], weights[i]);
        }
        // One tolerance, the rounding of the doubles themselves: a sum within k·2⁻⁵² of 1 (k rules) was meant as 1 (weights
        // computed as 1 − p, or 1/3 printed to 16 digits); anything farther is a real deficiency or excess.
        var gap = new int[n];
        for (var x = 0; x < n; x++)
        {
            var distance = Rational.Subtract(sums[x], Rational.One);
            var rounding = Rational.FromDouble(Math.Max(1, grammar.RulesOf(x).Length) * Math.Pow(2, -52));
            gap[x] = distance.CompareTo(rounding) > 0 ? 1 : Rational.Subtract(Rational.Zero, distance).CompareTo(rounding) > 0 ? -1 : 0;
        }
        var reason = new string?[n];
        var undecided = new bool[n];
        var productive = Productive(grammar);
        var sumsToOne = gap.Select(g => g == 0).ToArray();
        if (gap.Any(g => g > 0)) return new TerminationDecision(false, new bool?[n], reason, sums, productive, sumsToOne);
        var graph = NonterminalGraph.Of(grammar);
        var components = graph.Components();
        // Components come sinks first, so every component a nonterminal reaches is decided before it.
        foreach (var members in components.Members)
        {
            string? local = null;
            foreach (var x in members)
            {
                if (!productive[x]) local ??= $"{grammar.Nonterminals[x]} derives no finite string";
                else if (gap[x] < 0) local ??= $"the rules of {grammar.Nonterminals[x]} sum to {sums[x].ToDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture)}, less than 1";
            }
            var radius = local is null && IsRecursive(grammar, members) ? SpectralRadiusAtMostOne(grammar, weights, members) : true;
            if (radius == false) local = $"the component of {grammar.Nonterminals[members[0]]} has an expected-count matrix with ρ(M) > 1";
            var open = radius is null;
            foreach (var x in members)
            {
                reason[x] = local;
                foreach (var y in graph.Successors(x))
                    if (components.ComponentOf[y] != components.ComponentOf[x])
                    {
                        reason[x] ??= reason[y];
                        open |= undecided[y];
                    }
            }
            // A leak anywhere in the component reaches every member; so does an undecided component below it.
            var shared = members.Select(x => reason[x]).FirstOrDefault(r => r is not null);
            foreach (var x in members)
            {
                reason[x] ??= shared;
                undecided[x] = reason[x] is null && open;
            }
        }
        return new TerminationDecision(true, Enumerable.Range(0, n).Select(x => undecided[x] ? (bool?)null : reason[x] is null).ToArray(), reason, sums, productive, sumsToOne);
    }

    private static bool IsRecursive(Cfg<Real> grammar, int[] members)
    {
        if (members.Length > 1) return true;
        var x = members[0];
        foreach (var rule in grammar.RulesOf(x))
            if (rule.Rhs.Any(s => !s.IsTerminal && s.Id == x)) return true;
        return false;
    }

    private static bool[] Productive(Cfg<Real> grammar)
    {
        var productive = new bool[grammar.Nonterminals.Count];
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var rule in grammar.Rules)
                if (!productive[rule.Lhs] && rule.Weight.Value > 0 && rule.Rhs.All(s => s.IsTerminal || productive[s.Id])) changed = productive[rule.Lhs] = true;
        }
        return productive;
    }

    // Floating-point Collatz–Wielandt bounds decide clear cases; otherwise exactly: ρ(M_C) ≤ 1 iff I − M_C (a Z-matrix; rows scaled to integers, which keeps the minors' signs) has positive leading
    // principal minors up to order |C| − 1 and a non-negative determinant.
    /// <summary>Components above this size are decided by floating-point spectral bounds only (null when those straddle 1).</summary>
    public const int MaxExactComponent = 200;

    private static bool? SpectralRadiusAtMostOne(Cfg<Real> grammar, Rational[] weights, int[] members)
    {
        var size = members.Length;
        var index = members.Select((x, i) => (x, i)).ToDictionary(p => p.x, p => p.i);
        var dense = new double[size * size];
        foreach (var x in members)
            foreach (var rule in grammar.RulesOf(x))
                foreach (var s in rule.Rhs)
                    if (!s.IsTerminal && index.TryGetValue(s.Id, out var target)) dense[index[x] * size + target] += rule.Weight.Value;
        var (lower, upper) = Pathsums.SpectralRadius.Bounds(
            Enumerable.Range(0, size + 1).Select(i => i * size).ToArray(), Enumerable.Range(0, size * size).Select(i => i % size).ToArray(), dense);
        if (upper < 1 - 1e-9) return true;
        if (lower > 1 + 1e-9) return false;
        if (size > MaxExactComponent) return null;
        var matrix = new Rational[size, size];
        for (var i = 0; i < size; i++)
            for (var j = 0; j < size; j++) matrix[i, j] = i == j ? Rational.One : Rational.Zero;
        foreach (var x in members)
            for (var r = grammar.FirstRuleOf(x); r < grammar.FirstRuleOf(x) + grammar.RulesOf(x).Length; r++)
                foreach (var s in grammar.Rules[r].Rhs)
                    if (!s.IsTerminal && index.TryGetValue(s.Id, out var column))
                        matrix[index[x], column] = Rational.Subtract(matrix[index[x], column], weights[r]);
        var integers = new BigInteger[size, size];
        for (var i = 0; i < size; i++)
        {
            var denominator = BigInteger.One;
            for (var j = 0; j < size; j++) denominator = denominator / BigInteger.GreatestCommonDivisor(denominator, matrix[i, j].Denominator) * matrix[i, j].Denominator;
            for (var j = 0; j < size; j++) integers[i, j] = matrix[i, j].Numerator * (denominator / matrix[i, j].Denominator);
        }
        // Bareiss: after step k, integers[k, k] is the leading principal minor of order k + 1.
        var previous = BigInteger.One;
        for (var k = 0; k < size; k++)
        {
            var minor = integers[k, k];
            if (k < size - 1 ? minor.Sign <= 0 : minor.Sign < 0) return false;
            if (k == size - 1) break;
            for (var i = k + 1; i < size; i++)
                for (var j = k + 1; j < size; j++)
                    integers[i, j] = (integers[i, j] * minor - integers[i, k] * integers[k, j]) / previous;
            previous = minor;
        }
        return true;
    }
}
