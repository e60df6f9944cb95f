using Workbench.Formal.IO;
using Workbench.Automata.Grammars;
using System.Globalization;
using System.Text;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Formats;

/// <summary>
/// NLTK's PCFG notation: <c>S -> NP VP [0.9] | 'a' [0.1]</c>. Unquoted symbols are nonterminals, quoted
/// ones ('…' or "…") terminals; every alternative ends with its weight in brackets; an alternative with no
/// symbols is an ε-rule; a line starting with <c>|</c> continues the previous rule; <c>#</c> starts a
/// comment. The left-hand side of the first rule is the start symbol. Errors give source, line and
/// column. O(text size).
/// </summary>
public static class CfgTextFormat
{
    /// <summary>Reads the grammar in <paramref name="path"/>.</summary>
    /// <exception cref="ParseException">The message names the file, line and column.</exception>
    public static Cfg<Real> ReadFile(string path)
    {
        return Read(TextFile.ReadAll(path), path);
    }

    /// <summary>Parses grammar text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ParseException">The message names the source, line and column.</exception>
    public static Cfg<Real> Read(string text, string source)
    {
        var rules = new List<(string Lhs, List<(string Name, bool Terminal)> Rhs, double Weight)>();
        string? lhs = null;
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            var tokens = Tokenise(line, source, lineNumber);
            if (tokens.Count == 0) continue;
            var position = 0;
            if (tokens[0].Text == "|" && !tokens[0].Quoted)
            {
                if (lhs is null) throw Error(source, lineNumber, tokens[0].Column, "a continuation line needs a rule above it");
            }
            else
            {
                if (tokens.Count < 2 || tokens[1].Text != "->" || tokens[0].Quoted)
                    throw Error(source, lineNumber, tokens[0].Column, "expected 'NONTERMINAL -> alternatives'");
                lhs = tokens[0].Text;
                position = 2;
                if (position == tokens.Count) throw Error(source, lineNumber, tokens[1].Column + 2, "the rule has no alternatives");
            }
            // Alternatives: symbols then [weight], separated by '|'.
            while (position < tokens.Count)
            {
                if (tokens[position].Text == "|" && !tokens[position].Quoted) position++;
                var rhs = new List<(string, bool)>();
                while (position < tokens.Count && tokens[position].Weight is null && !(tokens[position].Text == "|" && !tokens[position].Quoted))
                {
                    if (tokens[position].Text == "->" && !tokens[position].Quoted) throw Error(source, lineNumber, tokens[position].Column, "unexpected '->'");
                    rhs.Add((tokens[position].Text, tokens[position].Quoted));
                    position++;
                }
                if (position >= tokens.Count || tokens[position].Weight is not { } weight)
                    throw Error(source, lineNumber, position < tokens.Count ? tokens[position].Column : line.Length + 1, "each alternative needs a weight in brackets, e.g. [0.5]");
                if (!(weight >= 0) || double.IsPositiveInfinity(weight))
                    throw Error(source, lineNumber, tokens[position].Column, $"the weight {weight} is not finite and non-negative");
                rules.Add((lhs!, rhs, weight));
                position++;
                // A second weight would otherwise read as an extra ε-alternative.
                if (position < tokens.Count && !(tokens[position].Text == "|" && !tokens[position].Quoted))
                    throw Error(source, lineNumber, tokens[position].Column, $"expected '|' or the end of the line after the weight, got '{tokens[position].Text}'");
            }
        }
        if (rules.Count == 0) throw new ParseException($"{source}: the grammar has no rules.");
        var names = rules.SelectMany(r => r.Rhs).Where(s => s.Terminal).Select(s => s.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        var terminals = new Alphabet(names);
        var builder = new CfgBuilder<Real>(terminals);
        foreach (var rule in rules) builder.Nonterminal(rule.Lhs);
        var declared = rules.Select(r => r.Lhs).ToHashSet();
        foreach (var (left, rhs, weight) in rules)
        {
            var symbols = rhs.Select(s => s.Terminal ? GrammarSymbol.Terminal(terminals.IdOf(s.Name))
                : declared.Contains(s.Name) ? GrammarSymbol.Nonterminal(builder.Nonterminal(s.Name))
                : throw new ParseException($"{source}: the nonterminal '{s.Name}' (in a rule of {left}) has no rules; quote it if it is a terminal.")).ToArray();
            builder.AddRule(builder.Nonterminal(left), symbols, new Real(weight));
        }
        return builder.Build(0);
    }

    /// <summary>Prints a grammar in the same notation (one line per left-hand side), weights round-tripping exactly.</summary>
    public static string Write(Cfg<Real> grammar)
    {
        var text = new StringBuilder();
        // The start symbol first, so that reading the text back keeps it.
        var order = new[] { grammar.Start }.Concat(Enumerable.Range(0, grammar.Nonterminals.Count).Where(x => x != grammar.Start));
        foreach (var x in order)
        {
            var rules = grammar.RulesOf(x).ToArray();
            if (rules.Length == 0) continue;
            text.Append(grammar.Nonterminals[x]).Append(" -> ");
            text.Append(string.Join(" | ", rules.Select(r =>
                string.Join(" ", r.Rhs.Select(grammar.NameOf)) + (r.Rhs.Length > 0 ? " " : "") + "[" + r.Weight.Value.ToString("R", CultureInfo.InvariantCulture) + "]")));
            text.Append('\n');
        }
        return text.ToString();
    }

    private sealed record Token(string Text, bool Quoted, double? Weight, int Column);

    private static List<Token> Tokenise(string line, string source, int lineNumber)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '#') break;
            var column = i + 1;
            if (c is '\'' or '"')
            {
                var end = line.IndexOf(c, i + 1);
                if (end < 0) throw Error(source, lineNumber, column, "unterminated quoted terminal");
                if (end == i + 1) throw Error(source, lineNumber, column, "an empty terminal; write an ε-rule as an alternative with no symbols");
                if (line.AsSpan(i + 1, end - i - 1).ContainsAny(" \t\r\v\f"))
                    throw Error(source, lineNumber, column, $"the terminal {line[i..(end + 1)]} contains whitespace; a terminal is one symbol");
                tokens.Add(new Token(line[(i + 1)..end], true, null, column));
                i = end + 1;
            }
            else if (c == '[')
            {
                var end = line.IndexOf(']', i);
                if (end < 0) throw Error(source, lineNumber, column, "unterminated weight");
                var body = line[(i + 1)..end].Trim();
                if (!double.TryParse(body, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight))
                    throw Error(source, lineNumber, column + 1, $"'{body}' is not a number");
                tokens.Add(new Token(body, false, weight, column));
                i = end + 1;
            }
            else if (c == '|')
            {
                tokens.Add(new Token("|", false, null, column));
                i++;
            }
            else
            {
                var start = i;
                while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] is not ('[' or '|' or '\'' or '"' or '#')) i++;
                tokens.Add(new Token(line[start..i], false, null, column));
            }
        }
        return tokens;
    }

    private static ParseException Error(string source, int line, int column, string problem) => new(source, line, column, $"{problem}.");
}
