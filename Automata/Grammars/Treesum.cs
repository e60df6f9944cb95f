using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;
using Workbench.Automata.Graphs;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars;

/// <summary>The treesums Z(X) of every nonterminal and how they were computed.</summary>
/// <param name="Values">Z(X): the total weight of the finite derivation trees rooted in X.</param>
/// <param name="Leaks">1 − Z(X), accurate also when Z(X) is within rounding of 1 (for a PCFG, the mass that never finishes).</param>
/// <param name="Iterations">Newton steps over all components (or Kleene rounds).</param>
/// <param name="Residual">max_X |g_X(Z) − Z(X)| at the result, evaluated in leak coordinates.</param>
public sealed record TreesumResult(ImmutableArray<double> Values, ImmutableArray<double> Leaks, int Iterations, double Residual);

/// <summary>
/// The treesum (partition function) of a weighted CFG with real weights: the least non-negative solution
/// of Z(X) = Σ_{X→α} w·∏_{Y∈α} Z(Y) (terminals count 1), a monotone polynomial system (P5.1). Newton's
/// method, decomposed over the strongly connected components of the nonterminal dependency graph
/// (Esparza, Kiefer &amp; Luttenberger 2010), converges to the least fixed point from 0, quadratically away
/// from criticality and at least linearly at it; Kleene iteration Z ← g(Z) is the slow check. A treesum
/// that grows without bound is reported as divergence. O(iterations·(|G| + |C|³)) per component C.
/// Notes §4.2 (allsum of a WCFG, p. 118; generating functions, p. 121).
/// </summary>
public static class Treesum
{
    private const int MaxNewtonSteps = 500;
    private const double Tolerance = 1e-15;

    /// <summary>
    /// Z(X) for every nonterminal by decomposed Newton, computed in leak coordinates u = 1 − Z: there
    /// ∏ Z(Y) = 1 − leak with leak = 1 − ∏(1 − u_Y) accumulated without cancellation, so the residual has
    /// absolute error ≈ ε·u and the iteration keeps converging near criticality (Z = 1 with I − J singular),
    /// where g(Z) − Z evaluated directly would round to 0 once 1 − Z falls below √ε. A step that would
    /// decrease Z (Newton from 0 increases monotonically to a finite least fixed point) means there is none.
    /// </summary>
    /// <exception cref="DivergenceException">Some treesum is infinite.</exception>
    public static TreesumResult Newton(Cfg<Real> grammar) => Newton(grammar, PcfgTermination.Decide(grammar));

    /// <summary>Newton's treesums with the termination decision already made (so a caller that reports it decides once).</summary>
    internal static TreesumResult Newton(Cfg<Real> grammar, TerminationDecision decision)
    {
        var n = grammar.Nonterminals.Count;
        var components = NonterminalGraph.Of(grammar).Components();
        var u = Enumerable.Repeat(1.0, n).ToArray();
        var z = Enumerable.Repeat(double.NaN, n).ToArray();
        var steps = 0;
        // Exactly decided parts need no iteration: Z = 1 where derivations terminate almost surely, Z = 0 where
        // nothing is derived; a grammar whose rule sums are at most 1 has every Z(X) ≤ 1, so it never diverges.
        var productive = decision.Productive;
        var bounded = decision.Decided;
        var missing = Missing(grammar, decision);
        // Sinks first: a component's rules mention only itself and components already solved.
        foreach (var component in components.Members)
        {
            if (component.All(x => decision.Terminates[x] == true))
            {
                foreach (var x in component) u[x] = 0;
                continue;
            }
            var members = component.Where(x => productive[x]).ToArray();
            if (members.Length == 0) continue;
            var index = members.Select((x, i) => (x, i)).ToDictionary(p => p.x, p => p.i);
            var previousChange = double.PositiveInfinity;
            for (var step = 0; ; step++)
            {
                if (step == MaxNewtonSteps && bounded) break;
                if (step == MaxNewtonSteps)
                    throw new WorkbenchException($"Newton's method did not settle within {MaxNewtonSteps} steps for {grammar.Nonterminals[members[0]]}.");
                steps++;
                var residual = new double[members.Length];
                var jacobian = Matrix<double>.Build.Dense(members.Length, members.Length);
                for (var i = 0; i < members.Length; i++)
                {
                    residual[i] = Residual(grammar, productive, missing, members[i], u, index, jacobian, i);
                    jacobian[i, i] -= 1;
                }
                if (residual.All(r => r == 0)) break;
                // Z ← Z + (I − J)⁻¹(g(Z) − Z); in leak coordinates u ← u − Δ with (J − I)Δ = −(g(Z) − Z).
                var delta = jacobian.Solve(Vector<double>.Build.DenseOfArray(residual.Select(r => -r).ToArray()));
                var invalid = Enumerable.Range(0, members.Length).FirstOrDefault(i =>
                    !double.IsFinite(delta[i]) || delta[i] < -1e-9 * Math.Max(1, Math.Abs(1 - u[members[i]])) || 1 - (u[members[i]] - delta[i]) > 1e150, -1);
                // With rule sums ≤ 1 the least fixed point lies in [0, 1]: a wild step is rounding at a singular Jacobian, and
                // the iterate so far is a lower bound. So is a backward step once the residual is at rounding level (near a
                // double root); otherwise it means there is no finite fixed point, and the treesum is infinite.
                var settled = residual.Max(Math.Abs) <= 1e-13 * Math.Max(1, members.Max(x => Math.Abs(1 - u[x])));
                if (invalid >= 0 && (bounded || settled)) break;
                if (invalid >= 0)
                    throw new DivergenceException($"The treesum of {grammar.Nonterminals[members[invalid]]} diverges: its derivation trees have infinite total weight.");
                var change = 0.0;
                for (var i = 0; i < members.Length; i++)
                {
                    u[members[i]] -= Math.Max(delta[i], 0);
                    if (bounded) u[members[i]] = Math.Max(u[members[i]], 0);
                    change = Math.Max(change, delta[i] / Math.Max(1, Math.Abs(1 - u[members[i]])));
                }
                // Stop at 10⁻¹⁷ (criticality converges linearly, halving the leak each step), or once tiny steps stop
                // shrinking: quadratic convergence has reached the rounding floor.
                if (change <= Tolerance * 1e-2 || (change < 1e-12 && change >= previousChange)) break;
                previousChange = change;
            }
            // Leak coordinates keep 1 − Z exact near 1 but only ε absolutely near 0: refine small treesums in Z itself.
            if (members.Any(x => 1 - u[x] < 0.5)) steps += PolishDirectly(grammar, productive, members, index, u, z);
        }
        var values = Enumerable.Range(0, n).Select(x => double.IsNaN(z[x]) ? 1 - u[x] : z[x]).ToArray();
        return new TreesumResult([.. values], [.. u], steps, Enumerable.Range(0, n).Select(x => Math.Abs(Residual(grammar, productive, missing, x, u, null, null, 0))).DefaultIfEmpty(0).Max());
    }

    // Newton in direct coordinates from the leak-coordinate solution: Z ← Z + (I − J)⁻¹(g(Z) − Z), which has relative
    // accuracy where Z is small. Stops when steps stop shrinking; a step that leaves [0, 1 + 1e-9] or does not lower the
    // residual is not taken. Writes Z to z and 1 − Z to u. Returns the steps taken.
    private static int PolishDirectly(Cfg<Real> grammar, bool[] productive, int[] members, Dictionary<int, int> index, double[] u, double[] z)
    {
        double Value(int y) => !double.IsNaN(z[y]) ? z[y] : 1 - u[y];
        var current = members.Select(x => 1 - u[x]).ToArray();
        double ResidualNorm(double[] at)
        {
            var norm = 0.0;
            for (var i = 0; i < members.Length; i++)
            {
                var generated = 0.0;
                foreach (var rule in grammar.RulesOf(members[i]))
                {
                    var product = rule.Weight.Value;
                    foreach (var s in rule.Rhs)
                        if (!s.IsTerminal) product *= index.TryGetValue(s.Id, out var k) ? at[k] : productive[s.Id] ? Value(s.Id) : 0;
                    generated += product;
                }
                norm = Math.Max(norm, Math.Abs(generated - at[i]) / Math.Max(at[i], double.Epsilon));
            }
            return norm;
        }
        var norm = ResidualNorm(current);
        var steps = 0;
        for (; steps < 30 && norm > 1e-16; steps++)
        {
            var residual = new double[members.Length];
            var jacobian = Matrix<double>.Build.Dense(members.Length, members.Length);
            for (var i = 0; i < members.Length; i++)
            {
                foreach (var rule in grammar.RulesOf(members[i]))
                {
                    var product = rule.Weight.Value;
                    foreach (var s in rule.Rhs)
                        if (!s.IsTerminal) product *= index.TryGetValue(s.Id, out var k) ? current[k] : productive[s.Id] ? Value(s.Id) : 0;
                    residual[i] += product;
                    for (var position = 0; position < rule.Rhs.Length; position++)
                    {
                        if (rule.Rhs[position].IsTerminal || !index.TryGetValue(rule.Rhs[position].Id, out var column)) continue;
                        var derivative = rule.Weight.Value;
                        for (var other = 0; other < rule.Rhs.Length; other++)
                            if (other != position && !rule.Rhs[other].IsTerminal)
                                derivative *= index.TryGetValue(rule.Rhs[other].Id, out var k) ? current[k] : productive[rule.Rhs[other].Id] ? Value(rule.Rhs[other].Id) : 0;
                        jacobian[i, column] += derivative;
                    }
                }
                residual[i] -= current[i];
                jacobian[i, i] -= 1;
            }
            var delta = jacobian.Solve(Vector<double>.Build.DenseOfArray(residual.Select(r => -r).ToArray()));
            var next = current.Select((value, i) => value + delta[i]).ToArray();
            if (next.Any(v => !(v >= 0 && v <= 1 + 1e-9))) break;
            var nextNorm = ResidualNorm(next);
            if (!(nextNorm < norm)) break;
            (current, norm) = (next, nextNorm);
        }
        for (var i = 0; i < members.Length; i++)
        {
            z[members[i]] = current[i];
            u[members[i]] = 1 - current[i];
        }
        return steps;
    }

    // Σw − 1 over each nonterminal's rules whose children all derive something, from the weights as written (the
    // decimals the termination decision reads, a sum within rounding of 1 counting as exactly 1). Near criticality the
    // least fixed point moves by about this deficit over 1 − ρ, so the rounding of the doubles must not enter it: the
    // double weights 0.5000001 and 0.4999999 sum to 1 − 5.6·10⁻¹⁷, which would move Z by 2.8·10⁻¹⁰.
    private static double[] Missing(Cfg<Real> grammar, TerminationDecision decision)
    {
        var missing = new double[grammar.Nonterminals.Count];
        for (var x = 0; x < missing.Length; x++)
        {
            var total = decision.SumsToOne[x] ? Rational.One : decision.RuleSums[x];
            foreach (var rule in grammar.RulesOf(x))
                if (rule.Rhs.Any(s => !s.IsTerminal && !decision.Productive[s.Id]))
                    total = Rational.Subtract(total, Rational.FromShortestDecimal(rule.Weight.Value));
            missing[x] = Rational.Subtract(total, Rational.One).ToDouble();
        }
        return missing;
    }

    // g_X(Z) − Z(X) in leak coordinates, (Σw − 1) − Σ_rules w·leak(rule) + u_X, and when asked, the Jacobian row ∂g_X/∂Z_Y.
    private static double Residual(Cfg<Real> grammar, bool[] productive, double[] missing, int x, double[] u, Dictionary<int, int>? index, Matrix<double>? jacobian, int row)
    {
        var leaked = 0.0;
        foreach (var rule in grammar.RulesOf(x))
        {
            // A rule with a child that derives nothing (leak exactly 1) adds w − w·1 = 0: leave it out so no rounding leaks in.
            if (rule.Rhs.Any(s => !s.IsTerminal && !productive[s.Id])) continue;
            var leak = 0.0;
            foreach (var s in rule.Rhs)
                if (!s.IsTerminal) leak += u[s.Id] - leak * u[s.Id];
            leaked += rule.Weight.Value * leak;
            if (jacobian is null) continue;
            for (var k = 0; k < rule.Rhs.Length; k++)
            {
                var s = rule.Rhs[k];
                if (s.IsTerminal || !index!.TryGetValue(s.Id, out var column)) continue;
                var derivative = rule.Weight.Value;
                for (var j = 0; j < rule.Rhs.Length; j++)
                    if (j != k && !rule.Rhs[j].IsTerminal) derivative *= 1 - u[rule.Rhs[j].Id];
                jacobian[row, column] += derivative;
            }
        }
        return missing[x] - leaked + u[x];
    }

    /// <summary>Kleene iteration Z ← g(Z) from 0 for at most <paramref name="rounds"/> rounds: increasing lower bounds on the least fixed point (the sums over trees of depth ≤ round).</summary>
    public static TreesumResult Kleene(Cfg<Real> grammar, int rounds)
    {
        var z = new double[grammar.Nonterminals.Count];
        var round = 0;
        for (; round < rounds; round++)
        {
            var next = Enumerable.Range(0, z.Length).Select(x => Generate(grammar, x, z)).ToArray();
            var change = next.Zip(z, (a, b) => Math.Abs(a - b)).DefaultIfEmpty(0).Max();
            z = next;
            if (change <= Tolerance * Math.Max(1, z.DefaultIfEmpty(0).Max())) break;
        }
        var leaks = z.Select(v => 1 - v).ToArray();
        return new TreesumResult([.. z], [.. leaks], round, Enumerable.Range(0, z.Length).Select(x => Math.Abs(Generate(grammar, x, z) - z[x])).DefaultIfEmpty(0).Max());
    }

    /// <summary>g_X(z) = Σ_{X→α} w·∏_{Y∈α} z_Y.</summary>
    private static double Generate(Cfg<Real> grammar, int x, double[] z)
    {
        var total = 0.0;
        foreach (var rule in grammar.RulesOf(x))
        {
            var product = rule.Weight.Value;
            foreach (var s in rule.Rhs)
                if (!s.IsTerminal) product *= z[s.Id];
            total += product;
        }
        return total;
    }
}
