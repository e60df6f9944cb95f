using Workbench.Formal.IO;
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
/// (<c>source target input output [weight]</c>, a transducer) are accepted when both labels agree; the layout is
/// given or deduced, and a file that does not decide it is refused (<see cref="AttLayout"/>).
/// <c>&lt;eps&gt;</c> and <c>ε</c> label ε-arcs, and so does <c>0</c> when every label is an integer
/// (OpenFst's numbering without symbol tables; reported, and optional). An empty file is the empty machine.
/// Weights are −ln p or probabilities (<see cref="AttWeights"/>).
/// Lines starting with <c>#</c> are comments.
/// Reading and writing are O(file size).
/// </summary>
public static class AttFormat
{
    /// <summary>The largest state id accepted, so a typo cannot allocate gigabytes.</summary>
    public const int MaxStateId = 50_000_000;

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <exception cref="ParseException">The message names the file, line and column of the problem.</exception>
    /// <exception cref="WorkbenchException">The file cannot be read.</exception>
    public static Wfsa<Log> ReadFile(string path, AttWeights weights = AttWeights.NegativeLog, Alphabet? alphabet = null) =>
        ReadFile(path, new AttReading(weights), alphabet);

    /// <summary>Reads the file at <paramref name="path"/> as <paramref name="reading"/> says; <paramref name="note"/> hears every convention applied.</summary>
    /// <exception cref="ParseException">The message names the file, line and column of the problem.</exception>
    /// <exception cref="WorkbenchException">The file cannot be read.</exception>
    public static Wfsa<Log> ReadFile(string path, AttReading reading, Alphabet? alphabet = null, Action<string>? note = null) =>
        Read(TextFile.ReadAll(path), path, reading, alphabet, note);

    /// <summary>Parses AT&amp;T text with the given weight convention and a deduced layout.</summary>
    /// <exception cref="ParseException">The message names the source, line and column of the problem.</exception>
    public static Wfsa<Log> Read(string text, string source, AttWeights weights = AttWeights.NegativeLog, Alphabet? alphabet = null) =>
        Read(text, source, new AttReading(weights), alphabet);

    /// <summary>
    /// Parses AT&amp;T text into a log-weighted automaton; <paramref name="source"/> names it in errors. The
    /// alphabet is <paramref name="alphabet"/> when given, otherwise the labels in the file (sorted, numerically
    /// when all are integers). One pass over the text without a string per field.
    /// </summary>
    /// <exception cref="ParseException">The message names the source, line and column of the problem.</exception>
    public static Wfsa<Log> Read(string text, string source, AttReading reading, Alphabet? alphabet = null, Action<string>? note = null)
    {
        var transducer = reading.Layout switch
        {
            AttLayout.Acceptor => false,
            AttLayout.Transducer => true,
            // A file without arc lines has no layout to deduce.
            _ => DeduceLayout(text, source) ?? false,
        };
        var parsed = ParseLines(text, source, reading.Weights, transducer);
        // An empty file is OpenFst's empty machine (no start state): it has no states and weighs every string 0.
        if (parsed.Start is not { } start) return new WfsaBuilder<Log>(alphabet ?? new Alphabet([])).Build();
        // States are numbered 0…n−1 (as fstprint writes them); a far larger id is a typo or damage that would allocate
        // every state below it.
        if (parsed.MaxState >= 1024 + 16L * parsed.Lines)
            throw new ParseException(source, parsed.MaxStateLine, 1, $"state id {parsed.MaxState} is far beyond the {parsed.Lines} lines of the file; states are numbered from 0 without large gaps.");
        return parsed.Build(start, alphabet, source, reading.ZeroIsEpsilon, note);
    }

    /// <summary>Texts longer than this are parsed in two halves on two threads.</summary>
    private const int ParallelThreshold = 1 << 20;

    // A large text is split after a line break near its middle; the halves are parsed at once (the second knowing how many
    // lines precede it, so its errors name the right line) and joined. The first half's error wins, being earlier.
    private static ParsedLines ParseLines(string text, string source, AttWeights weights, bool transducer)
    {
        var middle = text.Length >= ParallelThreshold && Environment.ProcessorCount > 1 ? text.IndexOf('\n', text.Length / 2) + 1 : 0;
        if (middle <= 0 || middle >= text.Length) return ParseRange(text.AsSpan(), 0, source, weights, transducer);
        var firstLines = 0;
        foreach (var _ in text.AsSpan(0, middle).EnumerateLines()) firstLines++;
        // The first half ends with its line break, after which the enumeration yields one more, empty line.
        var second = Task.Run(() => ParseRange(text.AsSpan(middle), firstLines - 1, source, weights, transducer));
        ParsedLines first;
        try
        {
            first = ParseRange(text.AsSpan(0, middle), 0, source, weights, transducer);
        }
        catch
        {
            try
            {
                second.Wait();
            }
            catch (AggregateException)
            {
                // The earlier error is the one to report.
            }
            throw;
        }
        first.Append(second.GetAwaiter().GetResult());
        return first;
    }

    private static ParsedLines ParseRange(ReadOnlySpan<char> text, int lineOffset, string source, AttWeights weights, bool transducer)
    {
        var parsed = new ParsedLines();
        Span<Range> fields = stackalloc Range[6];
        var lineNumber = lineOffset;
        var labelCount = transducer ? 2 : 1;
        foreach (var rawLine in text.EnumerateLines())
        {
            lineNumber++;
            var line = rawLine;
            if (line.TrimStart().StartsWith('#')) continue;
            var count = Split(line, fields);
            if (count == 0) continue;
            if (count > 5) throw Error(source, lineNumber, fields[5].Start.Value, $"too many fields ({count}); an arc is 'source target label [weight]'");
            var state = StateId(line, fields[0], source, lineNumber);
            parsed.Start ??= state;
            parsed.See(state, lineNumber);
            if (count <= 2)
            {
                parsed.Finals.Add((state, count == 2 ? Weight(line, fields[1], source, lineNumber, weights) : Log.One));
                continue;
            }
            if (count > 3 + labelCount)
                throw Error(source, lineNumber, fields[count - 1].Start.Value, $"too many fields ({count}); an arc is 'source target label [weight]'");
            if (transducer && count < 4)
                throw Error(source, lineNumber, fields[count - 1].Start.Value, "this file lists a transducer ('source target input output [weight]'), but this line has too few fields");
            var target = StateId(line, fields[1], source, lineNumber);
            parsed.See(target, lineNumber);
            if (transducer && !line[fields[3]].SequenceEqual(line[fields[2]]))
                throw Error(source, lineNumber, fields[3].Start.Value, count == 4
                    ? $"'{line[fields[3]]}' is not a weight, and as an output label it differs from the input label '{line[fields[2]]}'; only acceptors are supported"
                    : $"input label '{line[fields[2]]}' and output label '{line[fields[3]]}' differ; only acceptors are supported");
            var label = parsed.LabelIndex(line[fields[2]], lineNumber, fields[2].Start.Value + 1);
            var weight = count > 2 + labelCount ? Weight(line, fields[2 + labelCount], source, lineNumber, weights) : Log.One;
            parsed.Arcs.Add((state, label, target, weight));
        }
        parsed.Lines = lineNumber;
        return parsed;
    }

    /// <summary>
    /// The layout the arc lines imply (true for a transducer listing), from the first line that decides it; refused
    /// when no line does (every arc line is <c>s d x y</c> with integers x and y: acceptor weight or output label?).
    /// </summary>
    private static bool? DeduceLayout(string text, string source)
    {
        Span<Range> fields = stackalloc Range[6];
        var lineNumber = 0;
        int? ambiguousLine = null;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            if (line.TrimStart().StartsWith('#')) continue;
            var count = Split(line, fields);
            if (count <= 2) continue;
            if (count == 3) return false;
            if (count >= 5) return true;
            // Labels are names or integers, so a fourth field that is a number but no integer (0.693147182, 1e-5, inf) is a
            // weight, a non-number is an output label, and an integer after an integer label could be either.
            var last = line[fields[3]];
            if (!double.TryParse(last, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && !last.Equals("inf", StringComparison.OrdinalIgnoreCase)) return true;
            var labelIsInteger = int.TryParse(line[fields[2]], NumberStyles.None, CultureInfo.InvariantCulture, out _);
            var lastIsInteger = int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out _);
            if (!labelIsInteger || !lastIsInteger) return false;
            ambiguousLine ??= lineNumber;
        }
        return ambiguousLine is { } first
            ? throw new AmbiguousLayoutException(source, first, $"every arc line has four fields 's d x y' with integers x and y, which OpenFst reads as a transducer arc x:y and " +
                                       "OpenFst's printer writes as an acceptor arc x with weight y in acceptor mode; the layout (transducer or acceptor) must be given.")
            : null;
    }

    /// <summary>
    /// Writes a log- or real-weighted automaton as AT&amp;T text, start state first. A machine whose initial
    /// weights are not a single 1 gets a new start state with ε-arcs carrying them (as OpenFst does). ε is written
    /// <c>&lt;eps&gt;</c>, or 0 when every symbol is an integer (what <c>fstcompile</c> without symbol tables reads).
    /// Weights are printed to round-trip exactly.
    /// </summary>
    public static string Write<T>(Wfsa<T> fsa, AttWeights weights = AttWeights.NegativeLog) where T : struct, ISemiring<T>, IRealWeight<T>
    {
        var text = new StringBuilder();
        var initial = Enumerable.Range(0, fsa.StateCount).Where(q => !fsa.InitialWeights[q].Equals(T.Zero)).ToArray();
        var direct = initial.Length == 1 && T.ToLogReal(fsa.InitialWeights[initial[0]]) == 0;
        // fstcompile without symbol tables reads integer labels only, with ε as 0.
        var numeric = fsa.Alphabet.Size > 0 && fsa.Alphabet.Symbols.All(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _));
        var epsilon = numeric ? "0" : "<eps>";
        if (numeric && fsa.Alphabet.Symbols.Contains("0") && (!direct && initial.Length > 0 || fsa.HasEpsilonArcs))
            throw new WorkbenchException("Cannot write this machine as AT&T text: its alphabet is all integers, so ε must be written as 0, but 0 is also one of its symbols.");
        if (!direct)
        {
            var superStart = fsa.StateCount;
            foreach (var q in initial)
                text.Append(Invariant($"{superStart}\t{q}\t{epsilon}\t{Format(T.ToLogReal(fsa.InitialWeights[q]), weights)}\n"));
        }
        var order = direct ? [initial[0], .. Enumerable.Range(0, fsa.StateCount).Where(q => q != initial[0])] : Enumerable.Range(0, fsa.StateCount);
        foreach (var q in order)
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
            {
                var label = fsa.ArcLabels[e] == Wfsa<T>.Epsilon ? epsilon : fsa.Alphabet.NameOf(fsa.ArcLabels[e]);
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

    /// <summary>What one pass collects: arcs with provisional label indices, final weights, the start state.</summary>
    private sealed class ParsedLines
    {
        private readonly Dictionary<string, int> _labels = [];
        private readonly List<(string Name, int Line, int Column)> _firstUse = [];

        public int? Start { get; set; }
        public int MaxState { get; private set; }
        public int MaxStateLine { get; private set; }

        /// <summary>The number of the last line read.</summary>
        public int Lines { get; set; }

        /// <summary>Joins the lines that follow these: their labels are renumbered into these, their arcs and finals appended.</summary>
        public void Append(ParsedLines later)
        {
            var renumbered = later._firstUse.Select(use => LabelIndex(use.Name, use.Line, use.Column)).ToArray();
            Arcs.AddRange(later.Arcs.Select(arc => (arc.Source, renumbered[arc.Label], arc.Target, arc.Weight)));
            Finals.AddRange(later.Finals);
            Start ??= later.Start;
            if (later.MaxState > MaxState) See(later.MaxState, later.MaxStateLine);
            Lines = later.Lines;
        }

        public void See(int state, int line)
        {
            if (state > MaxState) (MaxState, MaxStateLine) = (state, line);
        }
        public List<(int Source, int Label, int Target, Log Weight)> Arcs { get; } = [];
        public List<(int State, Log Weight)> Finals { get; } = [];

        public int LabelIndex(ReadOnlySpan<char> name, int line, int column)
        {
            var lookup = _labels.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(name, out var index)) return index;
            var text = name.ToString();
            _labels[text] = _firstUse.Count;
            _firstUse.Add((text, line, column));
            return _firstUse.Count - 1;
        }

        public Wfsa<Log> Build(int start, Alphabet? alphabet, string source, bool zeroIsEpsilon, Action<string>? note)
        {
            var numeric = _firstUse.Count > 0 && _firstUse.All(l => int.TryParse(l.Name, NumberStyles.None, CultureInfo.InvariantCulture, out _));
            bool IsEpsilon(string name) => name is "<eps>" or "ε" || (numeric && zeroIsEpsilon && name == "0");
            if (numeric && zeroIsEpsilon && _firstUse.FirstOrDefault(l => l.Name == "0") is { Name: not null } zero)
                note?.Invoke($"{source}:{zero.Line}:{zero.Column}: label 0 is read as ε (OpenFst's numbering without symbol tables); it can be read as a symbol instead.");
            if (alphabet is null)
            {
                var symbols = _firstUse.Select(l => l.Name).Where(n => !IsEpsilon(n)).ToList();
                alphabet = new Alphabet(numeric ? symbols.OrderBy(n => int.Parse(n, CultureInfo.InvariantCulture)) : symbols.Order(StringComparer.Ordinal));
            }
            var ids = new int[_firstUse.Count];
            for (var i = 0; i < ids.Length; i++)
            {
                var (name, line, column) = _firstUse[i];
                if (IsEpsilon(name)) ids[i] = Wfsa<Log>.Epsilon;
                else if (alphabet.Symbols.Contains(name)) ids[i] = alphabet.IdOf(name);
                else throw new ParseException(source, line, column, $"unknown symbol '{name}'; the alphabet is {alphabet}.");
            }
            var builder = new WfsaBuilder<Log>(alphabet).EnsureStates(MaxState + 1);
            builder.SetInitial(start, Log.One);
            foreach (var (state, weight) in Finals) builder.SetFinal(state, weight);
            foreach (var (from, label, to, weight) in Arcs) builder.AddArc(from, ids[label], to, weight);
            return builder.Build();
        }
    }

    private static int Split(ReadOnlySpan<char> line, Span<Range> fields)
    {
        var count = 0;
        var column = 0;
        while (column < line.Length)
        {
            while (column < line.Length && char.IsWhiteSpace(line[column])) column++;
            if (column >= line.Length) break;
            var begin = column;
            while (column < line.Length && !char.IsWhiteSpace(line[column])) column++;
            if (count < fields.Length) fields[count] = begin..column;
            count++;
        }
        return count;
    }

    private static int StateId(ReadOnlySpan<char> line, Range field, string source, int lineNumber) =>
        int.TryParse(line[field], NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id <= MaxStateId
            ? id
            : throw Error(source, lineNumber, field.Start.Value, $"expected a state id (an integer from 0 to {MaxStateId}), got '{line[field]}'");

    private static Log Weight(ReadOnlySpan<char> line, Range field, string source, int lineNumber, AttWeights weights)
    {
        var token = line[field];
        double value;
        if (token.Equals("inf", StringComparison.OrdinalIgnoreCase) || token.Equals("infinity", StringComparison.OrdinalIgnoreCase)) value = double.PositiveInfinity;
        else if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || double.IsNaN(value))
            throw Error(source, lineNumber, field.Start.Value, $"expected a weight, got '{token}'");
        if (weights == AttWeights.Probability)
        {
            if (value < 0 || double.IsPositiveInfinity(value))
                throw Error(source, lineNumber, field.Start.Value, $"a probability weight must be finite and non-negative, got {token}");
            return new Log(Math.Log(value));
        }
        if (double.IsNegativeInfinity(value))
            throw Error(source, lineNumber, field.Start.Value, "a −ln p weight of −∞ would be an infinite probability");
        return new Log(-value);
    }

    private static string Format(double logValue, AttWeights weights) =>
        weights == AttWeights.Probability
            ? Math.Exp(logValue).ToString("R", CultureInfo.InvariantCulture)
            : logValue == 0 ? "0" : (-logValue).ToString("R", CultureInfo.InvariantCulture);

    private static ParseException Error(string source, int line, int zeroBasedColumn, string problem) =>
        new($"{source}:{line}:{zeroBasedColumn + 1}: {problem}.");
}

/// <summary>An AT&amp;T file whose integer lines read both as transducer arcs and as weighted acceptor arcs: the layout must be given.</summary>
public sealed class AmbiguousLayoutException(string source, int line, string problem) : ParseException(source, line, 1, problem);
