using System.Collections.Immutable;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Grammars;

/// <summary>A symbol on the right-hand side of a rule: a terminal of Σ or a nonterminal of the grammar.</summary>
/// <param name="Id">The terminal's id in the alphabet, or the nonterminal's index.</param>
/// <param name="IsTerminal">Which of the two it is.</param>
public readonly record struct GrammarSymbol(int Id, bool IsTerminal)
{
    /// <summary>The terminal with alphabet id <paramref name="id"/>.</summary>
    public static GrammarSymbol Terminal(int id) => new(id, true);

    /// <summary>The nonterminal with index <paramref name="id"/>.</summary>
    public static GrammarSymbol Nonterminal(int id) => new(id, false);
}

/// <summary>A weighted rule X → α.</summary>
public sealed record Rule<T>(int Lhs, ImmutableArray<GrammarSymbol> Rhs, T Weight) where T : struct, ISemiring<T>;

/// <summary>
/// A weighted context-free grammar (Σ, N, S, P) over a semiring: nonterminals 0..|N|−1 with names, a start
/// nonterminal, and weighted rules grouped by left-hand side. A tree's weight is the product of its rules'
/// weights; a PCFG has each left-hand side's rule weights summing to 1. Immutable; build one with
/// <see cref="CfgBuilder{T}"/> or read one with <see cref="Formats.CfgTextFormat"/>. Notes §4.2 (D5.1–D5.3).
/// </summary>
public sealed class Cfg<T> where T : struct, ISemiring<T>
{
    private readonly Rule<T>[] _rules;
    private readonly int[] _offsets;

    internal Cfg(Alphabet terminals, string[] nonterminals, int start, Rule<T>[] rulesSortedByLhs)
    {
        Terminals = terminals;
        Nonterminals = nonterminals;
        Start = start;
        _rules = rulesSortedByLhs;
        _offsets = new int[nonterminals.Length + 1];
        foreach (var rule in rulesSortedByLhs) _offsets[rule.Lhs + 1]++;
        for (var x = 0; x < nonterminals.Length; x++) _offsets[x + 1] += _offsets[x];
    }

    /// <summary>Σ.</summary>
    public Alphabet Terminals { get; }

    /// <summary>The nonterminal names by index.</summary>
    public IReadOnlyList<string> Nonterminals { get; }

    /// <summary>The start nonterminal S.</summary>
    public int Start { get; }

    /// <summary>All rules, grouped by left-hand side.</summary>
    public IReadOnlyList<Rule<T>> Rules => _rules;

    /// <summary>The index in <see cref="Rules"/> of the first rule of <paramref name="lhs"/>; its rules follow contiguously.</summary>
    public int FirstRuleOf(int lhs) => _offsets[lhs];

    /// <summary>The rules of nonterminal <paramref name="lhs"/>.</summary>
    public ReadOnlySpan<Rule<T>> RulesOf(int lhs) => _rules.AsSpan(_offsets[lhs], _offsets[lhs + 1] - _offsets[lhs]);

    /// <summary>
    /// Whether the grammar is in Chomsky normal form: every rule is X → Y Z (nonterminals), X → a, or S → ε
    /// with S not on any right-hand side.
    /// </summary>
    public bool IsChomskyNormalForm =>
        _rules.All(r =>
            (r.Rhs.Length == 2 && !r.Rhs[0].IsTerminal && !r.Rhs[1].IsTerminal)
            || (r.Rhs.Length == 1 && r.Rhs[0].IsTerminal)
            || (r.Rhs.Length == 0 && r.Lhs == Start))
        && (!_rules.Any(r => r.Rhs.Length == 0) || !_rules.Any(r => r.Rhs.Any(s => !s.IsTerminal && s.Id == Start)));

    /// <summary>The same grammar with every rule weight mapped by <paramref name="map"/> (e.g. Real → Log, or to Counting). O(|G|).</summary>
    public Cfg<TOther> Map<TOther>(Func<Rule<T>, TOther> map) where TOther : struct, ISemiring<TOther> =>
        new(Terminals, [.. Nonterminals], Start, _rules.Select(r => new Rule<TOther>(r.Lhs, r.Rhs, map(r))).Where(r => !r.Weight.Equals(TOther.Zero)).ToArray());

    /// <summary>The printed form of a symbol: a nonterminal's name, or a terminal in quotes.</summary>
    public string NameOf(GrammarSymbol symbol) => symbol.IsTerminal ? $"'{Terminals.NameOf(symbol.Id)}'" : Nonterminals[symbol.Id];

    /// <inheritdoc />
    public override string ToString() =>
        $"WCFG over {typeof(T).Name} with {Nonterminals.Count} nonterminals, {_rules.Length} rules, start {Nonterminals[Start]}";
}

/// <summary>The mutable side of <see cref="Cfg{T}"/>: declare nonterminals, add rules, then <see cref="Build"/>.</summary>
public sealed class CfgBuilder<T>(Alphabet terminals) where T : struct, ISemiring<T>
{
    private readonly List<string> _nonterminals = [];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<Rule<T>> _rules = [];

    /// <summary>The index of the nonterminal named <paramref name="name"/>, declaring it if new.</summary>
    public int Nonterminal(string name)
    {
        if (_ids.TryGetValue(name, out var id)) return id;
        _ids[name] = _nonterminals.Count;
        _nonterminals.Add(name);
        return _nonterminals.Count - 1;
    }

    /// <summary>Adds the rule lhs → rhs with the given weight (the right-hand side is copied).</summary>
    public CfgBuilder<T> AddRule(int lhs, ReadOnlySpan<GrammarSymbol> rhs, T weight)
    {
        if ((uint)lhs >= (uint)_nonterminals.Count) throw new ArgumentOutOfRangeException(nameof(lhs), lhs, "Unknown nonterminal.");
        foreach (var symbol in rhs)
        {
            if (symbol.IsTerminal && !terminals.Contains(symbol.Id)) throw new ArgumentOutOfRangeException(nameof(rhs), symbol.Id, "Unknown terminal.");
            if (!symbol.IsTerminal && (uint)symbol.Id >= (uint)_nonterminals.Count) throw new ArgumentOutOfRangeException(nameof(rhs), symbol.Id, "Unknown nonterminal.");
        }
        _rules.Add(new Rule<T>(lhs, [.. rhs], weight));
        return this;
    }

    /// <summary>The grammar with start symbol <paramref name="start"/>; rules of weight 0 are dropped.</summary>
    public Cfg<T> Build(int start)
    {
        if ((uint)start >= (uint)_nonterminals.Count) throw new ArgumentOutOfRangeException(nameof(start), start, "Unknown start nonterminal.");
        return new Cfg<T>(terminals, [.. _nonterminals], start, _rules.Where(r => !r.Weight.Equals(T.Zero)).OrderBy(r => r.Lhs).ToArray());
    }
}
