using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars;

/// <summary>
/// The phases of <see cref="ChomskyNormalForm.Convert"/>, each a function from rules to rules over
/// <see cref="GrammarSymbol"/>s: <see cref="LiftAndBinarise"/>, <see cref="RemoveEpsilonRules"/>,
/// <see cref="CollapseUnaryChains"/>, then <see cref="Build"/>. Nonterminals are ids into one
/// <see cref="Names"/> table that the phases extend with fresh names; terminals keep the grammar's ids.
/// </summary>
internal static class CnfConversion
{
    /// <summary>A rule while the conversion works on it.</summary>
    internal readonly record struct WorkingRule(int Lhs, GrammarSymbol[] Rhs, double Weight);

    /// <summary>The nonterminal names: the grammar's, then the fresh ones the phases add (never equal to an existing name).</summary>
    internal sealed class Names
    {
        private readonly List<string> _names = [];
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

        public Names(IEnumerable<string> names)
        {
            foreach (var name in names) Add(name);
        }

        public int Count => _names.Count;

        public string this[int id] => _names[id];

        /// <summary>The id of a name in the table.</summary>
        public int IdOf(string name) => _ids[name];

        /// <summary>A new nonterminal named <paramref name="wanted"/>, or wanted#2, wanted#3, … when that is taken.</summary>
        public int Fresh(string wanted)
        {
            var name = wanted;
            for (var i = 2; _ids.ContainsKey(name); i++) name = $"{wanted}#{i}";
            return Add(name);
        }

        private int Add(string name)
        {
            _ids.Add(name, _names.Count);
            _names.Add(name);
            return _names.Count - 1;
        }
    }

    /// <summary>
    /// Terminals in rules of two or more symbols become nonterminals T_a → a (one per terminal, made on first use), and
    /// rules longer than two are binarised right-branching: X → A B C becomes X → A X|B.C and X|B.C → B C. Returns the
    /// rules and what each binarisation rest stands for.
    /// </summary>
    public static (List<WorkingRule> Rules, Dictionary<int, GrammarSymbol[]> Rests) LiftAndBinarise(Cfg<Real> grammar, Names names)
    {
        var rules = new List<WorkingRule>();
        var lifted = new Dictionary<int, int>();
        var rests = new Dictionary<int, GrammarSymbol[]>();
        foreach (var rule in grammar.Rules)
        {
            var rhs = rule.Rhs.ToArray();
            if (rhs.Length >= 2)
                rhs = [.. rhs.Select(s =>
                {
                    if (!s.IsTerminal) return s;
                    if (!lifted.TryGetValue(s.Id, out var nonterminal))
                    {
                        lifted[s.Id] = nonterminal = names.Fresh($"T_{grammar.Terminals.NameOf(s.Id)}");
                        rules.Add(new WorkingRule(nonterminal, [s], 1));
                    }
                    return GrammarSymbol.Nonterminal(nonterminal);
                })];
            var (lhs, weight) = (rule.Lhs, rule.Weight.Value);
            while (rhs.Length > 2)
            {
                var rest = names.Fresh($"{names[lhs]}|{string.Join(".", rhs.Skip(1).Select(s => names[s.Id]))}");
                rests[rest] = rhs[1..];
                rules.Add(new WorkingRule(lhs, [rhs[0], GrammarSymbol.Nonterminal(rest)], weight));
                (lhs, rhs, weight) = (rest, rhs[1..], 1);
            }
            rules.Add(new WorkingRule(lhs, rhs, weight));
        }
        return (rules, rests);
    }

    /// <summary>
    /// e(X), the weight of X ⇒* ε: the least fixed point of the terminal-free rules (ε-rules included), by
    /// <see cref="EpsilonWeights"/>. Indexed by nonterminal id; 0 for one that cannot derive ε.
    /// </summary>
    public static double[] NullableWeights(Formal.Symbols.Alphabet terminals, IReadOnlyList<WorkingRule> rules, Names names, int start)
    {
        var builder = new CfgBuilder<Real>(terminals);
        builder.Nonterminal(names[start]);
        foreach (var rule in rules) builder.Nonterminal(names[rule.Lhs]);
        var defined = rules.Select(r => r.Lhs).ToHashSet();
        foreach (var (lhs, rhs, weight) in rules)
            if (rhs.All(s => !s.IsTerminal && defined.Contains(s.Id)))
                builder.AddRule(builder.Nonterminal(names[lhs]), [.. rhs.Select(s => GrammarSymbol.Nonterminal(builder.Nonterminal(names[s.Id])))], new Real(weight));
        var epsilonOnly = builder.Build(0);
        var values = EpsilonWeights.Of(epsilonOnly);
        var result = new double[names.Count];
        for (var i = 0; i < epsilonOnly.Nonterminals.Count; i++) result[names.IdOf(epsilonOnly.Nonterminals[i])] = values[i];
        return result;
    }

    /// <summary>
    /// ε-rules are dropped and every way of dropping a nullable child kept: X → Y Z spawns X → Z [w·e(Y)] and
    /// X → Y [w·e(Z)]. When the start derives ε, a fresh start S0 → S takes over (its ε-rule is added by <see cref="Build"/>).
    /// </summary>
    public static (List<WorkingRule> Rules, int Start) RemoveEpsilonRules(IReadOnlyList<WorkingRule> rules, double[] nullable, Names names, int start)
    {
        var result = new List<WorkingRule>();
        double Nullable(GrammarSymbol s) => !s.IsTerminal && s.Id < nullable.Length ? nullable[s.Id] : 0;
        foreach (var (lhs, rhs, weight) in rules)
        {
            if (rhs.Length == 0) continue;
            result.Add(new WorkingRule(lhs, rhs, weight));
            if (rhs.Length != 2) continue;
            if (Nullable(rhs[0]) is var first and > 0) result.Add(new WorkingRule(lhs, [rhs[1]], weight * first));
            if (Nullable(rhs[1]) is var second and > 0) result.Add(new WorkingRule(lhs, [rhs[0]], weight * second));
        }
        if (!(nullable[start] > 0)) return (result, start);
        var newStart = names.Fresh($"{names[start]}0");
        result.Add(new WorkingRule(newStart, [GrammarSymbol.Nonterminal(start)], 1));
        return (result, newStart);
    }

    /// <summary>
    /// Unary chains X ⇒* Y collapse into Y's non-unary rules weighted by the closure (I − U)⁻¹ of the unary weights, and
    /// equal rules merge. Returns the nonterminals that keep rules (in order of first appearance, then the start) and the rules.
    /// </summary>
    /// <exception cref="DivergenceException">A cycle of unary rules has weight ≥ 1.</exception>
    public static (List<int> Nonterminals, List<WorkingRule> Rules) CollapseUnaryChains(IReadOnlyList<WorkingRule> rules, int start)
    {
        var nonterminals = rules.Select(r => r.Lhs).Append(start).Distinct().ToList();
        var index = nonterminals.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);
        var unary = Matrix<double>.Build.Dense(nonterminals.Count, nonterminals.Count);
        foreach (var (lhs, rhs, weight) in rules)
            // A unary rule into a nonterminal with no rules left only derived ε, which the nullable weights carry.
            if (rhs.Length == 1 && !rhs[0].IsTerminal && index.TryGetValue(rhs[0].Id, out var target)) unary[index[lhs], target] += weight;
        var (_, radius) = Pathsums.SpectralRadius.Bounds(
            Enumerable.Range(0, nonterminals.Count + 1).Select(i => i * nonterminals.Count).ToArray(),
            Enumerable.Range(0, nonterminals.Count * nonterminals.Count).Select(i => i % nonterminals.Count).ToArray(),
            unary.ToRowMajorArray());
        if (!(radius < 1)) throw new DivergenceException($"A cycle of unary rules has weight ≥ 1 (spectral radius {radius:G6}), so unary chains have infinite weight.");
        var closure = (Matrix<double>.Build.DenseIdentity(nonterminals.Count) - unary).Inverse();
        var merged = new Dictionary<(int Lhs, string Rhs), WorkingRule>();
        foreach (var x in nonterminals)
            foreach (var (lhs, rhs, weight) in rules)
            {
                if (rhs.Length == 1 && !rhs[0].IsTerminal) continue;
                var through = closure[index[x], index[lhs]];
                if (through <= 0) continue;
                var key = (x, string.Join(" ", rhs.Select(s => (s.IsTerminal ? "'" : "") + s.Id)));
                merged[key] = merged.TryGetValue(key, out var existing) ? existing with { Weight = existing.Weight + through * weight } : new WorkingRule(x, rhs, through * weight);
            }
        return (nonterminals, [.. merged.Values]);
    }

    /// <summary>
    /// The CNF grammar: the start first, then the nonterminals that keep rules; only rules whose nonterminals still derive
    /// a non-empty string (ε-only nonterminals are gone); S → ε with the start's nullable weight.
    /// </summary>
    public static Cfg<Real> Build(Formal.Symbols.Alphabet terminals, Names names, List<int> nonterminals, IReadOnlyList<WorkingRule> rules, int start, double emptyWeight)
    {
        var builder = new CfgBuilder<Real>(terminals);
        builder.Nonterminal(names[start]);
        foreach (var x in nonterminals) builder.Nonterminal(names[x]);
        GrammarSymbol Final(GrammarSymbol s) => s.IsTerminal ? s : GrammarSymbol.Nonterminal(builder.Nonterminal(names[s.Id]));
        var final = rules.Select(r => r with { Lhs = builder.Nonterminal(names[r.Lhs]), Rhs = [.. r.Rhs.Select(Final)] }).ToList();
        var productive = new HashSet<int>();
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (lhs, rhs, _) in final)
                if (!productive.Contains(lhs) && rhs.All(s => s.IsTerminal || productive.Contains(s.Id))) changed = productive.Add(lhs);
        }
        foreach (var (lhs, rhs, weight) in final)
            if (productive.Contains(lhs) && rhs.All(s => s.IsTerminal || productive.Contains(s.Id))) builder.AddRule(lhs, rhs, new Real(weight));
        if (emptyWeight > 0) builder.AddRule(builder.Nonterminal(names[start]), [], new Real(emptyWeight));
        return builder.Build(builder.Nonterminal(names[start]));
    }

    /// <summary>
    /// The treesums of the CNF form from those of the grammar it came from (more accurate near criticality than solving
    /// the CNF form again): Z of a CNF nonterminal is the weight of its non-empty yields — Z(X) − e(X) for a nonterminal of
    /// the grammar, the product over the symbols it stands for for a binarisation rest, 1 for a lifted terminal, and Z(S)
    /// for a new start (which also derives ε).
    /// </summary>
    public static ImmutableArray<double> TreesumsOfConverted(
        Cfg<Real> converted, Cfg<Real> grammar, ImmutableArray<double> treesums, Names names, Dictionary<int, GrammarSymbol[]> rests, double[] nullable, int? addedStart)
    {
        var full = new Dictionary<int, double>();
        double Full(int id) => full.TryGetValue(id, out var known) ? known : full[id] =
            id < grammar.Nonterminals.Count ? treesums[id]
            : rests.TryGetValue(id, out var symbols) ? symbols.Aggregate(1.0, (product, s) => s.IsTerminal ? product : product * Full(s.Id))
            : 1;
        double Converted(int id) => id == addedStart ? Full(grammar.Start) : Math.Max(0, Full(id) - (id < nullable.Length ? nullable[id] : 0));
        return [.. converted.Nonterminals.Select(name => Converted(names.IdOf(name)))];
    }
}
