using Workbench.Automata.Pathsums;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars.Parsing;

/// <summary>
/// Semiring-weighted Earley parsing of an arbitrary grammar — rules of any length, terminals anywhere, ε-rules
/// and unary cycles — in the spirit of Opedal et al. (2023). Items [i, j, X → α • β] carry the weight of α
/// deriving y_{i+1..j}. Empty yields never become items: a nullable symbol after the dot may instead be skipped
/// at weight ν(Y) (<see cref="EpsilonWeights"/>), and the answer for ε is ν(S). Same-span chains X ⇒ Y (a rule
/// X → α Y β with α, β nullable, weight U[X, Y] = w·ν(α)·ν(β)) would loop, so each span's complete
/// constituents are found from the others by one product with the closure U* (<see cref="Closure.Lehmann"/>).
/// Prediction follows the left corners from the items waiting at a position. Time O(n³|G| + n²|N|²), space
/// O(n²|G|). Agrees with CKY on the Chomsky normal form in every semiring. Notes §4.2 (P5.5).
/// </summary>
public sealed class EarleyParser<T> where T : struct, IClosedSemiring<T>
{
    private readonly Cfg<T> _grammar;
    private readonly T[] _nullable;
    private readonly T[,] _unaryClosure;
    private readonly int _n;

    /// <summary>Prepares the parser: ν from <paramref name="epsilonWeights"/> or, when omitted, by exact Kleene iteration; then the unary closure. O(|G| + |N|³).</summary>
    /// <exception cref="DivergenceException">The unary chains, or the ε-derivations, have no finite weight.</exception>
    public EarleyParser(Cfg<T> grammar, T[]? epsilonWeights = null)
    {
        _grammar = grammar;
        _n = grammar.Nonterminals.Count;
        _nullable = epsilonWeights ?? EpsilonWeights.ByIteration(grammar);
        if (_nullable.Length != _n) throw new ArgumentException($"Expected {_n} ε-weights, got {_nullable.Length}.", nameof(epsilonWeights));
        var unary = new T[_n, _n];
        for (var x = 0; x < _n; x++)
            for (var y = 0; y < _n; y++) unary[x, y] = T.Zero;
        // Only a nonterminal that derives a non-empty string ever completes a span, so chains into the others are left out:
        // at criticality their ε-chains have infinite total weight that no string uses.
        var nonEmpty = DerivesNonEmpty(grammar, _nullable);
        foreach (var rule in grammar.Rules)
            for (var position = 0; position < rule.Rhs.Length; position++)
            {
                var symbol = rule.Rhs[position];
                if (symbol.IsTerminal || !nonEmpty[symbol.Id]) continue;
                var weight = rule.Weight;
                for (var other = 0; other < rule.Rhs.Length && !weight.Equals(T.Zero); other++)
                    if (other != position) weight = T.Multiply(weight, NullWeight(rule.Rhs[other]));
                unary[rule.Lhs, symbol.Id] = T.Add(unary[rule.Lhs, symbol.Id], weight);
            }
        _unaryClosure = Closure.Lehmann(unary);
    }

    // X derives a non-empty string iff some rule has a terminal or such a nonterminal, and its other symbols derive something.
    private bool[] DerivesNonEmpty(Cfg<T> grammar, T[] nullable)
    {
        var derivesEmpty = new bool[_n];
        for (var x = 0; x < _n; x++) derivesEmpty[x] = !nullable[x].Equals(T.Zero);
        var nonEmpty = new bool[_n];
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var rule in grammar.Rules)
            {
                if (!rule.Rhs.All(s => s.IsTerminal || derivesEmpty[s.Id] || nonEmpty[s.Id])) continue;
                if (!nonEmpty[rule.Lhs] && rule.Rhs.Any(s => s.IsTerminal || nonEmpty[s.Id])) changed = nonEmpty[rule.Lhs] = true;
            }
        }
        return nonEmpty;
    }

    /// <summary>The weight G(y): the ⊕-sum over y's derivations of the ⊗-product of their rules' weights.</summary>
    /// <exception cref="Formal.Errors.UnknownSymbolException">y has an id outside Σ.</exception>
    public T Weight(ReadOnlySpan<int> y)
    {
        _grammar.Terminals.Validate(y);
        var n = y.Length;
        if (n == 0) return _nullable[_grammar.Start];
        var columns = new Column[n + 1];
        columns[0] = new Column();
        Predict(columns[0], 0, [_grammar.Start]);
        var complete = new T[n + 1][][];   // complete[j][i][X] for the span (i, j]
        for (var j = 1; j <= n; j++)
        {
            var column = columns[j] = new Column();
            complete[j] = new T[j][];
            for (var i = j - 1; i >= 0; i--)
            {
                var direct = Zeros(_n);
                foreach (var (item, weight) in columns[j - 1].Scannable(i, y[j - 1])) Advance(column, j, item, weight, direct);
                for (var k = i + 1; k < j; k++)
                {
                    var span = complete[j][k];
                    for (var symbol = 0; symbol < _n; symbol++)
                        if (!span[symbol].Equals(T.Zero))
                            foreach (var (item, weight) in columns[k].Waiting(i, symbol)) Advance(column, j, item, T.Multiply(weight, span[symbol]), direct);
                }
                var closed = complete[j][i] = Close(direct);
                for (var symbol = 0; symbol < _n; symbol++)
                    if (!closed[symbol].Equals(T.Zero))
                        foreach (var (item, weight) in columns[i].Waiting(i, symbol)) Advance(column, j, item, T.Multiply(weight, closed[symbol]), null);
            }
            Predict(column, j, column.WantedNonterminals());
        }
        return complete[n][0][_grammar.Start];
    }

    // Moves the dot past one symbol, then past any nullable symbols (each at weight ν); a finished item adds to
    // `direct`, unless it finished by a same-span chain (direct == null), which the unary closure already counts.
    private void Advance(Column column, int end, Item item, T weight, T[]? direct)
    {
        var rule = _grammar.Rules[item.Rule];
        for (var dot = item.Dot + 1; ; dot++)
        {
            if (dot == rule.Rhs.Length)
            {
                if (direct is not null) direct[rule.Lhs] = T.Add(direct[rule.Lhs], weight);
                return;
            }
            column.Add(new Item(item.Start, item.Rule, dot), weight, rule.Rhs[dot]);
            var next = rule.Rhs[dot];
            if (next.IsTerminal || _nullable[next.Id].Equals(T.Zero)) return;
            weight = T.Multiply(weight, _nullable[next.Id]);
        }
    }

    // Items [j, j, X → α • β] for the nonterminals wanted at j and their left corners, with nullable α skipped.
    private void Predict(Column column, int j, IEnumerable<int> wanted)
    {
        var predicted = new HashSet<int>();
        var queue = new Queue<int>(wanted.Where(predicted.Add));
        while (queue.TryDequeue(out var x))
        {
            var first = _grammar.FirstRuleOf(x);
            var rules = _grammar.RulesOf(x);
            for (var r = 0; r < rules.Length; r++)
            {
                var weight = rules[r].Weight;
                for (var dot = 0; dot < rules[r].Rhs.Length; dot++)
                {
                    var symbol = rules[r].Rhs[dot];
                    column.Add(new Item(j, first + r, dot), weight, symbol);
                    if (symbol.IsTerminal) break;
                    if (predicted.Add(symbol.Id)) queue.Enqueue(symbol.Id);
                    if (_nullable[symbol.Id].Equals(T.Zero)) break;
                    weight = T.Multiply(weight, _nullable[symbol.Id]);
                }
            }
        }
    }

    // C = U*·direct: every constituent of the span, including those reached by same-span chains.
    private T[] Close(T[] direct)
    {
        var closed = Zeros(_n);
        for (var y = 0; y < _n; y++)
        {
            if (direct[y].Equals(T.Zero)) continue;
            for (var x = 0; x < _n; x++) closed[x] = T.Add(closed[x], T.Multiply(_unaryClosure[x, y], direct[y]));
        }
        return closed;
    }

    private T NullWeight(GrammarSymbol symbol) => symbol.IsTerminal ? T.Zero : _nullable[symbol.Id];

    private static T[] Zeros(int count)
    {
        var zeros = new T[count];
        Array.Fill(zeros, T.Zero);
        return zeros;
    }

    private readonly record struct Item(int Start, int Rule, int Dot);

    // The unfinished items ending at one position, indexed by what they wait for.
    private sealed class Column
    {
        private readonly Dictionary<Item, T> _weights = [];
        private readonly Dictionary<(int Start, int Nonterminal), List<Item>> _waiting = [];
        private readonly Dictionary<(int Start, int Terminal), List<Item>> _scannable = [];

        public void Add(Item item, T weight, GrammarSymbol next)
        {
            if (_weights.TryGetValue(item, out var existing))
            {
                _weights[item] = T.Add(existing, weight);
                return;
            }
            _weights[item] = weight;
            var index = next.IsTerminal ? _scannable : _waiting;
            var key = (item.Start, next.Id);
            if (!index.TryGetValue(key, out var list)) index[key] = list = [];
            list.Add(item);
        }

        public IEnumerable<(Item Item, T Weight)> Waiting(int start, int nonterminal) =>
            _waiting.TryGetValue((start, nonterminal), out var items) ? items.Select(item => (item, _weights[item])) : [];

        public IEnumerable<(Item Item, T Weight)> Scannable(int start, int terminal) =>
            _scannable.TryGetValue((start, terminal), out var items) ? items.Select(item => (item, _weights[item])) : [];

        public IEnumerable<int> WantedNonterminals() => _waiting.Keys.Select(key => key.Nonterminal).Distinct();
    }
}

/// <summary>Earley parsing of real-weighted grammars, with ε-weights by Newton's method.</summary>
public static class Earley
{
    /// <summary>G(y) for a real-weighted grammar of any shape. O(n³|G|) after O(|N|³) preparation.</summary>
    /// <exception cref="DivergenceException">Unary chains or ε-derivations have infinite weight.</exception>
    public static double Weight(Cfg<Real> grammar, ReadOnlySpan<int> y) =>
        new EarleyParser<Real>(grammar, EpsilonWeights.Of(grammar).Select(v => new Real(v)).ToArray()).Weight(y).Value;
}
