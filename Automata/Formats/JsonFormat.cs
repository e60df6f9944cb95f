using Workbench.Formal.IO;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Formats;

/// <summary>
/// The workbench's JSON format for real-weighted automata, which (unlike AT&amp;T text) keeps any initial
/// weights and the alphabet, including symbols no arc uses:
/// <code>
/// { "alphabet": ["a", "b"], "weights": "probability", "states": 2,
///   "initial": [{ "state": 0, "weight": 1 }], "final": [{ "state": 1, "weight": 0.5 }],
///   "arcs": [{ "from": 0, "label": "a", "to": 1, "weight": 0.5 }, { "from": 1, "label": null, "to": 0, "weight": 0.5 }] }
/// </code>
/// <c>weights</c> is <c>probability</c> (the default), <c>log</c> (ln p) or <c>negative-log</c> (−ln p); a
/// null label is ε. Errors name the JSON path (and the line for syntax errors). O(file size).
/// </summary>
public static class JsonFormat
{
    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <exception cref="ParseException">The message names the file and the JSON path or line.</exception>
    public static Wfsa<Log> ReadFile(string path)
    {
        return Read(TextFile.ReadAll(path), path);
    }

    /// <summary>Parses JSON text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ParseException">The message names the source and the JSON path or line.</exception>
    public static Wfsa<Log> Read(string text, string source)
    {
        var (json, machine) = JsonSource.Parse(text, source);
        var symbols = json.Array(machine["alphabet"], "alphabet").Select((s, i) => json.String(s, $"alphabet[{i}]")).ToArray();
        Alphabet alphabet;
        try
        {
            alphabet = new Alphabet(symbols);
        }
        catch (ArgumentException exception)
        {
            throw json.Error("alphabet", exception.Message.Split(" (Parameter")[0].TrimEnd('.'));
        }
        var scale = (machine["weights"] is null ? "probability" : json.String(machine["weights"], "weights")) switch
        {
            "probability" => WeightScale.Probability,
            "log" => WeightScale.Log,
            "negative-log" => WeightScale.NegativeLog,
            var other => throw json.Error("weights", $"unknown weight convention '{other}'; use probability, log or negative-log"),
        };
        var states = json.Integer(machine["states"], "states", AttFormat.MaxStateId);
        var builder = new WfsaBuilder<Log>(alphabet).EnsureStates(states);
        foreach (var (entry, i) in json.Array(machine["initial"], "initial").Select((e, i) => (e, i)))
            builder.SetInitial(State(json, json.Member(entry, "state", $"initial[{i}]"), $"initial[{i}].state", states),
                Weight(json, json.Member(entry, "weight", $"initial[{i}]"), $"initial[{i}].weight", scale));
        foreach (var (entry, i) in json.Array(machine["final"], "final").Select((e, i) => (e, i)))
            builder.SetFinal(State(json, json.Member(entry, "state", $"final[{i}]"), $"final[{i}].state", states),
                Weight(json, json.Member(entry, "weight", $"final[{i}]"), $"final[{i}].weight", scale));
        foreach (var (arc, i) in json.Array(machine["arcs"], "arcs").Select((e, i) => (e, i)))
        {
            var path = $"arcs[{i}]";
            var labelNode = json.Member(arc, "label", path);
            var label = labelNode is null ? Wfsa<Log>.Epsilon : LabelId(json, labelNode, alphabet, $"{path}.label");
            builder.AddArc(State(json, json.Member(arc, "from", path), $"{path}.from", states), label, State(json, json.Member(arc, "to", path), $"{path}.to", states),
                Weight(json, json.Member(arc, "weight", path), $"{path}.weight", scale));
        }
        return builder.Build();
    }

    /// <summary>Writes a real-weighted automaton as JSON with probability weights.</summary>
    public static string Write<T>(Wfsa<T> fsa) where T : struct, ISemiring<T>, IRealWeight<T>
    {
        var arcs = new JsonArray();
        for (var q = 0; q < fsa.StateCount; q++)
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
                arcs.Add(new JsonObject
                {
                    ["from"] = q,
                    ["label"] = fsa.ArcLabels[e] == Wfsa<T>.Epsilon ? null : fsa.Alphabet.NameOf(fsa.ArcLabels[e]),
                    ["to"] = fsa.ArcTargets[e],
                    ["weight"] = T.ToReal(fsa.ArcWeights[e]),
                });
        var machine = new JsonObject
        {
            ["alphabet"] = new JsonArray(fsa.Alphabet.Symbols.Select(s => (JsonNode?)s).ToArray()),
            ["weights"] = "probability",
            ["states"] = fsa.StateCount,
            ["initial"] = Entries(fsa.InitialWeights),
            ["final"] = Entries(fsa.FinalWeights),
            ["arcs"] = arcs,
        };
        return machine.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        static JsonArray Entries(ReadOnlySpan<T> weights)
        {
            var entries = new JsonArray();
            for (var q = 0; q < weights.Length; q++)
                if (!weights[q].Equals(T.Zero)) entries.Add(new JsonObject { ["state"] = q, ["weight"] = T.ToReal(weights[q]) });
            return entries;
        }
    }

    /// <summary>Writes the JSON to <paramref name="path"/> atomically.</summary>
    public static void WriteFile<T>(Wfsa<T> fsa, string path) where T : struct, ISemiring<T>, IRealWeight<T> =>
        AtomicFile.Write(path, Write(fsa));

    private enum WeightScale { Probability, Log, NegativeLog }

    private static int State(JsonSource json, JsonNode? node, string path, int states)
    {
        var state = json.Integer(node, path);
        return state < states ? state : throw json.Error(path, $"state {state} is out of range (the machine has {states} states)");
    }

    private static int LabelId(JsonSource json, JsonNode? node, Alphabet alphabet, string path)
    {
        var name = json.String(node, path);
        return alphabet.Symbols.Contains(name) ? alphabet.IdOf(name) : throw json.Error(path, $"unknown symbol '{name}'; the alphabet is {alphabet}");
    }

    private static Log Weight(JsonSource json, JsonNode? node, string path, WeightScale scale)
    {
        var number = json.Number(node, path);
        return scale switch
        {
            WeightScale.Probability when number >= 0 && double.IsFinite(number) => new Log(Math.Log(number)),
            WeightScale.Log when number < double.PositiveInfinity => new Log(number),
            WeightScale.NegativeLog when number > double.NegativeInfinity => new Log(-number),
            _ => throw json.Error(path, string.Create(CultureInfo.InvariantCulture, $"{number} is not a valid {scale} weight")),
        };
    }
}
