using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Formal.Errors;

namespace Workbench.Automata.Formats;

/// <summary>
/// A JSON document being read by one of the workbench's JSON formats: typed accessors that never throw anything but
/// a <see cref="ParseException"/>, whose message names the source, the line and column, and the JSON path
/// (<c>arcs[3].from</c>) of the node of the wrong shape or value. The line and column are found only when an error
/// is raised, by one pass of <see cref="Utf8JsonReader"/> over the text. O(file size).
/// </summary>
internal sealed class JsonSource
{
    private readonly string _text;

    private JsonSource(string name, string text)
    {
        Name = name;
        _text = text;
    }

    /// <summary>The source's name in errors (a path, or a label).</summary>
    public string Name { get; }

    /// <summary>Parses <paramref name="text"/> and returns the document with its root object.</summary>
    public static (JsonSource Source, JsonObject Root) Parse(string text, string name)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64, AllowDuplicateProperties = false });
        }
        catch (JsonException exception) when (exception.LineNumber is { } line)
        {
            throw new ParseException(name, (int)Math.Min(line + 1, int.MaxValue), (int)Math.Min((exception.BytePositionInLine ?? 0) + 1, int.MaxValue), $"invalid JSON ({exception.Message.Split('.')[0]}).");
        }
        catch (JsonException exception)
        {
            // A duplicate key is reported without a position: find it.
            var (path, line, column) = new JsonSource(name, text).FirstDuplicateKey() ?? ("$", 1, 1);
            throw new ParseException(name, line, column, $"{path}: invalid JSON ({exception.Message.Split('.')[0]}).");
        }
        var source = new JsonSource(name, text);
        return (source, root as JsonObject ?? throw source.Error("$", "expected an object"));
    }

    /// <summary>The member <paramref name="key"/> of the object at <paramref name="path"/> (null when absent).</summary>
    public JsonNode? Member(JsonNode? node, string key, string path) =>
        node is JsonObject owner ? owner[key] : throw Error(path, "expected an object");

    /// <summary>The array at <paramref name="path"/>.</summary>
    public JsonArray Array(JsonNode? node, string path) => node as JsonArray ?? throw Error(path, "expected an array");

    /// <summary>The string at <paramref name="path"/>.</summary>
    public string String(JsonNode? node, string path) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : throw Error(path, "expected a string");

    /// <summary>The non-negative integer at <paramref name="path"/>, at most <paramref name="max"/>.</summary>
    public int Integer(JsonNode? node, string path, int max = int.MaxValue) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) && number >= 0 && number <= max
            ? number
            : throw Error(path, max == int.MaxValue ? "expected a non-negative integer" : string.Create(CultureInfo.InvariantCulture, $"expected an integer from 0 to {max}"));

    /// <summary>The number at <paramref name="path"/> (never NaN).</summary>
    public double Number(JsonNode? node, string path) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var number) && !double.IsNaN(number)
            ? number
            : throw Error(path, "expected a number");

    /// <summary>An error at <paramref name="path"/>, with the line and column of that node (or of the nearest enclosing one).</summary>
    public ParseException Error(string path, string problem)
    {
        var (line, column) = Locate(path);
        return new ParseException(Name, line, column, $"{path}: {problem}.");
    }

    // The path and position of the first key that repeats within its object.
    private (string Path, int Line, int Column)? FirstDuplicateKey()
    {
        var bytes = Encoding.UTF8.GetBytes(_text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 64 });
        var keys = new Stack<HashSet<string>>();
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.StartObject) keys.Push([]);
                else if (reader.TokenType == JsonTokenType.EndObject) keys.Pop();
                else if (reader.TokenType == JsonTokenType.PropertyName && !keys.Peek().Add(reader.GetString()!))
                {
                    var (line, column) = LineAndColumn(bytes, reader.TokenStartIndex);
                    return (reader.GetString()!, line, column);
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return null;
    }

    // The position of the node at the path, or of its nearest ancestor that exists (a missing member is reported where its
    // object starts).
    private (int Line, int Column) Locate(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(_text);
        var positions = new Dictionary<string, long>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var stack = new Stack<(string Path, bool IsArray, int Index)>();
        string? pendingName = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    pendingName = reader.GetString();
                    continue;
                }
                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    stack.Pop();
                    continue;
                }
                var here = NextPath(stack, pendingName);
                pendingName = null;
                positions.TryAdd(here, reader.TokenStartIndex);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    stack.Push((here, reader.TokenType == JsonTokenType.StartArray, -1));
            }
        }
        catch (JsonException)
        {
            // A syntax error was reported when the text was parsed; positions found so far still serve.
        }
        for (var target = path; ; target = Parent(target))
        {
            if (positions.TryGetValue(target, out var offset)) return LineAndColumn(bytes, offset);
            if (target == "$") return (1, 1);
        }
    }

    private static string NextPath(Stack<(string Path, bool IsArray, int Index)> stack, string? name)
    {
        if (stack.Count == 0) return "$";
        var (parent, isArray, index) = stack.Pop();
        stack.Push((parent, isArray, index + 1));
        var prefix = parent == "$" ? "" : parent;
        return isArray ? $"{prefix}[{index + 1}]" : prefix.Length == 0 ? name! : $"{prefix}.{name}";
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "$" : path[..cut];
    }

    private static (int Line, int Column) LineAndColumn(byte[] bytes, long offset)
    {
        var (line, start) = (1, 0L);
        for (var i = 0L; i < offset; i++)
            if (bytes[i] == (byte)'\n') (line, start) = (line + 1, i + 1);
        return (line, Encoding.UTF8.GetCharCount(bytes, (int)start, (int)(offset - start)) + 1);
    }
}
