using System.Globalization;
using System.Text;
using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Formats;

/// <summary>
/// AT&amp;T text for transducers with real weights written as −ln w, as OpenFst's <c>fstcompile</c> (without
/// <c>--acceptor</c>) reads it and <c>fstprint</c> writes it: arc lines <c>source target input output [weight]</c> and final
/// lines <c>state [weight]</c>, ε as <c>&lt;eps&gt;</c>, state 0 initial. Symbols are names; the alphabets are the names
/// that occur (in order of first occurrence) unless given. O(file size).
/// </summary>
public static class AttTransducerFormat
{
    private const string EpsilonName = "<eps>";

    /// <summary>The text of a transducer whose only initial state is 0 with weight 1.</summary>
    /// <exception cref="WorkbenchException">State 0 is not the only initial state, or its initial weight is not 1.</exception>
    public static string Write(Wfst<Real> fst)
    {
        for (var q = 0; q < fst.StateCount; q++)
            if (fst.InitialWeights[q].Value != (q == 0 ? 1 : 0))
                throw new WorkbenchException("AT&T text has one initial state, 0, with weight 1; this transducer has other initial weights.");
        var text = new StringBuilder();
        string Weight(double w) => (-Math.Log(w)).ToString("R", CultureInfo.InvariantCulture);
        for (var q = 0; q < fst.StateCount; q++)
            foreach (var arc in fst.ArcsOf(q))
                text.Append(CultureInfo.InvariantCulture, $"{q}\t{arc.Target}\t{Name(fst.InputAlphabet, arc.Input)}\t{Name(fst.OutputAlphabet, arc.Output)}\t{Weight(arc.Weight.Value)}\n");
        for (var q = 0; q < fst.StateCount; q++)
            if (fst.FinalWeights[q].Value > 0) text.Append(CultureInfo.InvariantCulture, $"{q}\t{Weight(fst.FinalWeights[q].Value)}\n");
        return text.ToString();
    }

    /// <summary>Reads a transducer; the alphabets are given or made of the names that occur.</summary>
    /// <exception cref="ParseException">A line is malformed; the message names the source, line and column.</exception>
    public static Wfst<Real> Read(string text, string source, Alphabet? input = null, Alphabet? output = null)
    {
        var arcs = new List<(int From, int To, string In, string Out, double W)>();
        var finals = new List<(int State, double W)>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var fields = lines[i].Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0) continue;
            int State(int k) => int.TryParse(fields[k], NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s < 10_000_000 ? s
                : throw new ParseException(source, i + 1, 1, $"'{fields[k]}' is not a state id");
            double Weight(int k) => k >= fields.Length ? 1
                : double.TryParse(fields[k], NumberStyles.Float, CultureInfo.InvariantCulture, out var w) && !double.IsNaN(w) && w > double.NegativeInfinity ? Math.Exp(-w)
                : throw new ParseException(source, i + 1, 1, $"'{fields[k]}' is not a weight (−ln w)");
            switch (fields.Length)
            {
                case 1 or 2: finals.Add((State(0), Weight(1))); break;
                case 4 or 5: arcs.Add((State(0), State(1), fields[2], fields[3], Weight(4))); break;
                default: throw new ParseException(source, i + 1, 1, "expected 'source target input output [weight]' or 'state [weight]'");
            }
        }
        input ??= new Alphabet(arcs.Select(a => a.In).Where(n => n != EpsilonName).Distinct());
        output ??= new Alphabet(arcs.Select(a => a.Out).Where(n => n != EpsilonName).Distinct());
        var states = arcs.Select(a => Math.Max(a.From, a.To)).Concat(finals.Select(f => f.State)).DefaultIfEmpty(0).Max() + 1;
        var lists = Enumerable.Range(0, states).Select(_ => new List<FstArc<Real>>()).ToArray();
        int Id(Alphabet alphabet, string name) => name == EpsilonName ? Wfst<Real>.Epsilon
            : alphabet.Symbols.Contains(name) ? alphabet.IdOf(name) : throw new ParseException($"{source}: the symbol '{name}' is not in the alphabet {alphabet}.");
        foreach (var (from, to, inName, outName, w) in arcs) lists[from].Add(new FstArc<Real>(Id(input, inName), Id(output, outName), to, new Real(w)));
        var final = new Real[states];
        foreach (var (state, w) in finals) final[state] = new Real(final[state].Value + w);
        var initial = new Real[states];
        initial[0] = Real.One;
        return new Wfst<Real>(input, output, initial, final, lists);
    }

    /// <summary>An OpenFst symbol table for an alphabet: <c>&lt;eps&gt; 0</c>, then each symbol with its id plus one.</summary>
    public static string SymbolTable(Alphabet alphabet) =>
        $"{EpsilonName} 0\n" + string.Concat(alphabet.Symbols.Select((name, id) => string.Create(CultureInfo.InvariantCulture, $"{name} {id + 1}\n")));

    private static string Name(Alphabet alphabet, int symbol) => symbol == Wfst<Real>.Epsilon ? EpsilonName : alphabet.NameOf(symbol);
}
