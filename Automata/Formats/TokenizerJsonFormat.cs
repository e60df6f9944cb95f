using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Automata.Tokenization;
using Workbench.Formal.Errors;
using Workbench.Formal.IO;

namespace Workbench.Automata.Formats;

/// <summary>
/// The workbench's JSON for tokenizers. BPE:
/// <c>{"type": "bpe", "units": "characters"|"bytes", "preTokenization": "none"|"whitespace"|"gpt2", "baseSymbols": [...], "merges": [[left, right], ...]}</c>,
/// with base symbols as one-character strings (characters) or integers 0–255 (bytes), and each merge naming two token ids
/// that exist before it. Unigram: <c>{"type": "unigram", "units": …, "preTokenization": …, "pieces": [[[unit, …], logProbability], ...]}</c>.
/// WordPiece: <c>{"type": "wordpiece", "units": …, "preTokenization": …, "unknown": "[UNK]", "pieces": [[[unit, …], continues], ...]}</c>.
/// Errors name the file, line, column and JSON path. O(file size).
/// </summary>
public static class TokenizerJsonFormat
{
    /// <summary>The JSON text of a tokenizer; a normalising one is its inner tokenizer's object with a "normalization" member.</summary>
    public static string Write(ITokenizer tokenizer)
    {
        var normalization = tokenizer.Normalization;
        if (tokenizer is NormalizedTokenizer normalized) tokenizer = normalized.Inner;
        var root = new JsonObject
        {
            ["type"] = tokenizer switch { UnigramTokenizer => "unigram", WordPieceTokenizer => "wordpiece", _ => "bpe" },
            ["units"] = tokenizer.Units == BaseUnits.Bytes ? "bytes" : "characters",
            ["preTokenization"] = tokenizer.PreTokenization.ToString().ToLowerInvariant(),
        };
        switch (tokenizer)
        {
            case UnigramTokenizer unigram:
                root["pieces"] = new JsonArray([.. Enumerable.Range(0, unigram.VocabularySize).Select(p =>
                    (JsonNode)new JsonArray(new JsonArray([.. unigram.UnitsOf(p).Select(u => (JsonNode)JsonValue.Create(u))]), unigram.LogProbabilities[p]))]);
                break;
            case WordPieceTokenizer wordPiece:
                root["unknown"] = wordPiece.UnknownText;
                root["pieces"] = new JsonArray([.. Enumerable.Range(0, wordPiece.VocabularySize - 1).Select(p =>
                    (JsonNode)new JsonArray(new JsonArray([.. wordPiece.PieceOf(p).Units.Select(u => (JsonNode)JsonValue.Create(u))]), wordPiece.PieceOf(p).Continues))]);
                break;
            case BpeTokenizer bpe:
                WriteBpe(root, bpe);
                break;
            default:
                throw new ArgumentException($"No JSON form for {tokenizer.GetType().Name}.", nameof(tokenizer));
        }
        if (normalization != Normalization.None) root["normalization"] = normalization.ToString().ToLowerInvariant();
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) + "\n";
    }

    private static void WriteBpe(JsonObject root, BpeTokenizer tokenizer)
    {
        root["baseSymbols"] = new JsonArray([.. tokenizer.BaseSymbols.Select(s => tokenizer.Units == BaseUnits.Bytes ? JsonValue.Create(s) : (JsonNode)JsonValue.Create(new System.Text.Rune(s).ToString()))]);
        root["merges"] = new JsonArray([.. tokenizer.Merges.Select(m => (JsonNode)new JsonArray(m.Left, m.Right))]);
    }

    /// <summary>Writes the tokenizer to a file in one rename (never half a file).</summary>
    public static void WriteFile(ITokenizer tokenizer, string path) => AtomicFile.Write(path, Write(tokenizer));

    /// <summary>Reads a tokenizer from JSON text named <paramref name="name"/> in errors.</summary>
    /// <exception cref="ParseException">The JSON is malformed or of the wrong shape; the message names the place.</exception>
    /// <exception cref="InvalidModelException">The tokenizer it describes is inconsistent (a merge of a token that does not exist yet).</exception>
    public static ITokenizer Read(string text, string name)
    {
        var (source, root) = JsonSource.Parse(text, name);
        var type = source.String(root["type"], "type");
        if (type is not ("bpe" or "unigram" or "wordpiece")) throw source.Error("type", $"'{type}' is not a tokenizer type this reader knows (bpe, unigram, wordpiece)");
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
            "gpt2" => PreTokenization.Gpt2,
            var other => throw source.Error("preTokenization", $"'{other}' is not none, whitespace or gpt2"),
        };
        var normalization = root["normalization"] is null ? Normalization.None : source.String(root["normalization"], "normalization") switch
        {
            "lowercase" => Normalization.Lowercase,
            var other => throw source.Error("normalization", $"'{other}' is not a normalization this reader knows (lowercase)"),
        };
        ITokenizer tokenizer = type switch
        {
            "unigram" => ReadUnigram(source, root, units, preTokenization, name),
            "wordpiece" => ReadWordPiece(source, root, units, preTokenization, name),
            _ => ReadBpe(source, root, units, preTokenization, name),
        };
        return normalization == Normalization.None ? tokenizer : new NormalizedTokenizer(tokenizer, normalization);
    }

    private static WordPieceTokenizer ReadWordPiece(JsonSource source, JsonObject root, BaseUnits units, PreTokenization preTokenization, string name)
    {
        var unknown = source.String(root["unknown"], "unknown");
        var array = source.Array(root["pieces"], "pieces");
        var pieces = new WordPiece[array.Count];
        var max = units == BaseUnits.Bytes ? 255 : 0x10FFFF;
        for (var i = 0; i < array.Count; i++)
        {
            var pair = source.Array(array[i], $"pieces[{i}]");
            if (pair.Count != 2 || pair[1] is not JsonValue flag || flag.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                throw source.Error($"pieces[{i}]", "expected [[unit, …], continues]");
            var unitArray = source.Array(pair[0], $"pieces[{i}][0]");
            pieces[i] = new WordPiece([.. unitArray.Select((u, k) => source.Integer(u, $"pieces[{i}][0][{k}]", max))], flag.GetValueKind() == JsonValueKind.True);
        }
        try
        {
            return new WordPieceTokenizer(units, preTokenization, pieces, unknown);
        }
        catch (InvalidModelException exception)
        {
            throw new InvalidModelException($"{name}: {exception.Message}");
        }
    }

    private static UnigramTokenizer ReadUnigram(JsonSource source, JsonObject root, BaseUnits units, PreTokenization preTokenization, string name)
    {
        var array = source.Array(root["pieces"], "pieces");
        var pieces = new (int[], double)[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            var pair = source.Array(array[i], $"pieces[{i}]");
            if (pair.Count != 2) throw source.Error($"pieces[{i}]", "expected [[unit, …], logProbability]");
            var unitArray = source.Array(pair[0], $"pieces[{i}][0]");
            var max = units == BaseUnits.Bytes ? 255 : 0x10FFFF;
            pieces[i] = ([.. unitArray.Select((u, k) => source.Integer(u, $"pieces[{i}][0][{k}]", max))], Math.Exp(source.Number(pair[1], $"pieces[{i}][1]")));
        }
        try
        {
            return new UnigramTokenizer(units, preTokenization, pieces);
        }
        catch (InvalidModelException exception)
        {
            throw new InvalidModelException($"{name}: {exception.Message}");
        }
    }

    private static BpeTokenizer ReadBpe(JsonSource source, JsonObject root, BaseUnits units, PreTokenization preTokenization, string name)
    {
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
    public static ITokenizer ReadFile(string path) => Read(TextFile.ReadAll(path), path);
}
