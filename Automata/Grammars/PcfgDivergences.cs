using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;
using Workbench.Automata.Core;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Numerics;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars;

/// <summary>
/// The exact cross-entropy H(p, q) = −Σ_y p(y) log q(y) of a PCFG p (its own mass, tight or not) against a
/// deterministic PFSA q. Since q has one path per string, −log q(y) is the sum of the surprisals −log w of the arcs
/// that path takes plus −log ρ of where it stops. The Bar-Hillel intersection of p with q over the expectation
/// semiring (<see cref="BarHillel"/>; rule weights ⟨w, 0⟩, arcs ⟨1, −log w⟩) gives a grammar whose rules carry their
/// weight w and their reward R; then H(p, q) = Σ_r O(lhs r)·w_r·∏_{Y∈rhs r} Z(Y)·R_r, with Z the treesums of the
/// intersection and O its outside weights, (I − J)ᵀO = e_S with J the Jacobian of the treesum system at Z. H is +∞
/// exactly when p derives, with positive weight, a string outside q's support: the intersection of p with the
/// complement of that support is non-empty, decided by the productive nonterminals, not by comparing numbers.
/// O(|G|·|Q|^(k_max+1)) to build, O(|N∩|³) to solve. Notes §3.2 (P3.7), §4.2.
/// </summary>
public static class PcfgDivergences
{
    /// <summary>The largest intersection grammar whose outside system is solved densely.</summary>
    public const int MaxIntersectionNonterminals = 2_000;

    /// <summary>H(p, q) in nats, with a bound that covers the linear solve and, to first order, Newton's residual.</summary>
    /// <exception cref="InvalidModelException">p is not a PCFG or q not a deterministic PFSA.</exception>
    /// <exception cref="WorkbenchException">The intersection is too large, or critical (the outside system cannot be certified).</exception>
    public static CertifiedValue CrossEntropy(Cfg<Real> p, Wfsa<Real> q)
    {
        PcfgValidation.Validate(p);
        PfsaValidation.Validate(q);
        if (!q.IsDeterministic || q.HasEpsilonArcs) throw new InvalidModelException("The cross-entropy of a PCFG is exact only against a deterministic, ε-free PFSA q (one path per string).");
        if (DerivesOutsideSupport(p, q))
            return CertifiedValue.Exact(double.PositiveInfinity, "p derives, with positive weight, strings that q gives probability 0, so H(p, q) = +∞");

        var intersection = BarHillel.Intersect(p.Map(rule => new Expectation(rule.Weight.Value, 0)), SurprisalMachine(q));
        if (intersection.Rules.Count == 0) return CertifiedValue.Exact(0, "p derives no finite string");
        var n = intersection.Nonterminals.Count;
        if (n > MaxIntersectionNonterminals)
            throw new BudgetExceededException(Invariant($"The intersection of the grammar with the automaton has {n} nonterminals; its outside system is solved densely up to {MaxIntersectionNonterminals}."));
        var weights = intersection.Map(rule => new Real(rule.Weight.P));
        var treesum = Treesum.Newton(weights);
        var z = treesum.Values;
        var jacobian = Matrix<double>.Build.Dense(n, n);
        foreach (var rule in intersection.Rules)
            for (var i = 0; i < rule.Rhs.Length; i++)
                if (!rule.Rhs[i].IsTerminal) jacobian[rule.Lhs, rule.Rhs[i].Id] += rule.Weight.P * InsideProduct(rule, z, skip: i);
        var start = Vector<double>.Build.Dense(n, x => x == intersection.Start ? 1 : 0);
        if (SubcriticalSystem.SolveTransposed(jacobian, start) is not var (outside, outsideError))
            throw new WorkbenchException("The intersection of the grammar with the automaton is critical (ρ of its Jacobian is 1 or too close to it), so H(p, q) cannot be certified; it may be infinite.");
        var total = 0.0;
        var bound = 0.0;
        var longest = intersection.Rules.Max(r => r.Rhs.Length);
        foreach (var rule in intersection.Rules)
        {
            // The rule's expected reward R·w with R = r/w, weighted by how often it is used: O(lhs)·∏ Z(rhs).
            var term = rule.Weight.R * InsideProduct(rule, z, skip: -1);
            total += outside[rule.Lhs] * term;
            bound += outsideError[rule.Lhs] * Math.Abs(term);
        }
        // Newton's Z carries a relative error of about its residual over the smallest Z; it enters J and every product.
        var relative = 16 * Math.Max(treesum.Residual, FloatingPoint.MachineEpsilon) / Math.Max(z.Where(v => v > 0).DefaultIfEmpty(1).Min(), FloatingPoint.MachineEpsilon);
        bound += (longest + 1) * relative * Math.Abs(total) * (1 + outside.Max() * jacobian.RowAbsoluteSums().Maximum()) + 4 * n * FloatingPoint.MachineEpsilon * Math.Abs(total);
        return new CertifiedValue(total, bound, "Bar-Hillel intersection with the expectation semiring: outside weights of the treesum system");
    }

    // q with every arc ⟨1, −log w⟩ and every final weight ⟨1, −log ρ⟩: an intersection derivation's reward is −log q(y).
    private static Wfsa<Expectation> SurprisalMachine(Wfsa<Real> q) =>
        q.Map(w => w.Value > 0 ? new Expectation(1, -Math.Log(w.Value)) : Expectation.Zero);

    private static double InsideProduct(Rule<Expectation> rule, ImmutableArray<double> z, int skip)
    {
        var product = 1.0;
        for (var j = 0; j < rule.Rhs.Length; j++)
            if (j != skip && !rule.Rhs[j].IsTerminal) product *= z[rule.Rhs[j].Id];
        return product;
    }

    // Whether p derives a string q excludes: p intersected with the complement of q's support (q completed with a sink,
    // finals flipped) has a productive start symbol, decided on the rules of positive weight.
    private static bool DerivesOutsideSupport(Cfg<Real> p, Wfsa<Real> q)
    {
        var terminals = p.Terminals;
        var builder = new WfsaBuilder<Real>(terminals);
        var states = Enumerable.Range(0, q.StateCount + 1).Select(_ => builder.AddState()).ToArray();
        var sink = states[^1];
        for (var r = 0; r <= q.StateCount; r++)
        {
            var accepting = r == q.StateCount || !(q.FinalWeights[r].Value > 0);
            if (accepting) builder.SetFinal(states[r], Real.One);
            for (var a = 0; a < terminals.Size; a++)
            {
                var arc = r < q.StateCount && q.Alphabet.Symbols.Contains(terminals.NameOf(a)) ? q.FindArc(r, q.Alphabet.IdOf(terminals.NameOf(a))) : -1;
                var target = arc >= 0 && q.ArcWeights[arc].Value > 0 ? states[q.ArcTargets[arc]] : sink;
                builder.AddArc(states[r], a, target, Real.One);
            }
        }
        var qStart = Enumerable.Range(0, q.StateCount).First(r => q.InitialWeights[r].Value > 0);
        builder.SetInitial(states[qStart], Real.One);
        var outside = BarHillel.Intersect(p, builder.Build());
        return outside.Rules.Count > 0 && PcfgTermination.Decide(outside).Productive[outside.Start];
    }
}
