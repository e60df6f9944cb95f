using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Automata.Tokenization;
using Workbench.Formal.Errors;
using Workbench.Formal.IO;

namespace Workbench.Automata.Formats;

/// <summary>
/// The workbench's JSON for a BPE tokenizer:
/// <c>{"type": "bpe", "units": "characters"|"bytes", "preTokenization": "none"|"whitespace", "baseSymbols": [...], "merges": [[left, right], ...]}</c>.
/// Base symbols are one-character strings (characters) or integers 0–255 (bytes); a merge names two token ids that exist
/// before it. Errors name the file, line, column and JSON path. O(file size).
/// </summary>
public static class TokenizerJsonFormat
{
    /// <summary>The JSON text of a tokenizer.</summary>
    public static string Write(BpeTokenizer tokenizer)
    {
        var root = new JsonObject
        {
            ["type"] = "bpe",
            ["units"] = tokenizer.Units == BaseUnits.Bytes ? "bytes" : "characters",
            ["preTokenization"] = tokenizer.PreTokenization == PreTokenization.Whitespace ? "whitespace" : "none",
            ["baseSymbols"] = new JsonArray([.. tokenizer.BaseSymbols.Select(s => tokenizer.Units == BaseUnits.Bytes ? JsonValue.Create(s) : (JsonNode)JsonValue.Create(new System.Text.Rune(s).ToString()))]),
            ["merges"] = new JsonArray([.. tokenizer.Merges.Select(m => (JsonNode)new JsonArray(m.Left, m.Right))]),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) + "\n";
    }

    /// <summary>Writes the tokenizer to a file in one rename (never half a file).</summary>
    public static void WriteFile(BpeTokenizer tokenizer, string path) => AtomicFile.Write(path, Write(tokenizer));

    /// <summary>Reads a tokenizer from JSON text named <paramref name="name"/> in errors.</summary>
    /// <exception cref="ParseException">The JSON is malformed or of the wrong shape; the message names the place.</exception>
    /// <exception cref="InvalidModelException">The tokenizer it describes is inconsistent (a merge of a token that does not exist yet).</exception>
    public static BpeTokenizer Read(string text, string name)
    {
        var (source, root) = JsonSource.Parse(text, name);
        var type = source.String(root["type"], "type");
        if (type != "bpe") throw source.Error("type", $"'{type}' is not a tokenizer type this reader knows (bpe)");
        var units = source.String(root["units"], "units") switch
        {
            "characters" => BaseUnits.Characters,
            "bytes" => BaseUnits.Bytes,
            var other => throw source.Error("units", $"'{other}' is not characters or bytes"),
        };
        var preTokenization = source.String(root["preTokenization"], "preTokenization") switch
        {
            "none" => PreTokenization.None,
            "whitespace" => PreTokenization.Whitespace,
            var other => throw source.Error("preTokenization", $"'{other}' is not none or whitespace"),
        };
        var symbols = source.Array(root["baseSymbols"], "baseSymbols");
        var baseSymbols = new int[symbols.Count];
        for (var i = 0; i < symbols.Count; i++)
        {
            var path = $"baseSymbols[{i}]";
            if (units == BaseUnits.Bytes) baseSymbols[i] = source.Integer(symbols[i], path, 255);
            else
            {
                var symbol = source.String(symbols[i], path);
                var runes = symbol.EnumerateRunes().ToArray();
                if (runes.Length != 1 || !System.Text.Rune.IsValid(runes[0].Value) || runes[0].ToString() != symbol) throw source.Error(path, $"expected one character, not \"{symbol}\"");
                baseSymbols[i] = runes[0].Value;
            }
        }
        var mergeArray = source.Array(root["merges"], "merges");
        var merges = new (int, int)[mergeArray.Count];
        for (var k = 0; k < mergeArray.Count; k++)
        {
            var pair = source.Array(mergeArray[k], $"merges[{k}]");
            if (pair.Count != 2) throw source.Error($"merges[{k}]", "expected [left, right]");
            merges[k] = (source.Integer(pair[0], $"merges[{k}][0]"), source.Integer(pair[1], $"merges[{k}][1]"));
        }
        try
        {
            return new BpeTokenizer(units, preTokenization, baseSymbols, merges);
        }
        catch (InvalidModelException exception)
        {
            throw new InvalidModelException($"{name}: {exception.Message}");
        }
    }

    /// <summary>Reads a tokenizer file (within the text budget of <see cref="TextFile"/>).</summary>
    public static BpeTokenizer ReadFile(string path) => Read(TextFile.ReadAll(path), path);
}
