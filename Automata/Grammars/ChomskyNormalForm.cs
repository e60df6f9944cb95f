using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars;

/// <summary>
/// Conversion of a real-weighted CFG to Chomsky normal form with the same string weights: terminals in long
/// rules lifted to nonterminals T→a, long rules binarised, ε-rules removed using the nullable weights
/// e(X) = the weight of X ⇒* ε (the least fixed point over the terminal-free rules; a rule X → Y Z spawns
/// X → Z [w·e(Y)] and X → Y [w·e(Z)]; a new start S₀ carries S₀ → ε [e(S)]), and unary chains collapsed
/// through the closure (I − U)⁻¹ of the unary weights. O(|G|·|N|) plus O(|N|³) for the closure.
/// Notes §4.2 (normal forms).
/// </summary>
public static class ChomskyNormalForm
{
    /// <summary>The equivalent CNF grammar (the grammar itself when it already is in CNF).</summary>
    /// <exception cref="DivergenceException">A unary cycle has weight ≥ 1, or the ε-derivations have infinite weight.</exception>
    public static Cfg<Real> Convert(Cfg<Real> grammar)
    {
        // Useless nonterminals carry no string weight, and a unary cycle among them must not stop the conversion.
        var isPcfg = PcfgValidation.IsPcfg(grammar);
        var trimmed = UselessNonterminals.Trim(grammar);
        var wasTrimmed = trimmed.Rules.Count != grammar.Rules.Count || trimmed.Nonterminals.Count != grammar.Nonterminals.Count;
        grammar = trimmed;
        // The treesums of the grammar as given (exactly 1 where the termination decision says so): the CNF form's own
        // treesums follow from them, which near criticality is far more accurate than solving the CNF form again.
        ImmutableArray<double>? treesums = isPcfg ? Treesum.Newton(grammar).Values : null;
        if (grammar.IsChomskyNormalForm) return wasTrimmed && treesums is { } sums ? RenormaliseIfGenerating(grammar, sums) : grammar;
        var names = new CnfConversion.Names(grammar.Nonterminals);
        // 1–2. Lift terminals out of long rules, then binarise right-branching.
        var (rules, rests) = CnfConversion.LiftAndBinarise(grammar, names);
        // 3. ε-rules: nullable weights from the terminal-free rules, then every way of dropping nullable children.
        var nullable = CnfConversion.NullableWeights(grammar.Terminals, rules, names, grammar.Start);
        var (withoutEpsilon, start) = CnfConversion.RemoveEpsilonRules(rules, nullable, names, grammar.Start);
        // 4. Unary chains collapse through the closure of the unary weights; then the grammar of the productive rules.
        var (nonterminals, collapsed) = CnfConversion.CollapseUnaryChains(withoutEpsilon, start);
        var emptyWeight = nullable[grammar.Start];
        var converted = CnfConversion.Build(grammar.Terminals, names, nonterminals, collapsed, start, emptyWeight);
        if (treesums is not { } given) return converted;
        var z = CnfConversion.TreesumsOfConverted(converted, grammar, given, names, rests, nullable, emptyWeight > 0 ? start : null);
        return RenormaliseIfGenerating(converted, z);
    }

    // A grammar that generates nothing (Z(S) = 0) has no PCFG form: it stays as it is, with every string at weight 0.
    private static Cfg<Real> RenormaliseIfGenerating(Cfg<Real> grammar, ImmutableArray<double> treesums) =>
        treesums[grammar.Start] > 0 ? RenormaliseWith(grammar, treesums) : grammar;

    /// <summary>
    /// The PCFG w′(X → α) = w·∏_{Y∈α} Z(Y)/Z(X) on the nonterminals with Z(X) &gt; 0: every nonterminal's rules
    /// sum to 1 and every string keeps its probability relative to Z(S) (for a tight grammar, exactly).
    /// Nonterminals with Z(X) = 0 derive nothing and keep no rules. O(|G|) plus a treesum.
    /// </summary>
    /// <exception cref="WorkbenchException">Z(S) = 0: the grammar generates no finite string, so there is nothing to renormalise.</exception>
    public static Cfg<Real> Renormalise(Cfg<Real> grammar) => RenormaliseWith(grammar, Treesum.Newton(grammar).Values);

    private static Cfg<Real> RenormaliseWith(Cfg<Real> grammar, ImmutableArray<double> z)
    {
        if (!(z[grammar.Start] > 0))
            throw new WorkbenchException($"The grammar generates no finite string (Z({grammar.Nonterminals[grammar.Start]}) = 0), so it has no renormalised PCFG.");
        var builder = new CfgBuilder<Real>(grammar.Terminals);
        foreach (var name in grammar.Nonterminals) builder.Nonterminal(name);
        foreach (var rule in grammar.Rules)
        {
            if (!(z[rule.Lhs] > 0) || rule.Rhs.Any(s => !s.IsTerminal && !(z[s.Id] > 0))) continue;
            var weight = rule.Weight.Value / z[rule.Lhs];
            foreach (var s in rule.Rhs)
                if (!s.IsTerminal) weight *= z[s.Id];
            builder.AddRule(rule.Lhs, rule.Rhs.AsSpan(), new Real(weight));
        }
        return builder.Build(grammar.Start);
    }
}

/// <summary>An algorithm that needs a grammar in Chomsky normal form was given one that is not; <see cref="ChomskyNormalForm.Convert"/> converts it.</summary>
public sealed class NotInChomskyNormalFormException(string message) : WorkbenchException(message);
