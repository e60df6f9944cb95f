using System.Globalization;
using System.Text;
using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Formats;

/// <summary>
/// OpenFst's AT&amp;T text format for acceptors, as <c>fstprint</c> writes and <c>fstcompile</c> reads it:
/// one arc per line, <c>source target label [weight]</c>, and one final state per line,
/// <c>state [weight]</c>; the source of the first line is the start state. Lines with two labels
/// (<c>source target input output [weight]</c>, a transducer) are accepted when both labels agree.
/// <c>&lt;eps&gt;</c> and <c>ε</c> label ε-arcs, and so does <c>0</c> when every label is an integer
/// (OpenFst's numbering without symbol tables). Weights are −ln p or probabilities (<see cref="AttWeights"/>).
/// Reading and writing are O(file size).
/// </summary>
public static class AttFormat
{
    /// <summary>The largest state id accepted, so a typo cannot allocate gigabytes.</summary>
    public const int MaxStateId = 50_000_000;

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <exception cref="ParseException">The message names the file, line and column of the problem.</exception>
    /// <exception cref="WorkbenchException">The file cannot be read.</exception>
    public static Wfsa<Log> ReadFile(string path, AttWeights weights = AttWeights.NegativeLog, Alphabet? alphabet = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new WorkbenchException($"Cannot read {path}: {exception.Message}", exception);
        }
        return Read(text, path, weights, alphabet);
    }

    /// <summary>
    /// Parses AT&amp;T text into a log-weighted automaton; <paramref name="source"/> names it in errors. The
    /// alphabet is <paramref name="alphabet"/> when given, otherwise the labels in the file (sorted, numerically
    /// when all are integers).
    /// </summary>
    /// <exception cref="ParseException">The message names the source, line and column of the problem.</exception>
    public static Wfsa<Log> Read(string text, string source, AttWeights weights = AttWeights.NegativeLog, Alphabet? alphabet = null)
    {
        var lines = Tokenise(text);
        if (lines.Count == 0) throw new ParseException($"{source}: the file has no states (an empty AT&T file is the empty machine, which has no start state).");
        // The first arc line tells the layout: two labels (a transducer listing) when it has five fields, or
        // four whose last is not a number; one label otherwise. Every arc line then follows that layout.
        var firstArc = lines.FirstOrDefault(l => l.Tokens.Count >= 3);
        var transducer = firstArc is not null && (firstArc.Tokens.Count == 5
            || firstArc.Tokens.Count == 4 && !double.TryParse(firstArc.Tokens[3].Text, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        var labels = lines.Where(l => l.Tokens.Count >= 3)
            .SelectMany(l => l.Tokens.Skip(2).Take(transducer ? 2 : 1))
            .Select(t => t.Text).ToList();
        var numeric = labels.Count > 0 && labels.All(l => int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out _));
        alphabet ??= InferAlphabet(labels, numeric, source);

        var arcs = new List<(int Source, int Label, int Target, Log Weight)>();
        var finals = new List<(int State, Log Weight)>();
        var maxState = 0;
        int? start = null;
        foreach (var line in lines)
        {
            var tokens = line.Tokens;
            var state = StateId(tokens[0], line, source);
            start ??= state;
            maxState = Math.Max(maxState, state);
            if (tokens.Count <= 2)
            {
                finals.Add((state, tokens.Count == 2 ? Weight(tokens[1], line, source, weights) : Log.One));
                continue;
            }
            var labelCount = transducer ? 2 : 1;
            if (tokens.Count > 2 + labelCount + 1)
                throw Error(source, line, tokens[^1], $"too many fields ({tokens.Count}); an arc is 'source target label [weight]'");
            if (transducer && tokens.Count < 4)
                throw Error(source, line, tokens[^1], "this file has transducer lines ('source target input output [weight]'), but this line has too few fields");
            var target = StateId(tokens[1], line, source);
            maxState = Math.Max(maxState, target);
            var label = Label(tokens[2], alphabet, numeric, line, source);
            if (transducer && tokens[3].Text != tokens[2].Text)
                throw Error(source, line, tokens[3], tokens.Count == 4
                    ? $"'{tokens[3].Text}' is not a weight, and as an output label it differs from the input label '{tokens[2].Text}'; only acceptors are supported"
                    : $"input label '{tokens[2].Text}' and output label '{tokens[3].Text}' differ; only acceptors are supported");
            var weight = tokens.Count > 2 + labelCount ? Weight(tokens[2 + labelCount], line, source, weights) : Log.One;
            arcs.Add((state, label, target, weight));
        }
        var builder = new WfsaBuilder<Log>(alphabet).EnsureStates(maxState + 1);
        builder.SetInitial(start!.Value, Log.One);
        foreach (var (state, weight) in finals) builder.SetFinal(state, weight);
        foreach (var (from, label, to, weight) in arcs) builder.AddArc(from, label, to, weight);
        return builder.Build();
    }

    /// <summary>
    /// Writes a log- or real-weighted automaton as AT&amp;T text, start state first. A machine whose initial
    /// weights are not a single 1 gets a new start state with ε-arcs carrying them (as OpenFst does).
    /// Weights are printed to round-trip exactly.
    /// </summary>
    public static string Write<T>(Wfsa<T> fsa, AttWeights weights = AttWeights.NegativeLog) where T : struct, ISemiring<T>, IRealWeight<T>
    {
        var text = new StringBuilder();
        var initial = Enumerable.Range(0, fsa.StateCount).Where(q => !fsa.InitialWeights[q].Equals(T.Zero)).ToArray();
        var direct = initial.Length == 1 && T.ToLogReal(fsa.InitialWeights[initial[0]]) == 0;
        if (!direct)
        {
            var superStart = fsa.StateCount;
            foreach (var q in initial)
                text.Append(Invariant($"{superStart}\t{q}\t<eps>\t{Format(T.ToLogReal(fsa.InitialWeights[q]), weights)}\n"));
        }
        var order = direct ? [initial[0], .. Enumerable.Range(0, fsa.StateCount).Where(q => q != initial[0])] : Enumerable.Range(0, fsa.StateCount);
        foreach (var q in order)
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
            {
                var label = fsa.ArcLabels[e] == Wfsa<T>.Epsilon ? "<eps>" : fsa.Alphabet.NameOf(fsa.ArcLabels[e]);
                text.Append(Invariant($"{q}\t{fsa.ArcTargets[e]}\t{label}\t{Format(T.ToLogReal(fsa.ArcWeights[e]), weights)}\n"));
            }
        for (var q = 0; q < fsa.StateCount; q++)
            if (!fsa.FinalWeights[q].Equals(T.Zero))
                text.Append(Invariant($"{q}\t{Format(T.ToLogReal(fsa.FinalWeights[q]), weights)}\n"));
        return text.ToString();
    }

    /// <summary>Writes the text to <paramref name="path"/> atomically (a temporary file renamed over the target).</summary>
    public static void WriteFile<T>(Wfsa<T> fsa, string path, AttWeights weights = AttWeights.NegativeLog) where T : struct, ISemiring<T>, IRealWeight<T> =>
        AtomicFile.Write(path, Write(fsa, weights));

    private sealed record Token(string Text, int Column);

    private sealed record Line(int Number, List<Token> Tokens);

    private static List<Line> Tokenise(string text)
    {
        var lines = new List<Line>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var tokens = new List<Token>();
            var column = 0;
            var content = raw.TrimEnd('\r');
            while (column < content.Length)
            {
                while (column < content.Length && char.IsWhiteSpace(content[column])) column++;
                if (column >= content.Length || content[column] == '#') break;
                var begin = column;
                while (column < content.Length && !char.IsWhiteSpace(content[column])) column++;
                tokens.Add(new Token(content[begin..column], begin + 1));
            }
            if (tokens.Count > 0) lines.Add(new Line(number, tokens));
        }
        return lines;
    }

    private static Alphabet InferAlphabet(List<string> labels, bool numeric, string source)
    {
        var symbols = labels.Where(l => !IsEpsilon(l, numeric)).Distinct().ToList();
        if (symbols.Count == 0) throw new ParseException($"{source}: no arc has a symbol, so the alphabet is empty.");
        return new Alphabet(numeric ? symbols.OrderBy(s => int.Parse(s, CultureInfo.InvariantCulture)) : symbols.Order(StringComparer.Ordinal));
    }

    private static bool IsEpsilon(string label, bool numeric) => label is "<eps>" or "ε" || (numeric && label == "0");

    private static int StateId(Token token, Line line, string source) =>
        int.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id <= MaxStateId
            ? id
            : throw Error(source, line, token, $"expected a state id (an integer from 0 to {MaxStateId}), got '{token.Text}'");

    private static int Label(Token token, Alphabet alphabet, bool numeric, Line line, string source)
    {
        if (IsEpsilon(token.Text, numeric)) return Wfsa<Log>.Epsilon;
        try
        {
            return alphabet.IdOf(token.Text);
        }
        catch (UnknownSymbolException)
        {
            throw Error(source, line, token, $"unknown symbol '{token.Text}'; the alphabet is {alphabet}");
        }
    }

    private static Log Weight(Token token, Line line, string source, AttWeights weights)
    {
        var text = token.Text.ToLowerInvariant() is "inf" or "infinity" ? "Infinity" : token.Text;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value))
            throw Error(source, line, token, $"expected a weight, got '{token.Text}'");
        if (weights == AttWeights.Probability)
        {
            if (value < 0 || double.IsPositiveInfinity(value))
                throw Error(source, line, token, $"a probability weight must be finite and non-negative, got {token.Text}");
            return new Log(Math.Log(value));
        }
        if (double.IsNegativeInfinity(value))
            throw Error(source, line, token, "a −ln p weight of −∞ would be an infinite probability");
        return new Log(-value);
    }

    private static string Format(double logValue, AttWeights weights) =>
        weights == AttWeights.Probability
            ? Math.Exp(logValue).ToString("R", CultureInfo.InvariantCulture)
            : logValue == 0 ? "0" : (-logValue).ToString("R", CultureInfo.InvariantCulture);

    private static ParseException Error(string source, Line line, Token token, string problem) =>
        new($"{source}:{line.Number}:{token.Column}: {problem}.");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
