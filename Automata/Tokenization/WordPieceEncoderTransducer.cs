using System.Globalization;
using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Tokenization;

/// <summary>
/// WordPiece's τ as a functional transducer from base symbols to token ids: every text over the base symbols has exactly
/// one path, of weight 1, and it writes τ(x). Greedy longest match is finite-state because a piece is at most L symbols
/// long: while the symbols read since the last committed piece still start some piece they are held; the first symbol
/// that extends no piece commits the longest piece among them, and the rest is read again. A word whose greedy match
/// gets stuck, or that is longer than <see cref="WordPieceTokenizer.MaxWordLength"/>, is the unknown token — which
/// depends on the whole word — so each word starts with a choice of two branches: one writes the pieces and dies if
/// the match gets stuck, the other writes the unknown token and dies unless it does; exactly one survives. States are
/// (branch, held symbols, continuation, word length), so O(2·P·(MaxWordLength + 1)) for P prefixes of pieces, refused
/// beyond <see cref="StateBudget"/>.
/// </summary>
internal sealed class WordPieceEncoderTransducer
{
    /// <summary>The most states built.</summary>
    public const int StateBudget = 2_000_000;

    private const int Epsilon = Wfst<Real>.Epsilon;

    // Where the machine is: at the start, inside a word on one branch, on the unknown branch after the match got stuck
    // (until the word ends), or after the last word's pieces were written.
    private enum Phase { Start, InWord, Stuck, End }

    private readonly record struct Situation(Phase Phase, bool Unknown, string Held, bool Continues, int Length, int Previous);

    private readonly WordPieceTokenizer _tokenizer;
    private readonly HashSet<string>[] _prefixes = [new(StringComparer.Ordinal), new(StringComparer.Ordinal)];
    private readonly Dictionary<Situation, int> _ids = [];
    private readonly Queue<Situation> _queue = new();
    private readonly List<Real> _final = [];
    private readonly List<List<FstArc<Real>>> _arcs = [];

    private WordPieceEncoderTransducer(WordPieceTokenizer tokenizer)
    {
        _tokenizer = tokenizer;
        for (var token = 0; token < tokenizer.Unknown; token++)
        {
            var piece = tokenizer.PieceOf(token);
            for (var length = 1; length <= piece.Units.Length; length++) _prefixes[piece.Continues ? 1 : 0].Add(Key(piece.Units.Take(length)));
        }
    }

    /// <summary>τ of <paramref name="tokenizer"/>; input symbols are those of <see cref="CharacterModel.BaseAlphabet"/>, output symbols token ids.</summary>
    /// <exception cref="WorkbenchException">The pre-tokenization is not local in the base symbols (<see cref="LocalSegmentation"/>).</exception>
    /// <exception cref="BudgetExceededException">More than <see cref="StateBudget"/> states.</exception>
    public static Wfst<Real> Of(WordPieceTokenizer tokenizer)
    {
        LocalSegmentation.Require(tokenizer, "The WordPiece encoder transducer");
        return new WordPieceEncoderTransducer(tokenizer).Build();
    }

    private Wfst<Real> Build()
    {
        StateOf(new Situation(Phase.Start, false, "", false, 0, 0));
        var symbols = _tokenizer.BaseSymbols;
        while (_queue.TryDequeue(out var situation))
        {
            var from = _ids[situation];
            var held = Units(situation.Held);
            for (var symbol = 0; symbol < symbols.Length; symbol++) AddMoves(from, situation, held, symbol, symbols[symbol]);
            AddEnding(from, situation, held);
        }
        var initial = new Real[_final.Count];
        initial[0] = Real.One;
        return new Wfst<Real>(CharacterModel.BaseAlphabet(_tokenizer), CharacterModel.TokenAlphabet(_tokenizer), initial, [.. _final], _arcs);
    }

    // The moves of a situation (with its held symbols) on one base symbol (its id in the input alphabet, and the unit it stands for).
    private void AddMoves(int from, Situation situation, List<int> held, int symbol, int unit)
    {
        var mode = _tokenizer.PreTokenization;
        switch (situation.Phase)
        {
            case Phase.Start:
                StartWord(from, symbol, unit, []);
                return;
            case Phase.Stuck:
                if (LocalSegmentation.StartsSegment(mode, situation.Previous, unit)) StartWord(from, symbol, unit, []);
                else AddPath(from, symbol, [], Stuck(unit));
                return;
            case Phase.InWord:
                break;
            default:
                return;
        }
        if (LocalSegmentation.StartsSegment(mode, held[^1], unit))
        {
            // The word ends here: the pieces branch writes what it held, the unknown branch survives only if that is stuck.
            var rest = Flush(held, situation.Continues);
            if ((rest is null) == situation.Unknown) StartWord(from, symbol, unit, rest ?? []);
            return;
        }
        var written = new List<int>();
        var (next, continues) = (new List<int>(held), situation.Continues);
        var extended = situation.Length < WordPieceTokenizer.MaxWordLength && Push(next, ref continues, unit, written);
        if (!situation.Unknown)
        {
            if (extended) AddPath(from, symbol, written, InWord(false, next, continues, situation.Length + 1));
        }
        else AddPath(from, symbol, [], extended ? InWord(true, next, continues, situation.Length + 1) : Stuck(unit));
    }

    // A new word starts with this symbol, after writing the previous word's last pieces: one branch per outcome.
    private void StartWord(int from, int symbol, int unit, IReadOnlyList<int> before)
    {
        var held = new List<int>();
        var continues = false;
        var matches = Push(held, ref continues, unit, []);
        if (matches) AddPath(from, symbol, before, InWord(false, held, continues, 1));
        AddPath(from, symbol, [.. before, _tokenizer.Unknown], matches ? InWord(true, held, continues, 1) : Stuck(unit));
    }

    // The end of the text: the pieces branch writes what it held (on ε-input arcs) and stops; the unknown branch and a
    // stuck word stop only if the match is stuck.
    private void AddEnding(int from, Situation situation, List<int> held)
    {
        switch (situation.Phase)
        {
            case Phase.Start or Phase.Stuck or Phase.End:
                _final[from] = Real.One;
                return;
        }
        var rest = Flush(held, situation.Continues);
        if (situation.Unknown)
        {
            if (rest is null) _final[from] = Real.One;
        }
        else if (rest is not null) AddPath(from, Epsilon, rest, StateOf(new Situation(Phase.End, false, "", false, 0, 0)));
    }

    // Greedy longest match, one symbol at a time: hold the symbol if the held symbols still start a piece; otherwise
    // commit the longest piece they start with and read the rest again. False when no piece matches at a position.
    private bool Push(List<int> held, ref bool continues, int unit, List<int> written)
    {
        held.Add(unit);
        if (_prefixes[continues ? 1 : 0].Contains(Key(held))) return true;
        held.RemoveAt(held.Count - 1);
        if (held.Count == 0 || !TryLongestPiece(held, continues, out var piece, out var length)) return false;
        written.Add(piece);
        var rest = held.Skip(length).Append(unit).ToArray();
        held.Clear();
        continues = true;
        foreach (var u in rest)
            if (!Push(held, ref continues, u, written)) return false;
        return true;
    }

    // The pieces of the held symbols at the end of a word, or null when the match gets stuck.
    private List<int>? Flush(IReadOnlyList<int> held, bool continues)
    {
        var written = new List<int>();
        var rest = held.ToList();
        while (rest.Count > 0)
        {
            if (!TryLongestPiece(rest, continues, out var piece, out var length)) return null;
            written.Add(piece);
            rest.RemoveRange(0, length);
            continues = true;
        }
        return written;
    }

    private bool TryLongestPiece(IReadOnlyList<int> held, bool continues, out int piece, out int length)
    {
        for (length = held.Count; length > 0; length--)
            if (_tokenizer.TryPiece(held.Take(length), continues, out piece)) return true;
        piece = -1;
        return false;
    }

    private int InWord(bool unknown, List<int> held, bool continues, int length) => StateOf(new Situation(Phase.InWord, unknown, Key(held), continues, length, 0));

    private int Stuck(int previous) => StateOf(new Situation(Phase.Stuck, true, "", false, 0, previous));

    private int StateOf(Situation situation)
    {
        if (_ids.TryGetValue(situation, out var id)) return id;
        id = NewState();
        _ids[situation] = id;
        _queue.Enqueue(situation);
        return id;
    }

    private int NewState()
    {
        if (_final.Count >= StateBudget)
            throw new BudgetExceededException($"The WordPiece encoder transducer exceeds {StateBudget:N0} states (pieces of up to {_tokenizer.MaxPieceLength} symbols, words of up to {WordPieceTokenizer.MaxWordLength}).");
        _final.Add(Real.Zero);
        _arcs.Add([]);
        return _final.Count - 1;
    }

    // A path that reads one symbol (or ε) and writes the tokens, through fresh states after the first arc.
    private void AddPath(int from, int symbol, IReadOnlyList<int> tokens, int to)
    {
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            var middle = NewState();
            _arcs[from].Add(new FstArc<Real>(i == 0 ? symbol : Epsilon, tokens[i], middle, Real.One));
            from = middle;
        }
        _arcs[from].Add(new FstArc<Real>(tokens.Count <= 1 ? symbol : Epsilon, tokens.Count == 0 ? Epsilon : tokens[^1], to, Real.One));
    }

    private static string Key(IEnumerable<int> units) => string.Join(",", units.Select(u => u.ToString(CultureInfo.InvariantCulture)));

    private static List<int> Units(string key) => key.Length == 0 ? [] : [.. key.Split(',').Select(u => int.Parse(u, CultureInfo.InvariantCulture))];
}
