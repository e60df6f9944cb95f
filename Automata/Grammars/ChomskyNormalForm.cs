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
        var names = new HashSet<string>(grammar.Nonterminals);
        string Fresh(string wanted)
        {
            var name = wanted;
            for (var i = 2; !names.Add(name); i++) name = $"{wanted}#{i}";
            return name;
        }

        // 1–2. Lift terminals out of long rules, then binarise right-branching.
        var rules = new List<(string Lhs, List<(string Name, bool Terminal)> Rhs, double Weight)>();
        var lifted = new Dictionary<string, string>();
        var rests = new Dictionary<string, List<(string Name, bool Terminal)>>();
        foreach (var rule in grammar.Rules)
        {
            var rhs = rule.Rhs.Select(s => (Name: s.IsTerminal ? grammar.Terminals.NameOf(s.Id) : grammar.Nonterminals[s.Id], Terminal: s.IsTerminal)).ToList();
            if (rhs.Count >= 2)
                rhs = rhs.Select(s =>
                {
                    if (!s.Terminal) return s;
                    if (!lifted.TryGetValue(s.Name, out var nonterminal))
                    {
                        lifted[s.Name] = nonterminal = Fresh($"T_{s.Name}");
                        rules.Add((nonterminal, [(s.Name, true)], 1));
                    }
                    return (nonterminal, false);
                }).ToList();
            var lhs = grammar.Nonterminals[rule.Lhs];
            var weight = rule.Weight.Value;
            while (rhs.Count > 2)
            {
                var rest = Fresh($"{lhs}|{string.Join(".", rhs.Skip(1).Select(s => s.Name))}");
                rests[rest] = rhs.Skip(1).ToList();
                rules.Add((lhs, [rhs[0], (rest, false)], weight));
                (lhs, rhs, weight) = (rest, rhs.Skip(1).ToList(), 1);
            }
            rules.Add((lhs, rhs, weight));
        }
        var start = grammar.Nonterminals[grammar.Start];

        // 3. ε-rules: nullable weights from the terminal-free rules, then every way of dropping nullable children.
        var nullable = NullableWeights(grammar.Terminals, rules, start);
        var withoutEpsilon = new List<(string Lhs, List<(string Name, bool Terminal)> Rhs, double Weight)>();
        foreach (var (lhs, rhs, weight) in rules)
        {
            if (rhs.Count == 0) continue;
            withoutEpsilon.Add((lhs, rhs, weight));
            if (rhs.Count == 2)
            {
                if (nullable.GetValueOrDefault(rhs[0].Name) is var e0 and > 0) withoutEpsilon.Add((lhs, [rhs[1]], weight * e0));
                if (nullable.GetValueOrDefault(rhs[1].Name) is var e1 and > 0) withoutEpsilon.Add((lhs, [rhs[0]], weight * e1));
            }
        }
        var emptyWeight = nullable.GetValueOrDefault(start);
        if (emptyWeight > 0)
        {
            var newStart = Fresh($"{start}0");
            withoutEpsilon.Add((newStart, [(start, false)], 1));
            start = newStart;
        }

        // 4. Unary chains X ⇒* Y collapse into Y's non-unary rules, weighted by the closure (I − U)⁻¹.
        var nonterminals = withoutEpsilon.Select(r => r.Lhs).Append(start).Distinct().ToList();
        var index = nonterminals.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);
        var unary = Matrix<double>.Build.Dense(nonterminals.Count, nonterminals.Count);
        foreach (var (lhs, rhs, weight) in withoutEpsilon)
            // A unary rule into a nonterminal with no rules left only derived ε, which the nullable weights carry.
            if (rhs.Count == 1 && !rhs[0].Terminal && index.TryGetValue(rhs[0].Name, out var target)) unary[index[lhs], target] += weight;
        var (_, radius) = Pathsums.SpectralRadius.Bounds(
            Enumerable.Range(0, nonterminals.Count + 1).Select(i => i * nonterminals.Count).ToArray(),
            Enumerable.Range(0, nonterminals.Count * nonterminals.Count).Select(i => i % nonterminals.Count).ToArray(),
            unary.ToRowMajorArray());
        if (!(radius < 1)) throw new DivergenceException($"A cycle of unary rules has weight ≥ 1 (spectral radius {radius:G6}), so unary chains have infinite weight.");
        var closure = (Matrix<double>.Build.DenseIdentity(nonterminals.Count) - unary).Inverse();

        var builder = new CfgBuilder<Real>(grammar.Terminals);
        builder.Nonterminal(start);
        foreach (var name in nonterminals) builder.Nonterminal(name);
        GrammarSymbol Symbol((string Name, bool Terminal) s) =>
            s.Terminal ? GrammarSymbol.Terminal(grammar.Terminals.IdOf(s.Name)) : GrammarSymbol.Nonterminal(builder.Nonterminal(s.Name));
        var merged = new Dictionary<(string, string), (int Lhs, GrammarSymbol[] Rhs, double Weight)>();
        foreach (var x in nonterminals)
            foreach (var (lhs, rhs, weight) in withoutEpsilon)
            {
                if (rhs.Count == 1 && !rhs[0].Terminal) continue;
                var through = closure[index[x], index[lhs]];
                if (through <= 0) continue;
                var key = (x, string.Join(" ", rhs.Select(s => (s.Terminal ? "'" : "") + s.Name)));
                var symbols = rhs.Select(Symbol).ToArray();
                merged[key] = merged.TryGetValue(key, out var existing)
                    ? (existing.Lhs, existing.Rhs, existing.Weight + through * weight)
                    : (builder.Nonterminal(x), symbols, through * weight);
            }
        // Keep only rules whose nonterminals still derive a non-empty string (ε-only nonterminals are gone).
        var productive = new HashSet<int>();
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (lhs, rhs, _) in merged.Values)
                if (!productive.Contains(lhs) && rhs.All(s => s.IsTerminal || productive.Contains(s.Id))) changed = productive.Add(lhs);
        }
        foreach (var (lhs, rhs, weight) in merged.Values)
            if (productive.Contains(lhs) && rhs.All(s => s.IsTerminal || productive.Contains(s.Id))) builder.AddRule(lhs, rhs, new Real(weight));
        if (emptyWeight > 0) builder.AddRule(builder.Nonterminal(start), [], new Real(emptyWeight));
        var converted = builder.Build(builder.Nonterminal(start));
        if (treesums is not { } given) return converted;
        // Z of a CNF nonterminal is the weight of its non-empty yields: Z(X) − ν(X) for a nonterminal of the grammar, the
        // product over the symbols it stands for (less their ν) for a binarisation rest, 1 for a lifted terminal, and Z(S)
        // for the new start (which also derives ε).
        var original = grammar.Nonterminals.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);
        var full = new Dictionary<string, double>();
        double Full(string name) => full.TryGetValue(name, out var known) ? known : full[name] =
            original.TryGetValue(name, out var x) ? given[x]
            : rests.TryGetValue(name, out var symbols) ? symbols.Aggregate(1.0, (product, symbol) => symbol.Terminal ? product : product * Full(symbol.Name))
            : 1;
        var addedStart = emptyWeight > 0 ? start : null;
        ImmutableArray<double> z = [.. converted.Nonterminals.Select(name => name == addedStart ? Full(grammar.Nonterminals[grammar.Start]) : Math.Max(0, Full(name) - nullable.GetValueOrDefault(name)))];
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

    // e(X): the least fixed point of the terminal-free rules (ε-rules included), solved by Treesum.Newton.
    private static Dictionary<string, double> NullableWeights(Formal.Symbols.Alphabet terminals, List<(string Lhs, List<(string Name, bool Terminal)> Rhs, double Weight)> rules, string start)
    {
        var builder = new CfgBuilder<Real>(terminals);
        builder.Nonterminal(start);
        foreach (var rule in rules) builder.Nonterminal(rule.Lhs);
        var defined = rules.Select(r => r.Lhs).ToHashSet();
        foreach (var (lhs, rhs, weight) in rules)
            if (rhs.All(s => !s.Terminal && defined.Contains(s.Name)))
                builder.AddRule(builder.Nonterminal(lhs), rhs.Select(s => GrammarSymbol.Nonterminal(builder.Nonterminal(s.Name))).ToArray(), new Real(weight));
        var epsilonOnly = builder.Build(0);
        var values = EpsilonWeights.Of(epsilonOnly);
        return epsilonOnly.Nonterminals.Select((n, i) => (n, values[i])).Where(p => p.Item2 > 0).ToDictionary(p => p.n, p => p.Item2);
    }
}

/// <summary>An algorithm that needs a grammar in Chomsky normal form was given one that is not; <see cref="ChomskyNormalForm.Convert"/> converts it.</summary>
public sealed class NotInChomskyNormalFormException(string message) : WorkbenchException(message);
