using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Formal.Errors;

namespace Workbench.Automata.Formats;

/// <summary>Reading the workbench's JSON formats with errors that name the source and the JSON path (or line and column for syntax errors).</summary>
internal static class JsonReading
{
    /// <summary>The root object of <paramref name="text"/>.</summary>
    public static JsonObject Root(string text, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException exception)
        {
            throw new ParseException($"{source}:{exception.LineNumber + 1}:{exception.BytePositionInLine + 1}: invalid JSON ({exception.Message.Split('.')[0]}).");
        }
        return root as JsonObject ?? throw Error(source, "$", "expected an object");
    }

    public static JsonArray Array(JsonObject owner, string key, string source) =>
        owner[key] as JsonArray ?? throw Error(source, key, "expected an array");

    public static string String(JsonNode? node, string path, string source) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : throw Error(source, path, "expected a string");

    public static int Integer(JsonNode? node, string path, string source) =>
        node is JsonValue value && value.TryGetValue<int>(out var number) && number >= 0 ? number : throw Error(source, path, "expected a non-negative integer");

    public static ParseException Error(string source, string path, string problem) => new($"{source}: {path}: {problem}.");
}
