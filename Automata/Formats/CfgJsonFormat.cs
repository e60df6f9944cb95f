using Workbench.Formal.IO;
using Workbench.Automata.Grammars;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Automata.Formats;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Formats;

/// <summary>
/// The workbench's JSON format for real-weighted grammars, unambiguous where a terminal and a nonterminal
/// share a name and able to declare terminals no rule uses:
/// <code>
/// { "start": "S", "terminals": ["a", "b"],
///   "rules": [{ "lhs": "S", "rhs": [{ "terminal": "a" }, { "nonterminal": "S" }, { "terminal": "b" }], "weight": 0.5 },
///             { "lhs": "S", "rhs": [], "weight": 0.5 }] }
/// </code>
/// <c>terminals</c> is optional (the terminals the rules use, sorted); <c>start</c> defaults to the first
/// rule's left-hand side. Errors name the JSON path. O(file size).
/// </summary>
public static class CfgJsonFormat
{
    /// <summary>Reads the grammar in <paramref name="path"/>.</summary>
    /// <exception cref="ParseException">The message names the file and the JSON path or line.</exception>
    public static Cfg<Real> ReadFile(string path) => Read(TextFile.ReadAll(path), path);

    /// <summary>Parses JSON text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ParseException">The message names the source and the JSON path or line.</exception>
    public static Cfg<Real> Read(string text, string source)
    {
        var (json, root) = JsonSource.Parse(text, source);
        var rules = json.Array(root["rules"], "rules").Select((node, i) =>
        {
            var path = $"rules[{i}]";
            var lhs = json.String(json.Member(node, "lhs", path), $"{path}.lhs");
            var rhs = json.Array(json.Member(node, "rhs", path), $"{path}.rhs").Select((symbol, k) => Symbol(json, symbol, $"{path}.rhs[{k}]")).ToList();
            var weight = json.Member(node, "weight", path) is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var w) && w >= 0 && double.IsFinite(w)
                ? w : throw json.Error($"{path}.weight", "expected a finite non-negative number");
            return (Lhs: lhs, Rhs: rhs, Weight: weight, Path: path);
        }).ToList();
        if (rules.Count == 0) throw json.Error("rules", "the grammar has no rules");
        var names = root["terminals"] is null
            ? rules.SelectMany(r => r.Rhs).Where(s => s.Terminal).Select(s => s.Name).Distinct().Order(StringComparer.Ordinal).ToList()
            : json.Array(root["terminals"], "terminals").Select((s, i) => json.String(s, $"terminals[{i}]")).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count) throw json.Error("terminals", "a terminal is declared twice");
        Alphabet terminals;
        try
        {
            terminals = new Alphabet(names);
        }
        catch (ArgumentException exception)
        {
            throw json.Error("terminals", exception.Message.Split(" (Parameter")[0].TrimEnd('.'));
        }
        var builder = new CfgBuilder<Real>(terminals);
        var start = root["start"] is null ? rules[0].Lhs : json.String(root["start"], "start");
        builder.Nonterminal(start);
        foreach (var rule in rules) builder.Nonterminal(rule.Lhs);
        var defined = rules.Select(r => r.Lhs).ToHashSet(StringComparer.Ordinal);
        if (!defined.Contains(start)) throw json.Error("start", $"the start symbol '{start}' has no rules");
        foreach (var (lhs, rhs, weight, path) in rules)
        {
            var symbols = rhs.Select((s, k) =>
                s.Terminal
                    ? terminals.Symbols.Contains(s.Name) ? GrammarSymbol.Terminal(terminals.IdOf(s.Name)) : throw json.Error($"{path}.rhs[{k}]", $"'{s.Name}' is not among the declared terminals")
                    : defined.Contains(s.Name) ? GrammarSymbol.Nonterminal(builder.Nonterminal(s.Name)) : throw json.Error($"{path}.rhs[{k}]", $"the nonterminal '{s.Name}' has no rules")).ToArray();
            builder.AddRule(builder.Nonterminal(lhs), symbols, new Real(weight));
        }
        return builder.Build(0);
    }

    /// <summary>The grammar as JSON (start symbol, every terminal, rules in order), weights round-tripping exactly.</summary>
    public static string Write(Cfg<Real> grammar)
    {
        var rules = new JsonArray();
        foreach (var rule in grammar.Rules)
            rules.Add(new JsonObject
            {
                ["lhs"] = grammar.Nonterminals[rule.Lhs],
                ["rhs"] = new JsonArray(rule.Rhs.Select(s => (JsonNode)(s.IsTerminal
                    ? new JsonObject { ["terminal"] = grammar.Terminals.NameOf(s.Id) }
                    : new JsonObject { ["nonterminal"] = grammar.Nonterminals[s.Id] })).ToArray()),
                ["weight"] = rule.Weight.Value,
            });
        var root = new JsonObject
        {
            ["start"] = grammar.Nonterminals[grammar.Start],
            ["terminals"] = new JsonArray(grammar.Terminals.Symbols.Select(s => (JsonNode?)s).ToArray()),
            ["rules"] = rules,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static (string Name, bool Terminal) Symbol(JsonSource json, JsonNode? node, string path) => node switch
    {
        JsonObject o when o.Count == 1 && o["terminal"] is { } t => (json.String(t, $"{path}.terminal"), true),
        JsonObject o when o.Count == 1 && o["nonterminal"] is { } n => (json.String(n, $"{path}.nonterminal"), false),
        _ => throw json.Error(path, "expected {\"terminal\": NAME} or {\"nonterminal\": NAME}"),
    };
}

/// <summary>Grammar files by extension: <c>.json</c> is <see cref="CfgJsonFormat"/>, anything else NLTK notation (<see cref="CfgTextFormat"/>).</summary>
public static class GrammarFile
{
    /// <summary>Reads the grammar in <paramref name="path"/>.</summary>
    /// <exception cref="ParseException">The message names the file and where in it.</exception>
    public static Cfg<Real> Read(string path) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? CfgJsonFormat.ReadFile(path) : CfgTextFormat.ReadFile(path);

    /// <summary>The grammar in the format that <paramref name="path"/>'s extension names.</summary>
    public static string Write(Cfg<Real> grammar, string path) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? CfgJsonFormat.Write(grammar) : CfgTextFormat.Write(grammar);
}
