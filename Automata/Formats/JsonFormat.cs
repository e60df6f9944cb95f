using System.Globalization;
using static Workbench.Automata.Formats.JsonReading;
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
        var machine = JsonReading.Root(text, source);
        var alphabet = new Alphabet(Array(machine, "alphabet", source).Select((s, i) => String(s, $"alphabet[{i}]", source)));
        var scale = (machine["weights"]?.GetValue<string>() ?? "probability") switch
        {
            "probability" => WeightScale.Probability,
            "log" => WeightScale.Log,
            "negative-log" => WeightScale.NegativeLog,
            var other => throw Error(source, "weights", $"unknown weight convention '{other}'; use probability, log or negative-log"),
        };
        var states = Integer(machine["states"], "states", source);
        var builder = new WfsaBuilder<Log>(alphabet).EnsureStates(states);
        foreach (var (entry, i) in Array(machine, "initial", source).Select((e, i) => (e, i)))
            builder.SetInitial(State(entry?["state"], $"initial[{i}].state", states, source), Weight(entry?["weight"], $"initial[{i}].weight", scale, source));
        foreach (var (entry, i) in Array(machine, "final", source).Select((e, i) => (e, i)))
            builder.SetFinal(State(entry?["state"], $"final[{i}].state", states, source), Weight(entry?["weight"], $"final[{i}].weight", scale, source));
        foreach (var (arc, i) in Array(machine, "arcs", source).Select((e, i) => (e, i)))
        {
            var label = arc?["label"] is null ? Wfsa<Log>.Epsilon : LabelId(arc["label"], alphabet, $"arcs[{i}].label", source);
            builder.AddArc(State(arc?["from"], $"arcs[{i}].from", states, source), label, State(arc?["to"], $"arcs[{i}].to", states, source),
                Weight(arc?["weight"], $"arcs[{i}].weight", scale, source));
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

    private static int State(JsonNode? node, string path, int states, string source)
    {
        var state = Integer(node, path, source);
        return state < states ? state : throw Error(source, path, $"state {state} is out of range (the machine has {states} states)");
    }

    private static int LabelId(JsonNode? node, Alphabet alphabet, string path, string source)
    {
        var name = String(node, path, source);
        return alphabet.Symbols.Contains(name) ? alphabet.IdOf(name) : throw Error(source, path, $"unknown symbol '{name}'; the alphabet is {alphabet}");
    }

    private static Log Weight(JsonNode? node, string path, WeightScale scale, string source)
    {
        if (node is not JsonValue value || !value.TryGetValue<double>(out var number) || double.IsNaN(number))
            throw Error(source, path, "expected a number");
        return scale switch
        {
            WeightScale.Probability when number >= 0 && double.IsFinite(number) => new Log(Math.Log(number)),
            WeightScale.Log when number < double.PositiveInfinity => new Log(number),
            WeightScale.NegativeLog when number > double.NegativeInfinity => new Log(-number),
            _ => throw Error(source, path, string.Create(CultureInfo.InvariantCulture, $"{number} is not a valid {scale} weight")),
        };
    }
}
