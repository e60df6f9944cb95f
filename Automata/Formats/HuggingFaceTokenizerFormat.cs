using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Automata.Tokenization;
using Workbench.Formal.Errors;
using Workbench.Formal.IO;

namespace Workbench.Automata.Formats;

/// <summary>
/// The <c>tokenizer.json</c> of HuggingFace tokenizers, for the BPE and WordPiece models the two libraries share. BPE: a model with its
/// vocabulary and merges (no dropout, unknown token, continuing-subword prefix, end-of-word suffix or byte fallback), no
/// normaliser and no added tokens, and a pre-tokenizer that is none, ByteLevel (add_prefix_space false; use_regex for
/// GPT-2's pattern), a Split on <c>\s+</c> merged with the next piece, or a Sequence of a Split and a ByteLevel. Byte-level
/// vocabularies are written in GPT-2's stand-in characters (<see cref="ByteLevelAlphabet"/>). Token ids are the file's:
/// the base symbols must come first and each merge's result must have the next id (or one it already has), which is how
/// the library's trainer numbers them. WordPiece: character-level, with its continuing-subword prefix, an unknown token
/// that has the last id, and max_input_chars_per_word 100. The normaliser must be absent and there may be no added tokens;
/// anything else is refused by name, never read approximately. O(file size).
/// </summary>
public static class HuggingFaceTokenizerFormat
{
    private const string WhitespacePattern = @"\s+";

    /// <summary>The tokenizer.json text of a BPE or WordPiece tokenizer.</summary>
    /// <exception cref="WorkbenchException">The tokenizer is Unigram (this writer knows the BPE and WordPiece models), it lowercases, or its pre-tokenization has no tokenizer.json form.</exception>
    public static string Write(ITokenizer any) => any switch
    {
        BpeTokenizer bpe => WriteBpe(bpe),
        WordPieceTokenizer wordPiece => WriteWordPiece(wordPiece),
        NormalizedTokenizer => throw new WorkbenchException("A lowercasing tokenizer has no faithful tokenizer.json form: the library's Lowercase normalizer applies Rust's full lowercase mapping (one character may become two, and Σ depends on its context), where the workbench maps each code point to one; use the workbench's JSON."),
        _ => throw new WorkbenchException("tokenizer.json is written for BPE and WordPiece tokenizers; a Unigram tokenizer has the workbench's JSON."),
    };

    private static string WriteWordPiece(WordPieceTokenizer tokenizer)
    {
        if (tokenizer.Units == BaseUnits.Bytes) throw new WorkbenchException("A byte-level WordPiece tokenizer has no tokenizer.json form here.");
        var vocab = new JsonObject();
        for (var token = 0; token < tokenizer.VocabularySize - 1; token++)
        {
            var piece = tokenizer.PieceOf(token);
            var text = TextUnits.Text(piece.Units, BaseUnits.Characters);
            // The library reads a leading ## as the continuation mark, so a word-initial piece that starts with it has no faithful form.
            if (!piece.Continues && text.StartsWith(ContinuationPrefix, StringComparison.Ordinal))
                throw new WorkbenchException($"The word-initial piece \"{text}\" starts with {ContinuationPrefix}, which tokenizer.json reads as a continuation: this WordPiece vocabulary has no tokenizer.json form.");
            vocab[(piece.Continues ? ContinuationPrefix : "") + text] = token;
        }
        vocab[tokenizer.UnknownText] = tokenizer.Unknown;
        return Document(PreTokenizerNode(false, tokenizer.PreTokenization), new JsonObject { ["type"] = "Fuse" }, new JsonObject
        {
            ["type"] = "WordPiece", ["unk_token"] = tokenizer.UnknownText, ["continuing_subword_prefix"] = ContinuationPrefix,
            ["max_input_chars_per_word"] = WordPieceTokenizer.MaxWordLength, ["vocab"] = vocab,
        });
    }

    private static string WriteBpe(BpeTokenizer tokenizer)
    {
        var bytes = tokenizer.Units == BaseUnits.Bytes;
        string Name(int token) => bytes ? ByteLevelAlphabet.Text(tokenizer.UnitsOf(token)) : tokenizer.TextOf(token);
        var vocab = new JsonObject();
        for (var token = 0; token < tokenizer.VocabularySize; token++) vocab[Name(token)] = token;
        return Document(PreTokenizerNode(bytes, tokenizer.PreTokenization), bytes ? ByteLevel(false) : new JsonObject { ["type"] = "Fuse" }, new JsonObject
        {
            ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null, ["end_of_word_suffix"] = null,
            ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false,
            ["vocab"] = vocab,
            ["merges"] = new JsonArray([.. tokenizer.Merges.Select(m => (JsonNode)new JsonArray(Name(m.Left), Name(m.Right)))]),
        });
    }

    private const string ContinuationPrefix = "##";

    private static JsonNode ByteLevel(bool regex) => new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = regex };

    private static JsonNode Split(string pattern, string behavior) => new JsonObject
    {
        ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = pattern }, ["behavior"] = behavior, ["invert"] = false,
    };

    private static JsonNode? PreTokenizerNode(bool bytes, PreTokenization preTokenization) => (bytes, preTokenization) switch
    {
        (true, PreTokenization.None) => ByteLevel(false),
        (true, PreTokenization.Gpt2) => ByteLevel(true),
        (true, _) => new JsonObject { ["type"] = "Sequence", ["pretokenizers"] = new JsonArray(Split(WhitespacePattern, "MergedWithNext"), ByteLevel(false)) },
        (false, PreTokenization.None) => null,
        (false, PreTokenization.Gpt2) => throw new WorkbenchException("A character-level tokenizer with GPT-2's pattern has no tokenizer.json form here (the library applies that pattern only with ByteLevel)."),
        (false, _) => Split(WhitespacePattern, "MergedWithNext"),
    };

    private static string Document(JsonNode? preTokenizer, JsonNode decoder, JsonObject model)
    {
        var root = new JsonObject
        {
            ["version"] = "1.0", ["truncation"] = null, ["padding"] = null, ["added_tokens"] = new JsonArray(), ["normalizer"] = null,
            ["pre_tokenizer"] = preTokenizer, ["post_processor"] = null, ["decoder"] = decoder, ["model"] = model,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    /// <summary>Writes the file in one rename.</summary>
    public static void WriteFile(ITokenizer tokenizer, string path) => AtomicFile.Write(path, Write(tokenizer));

    /// <summary>Reads a tokenizer.json named <paramref name="name"/> in errors.</summary>
    /// <exception cref="ParseException">Malformed JSON, or a component this reader does not support; the message names the JSON path.</exception>
    public static ITokenizer Read(string text, string name)
    {
        var (source, root) = JsonSource.Parse(text, name);
        if (root["added_tokens"] is JsonArray { Count: > 0 }) throw source.Error("added_tokens", "added tokens are not supported");
        if (root["normalizer"] is not null) throw source.Error("normalizer", "normalizers are not supported (they make the tokenizer lossy)");
        var (units, preTokenization) = PreTokenizer(source, root["pre_tokenizer"], "pre_tokenizer");
        var model = source.Member(root, "model", "$") as JsonObject ?? throw source.Error("model", "expected an object");
        return source.String(model["type"], "model.type") switch
        {
            "BPE" => ReadBpe(source, model, units, preTokenization),
            "WordPiece" => ReadWordPiece(source, model, units, preTokenization),
            var other => throw source.Error("model.type", $"the model '{other}' is not supported (BPE, WordPiece)"),
        };
    }

    private static WordPieceTokenizer ReadWordPiece(JsonSource source, JsonObject model, BaseUnits units, PreTokenization preTokenization)
    {
        if (units == BaseUnits.Bytes) throw source.Error("pre_tokenizer", "a byte-level WordPiece model is not supported");
        var unknown = source.String(model["unk_token"], "model.unk_token");
        var prefix = source.String(model["continuing_subword_prefix"], "model.continuing_subword_prefix");
        if (model["max_input_chars_per_word"] is not null && source.Integer(model["max_input_chars_per_word"], "model.max_input_chars_per_word") != WordPieceTokenizer.MaxWordLength)
            throw source.Error("model.max_input_chars_per_word", $"only {WordPieceTokenizer.MaxWordLength} is supported");
        var vocab = model["vocab"] as JsonObject ?? throw source.Error("model.vocab", "expected an object");
        var names = VocabularyNames(source, vocab);
        if (names[^1] != unknown) throw source.Error("model.unk_token", $"the unknown token must have the last id ({names.Length - 1}) here");
        var pieces = new List<WordPiece>();
        for (var id = 0; id < names.Length - 1; id++)
        {
            var continues = names[id].StartsWith(prefix, StringComparison.Ordinal) && names[id].Length > prefix.Length;
            var body = continues ? names[id][prefix.Length..] : names[id];
            var runes = body.EnumerateRunes().Select(r => r.Value).ToArray();
            if (runes.Length == 0 || string.Concat(runes.Select(r => new System.Text.Rune(r).ToString())) != body)
                throw source.Error($"model.vocab[\"{names[id]}\"]", "expected a piece of valid text");
            pieces.Add(new WordPiece([.. runes], continues));
        }
        try
        {
            return new WordPieceTokenizer(units, preTokenization, pieces, unknown);
        }
        catch (InvalidModelException exception)
        {
            throw source.Error("model.vocab", exception.Message.TrimEnd('.'));
        }
    }

    private static BpeTokenizer ReadBpe(JsonSource source, JsonObject model, BaseUnits units, PreTokenization preTokenization)
    {
        foreach (var field in new[] { "dropout", "unk_token", "continuing_subword_prefix", "end_of_word_suffix" })
            if (model[field] is not null) throw source.Error($"model.{field}", "is not supported (must be null)");
        if (model["byte_fallback"] is JsonValue fallback && fallback.GetValueKind() == JsonValueKind.True) throw source.Error("model.byte_fallback", "is not supported");

        var vocab = model["vocab"] as JsonObject ?? throw source.Error("model.vocab", "expected an object");
        var names = VocabularyNames(source, vocab);
        var ids = names.Select((name, id) => (name, id)).ToDictionary(p => p.name, p => p.id, StringComparer.Ordinal);
        int[]? UnitsOf(string token)
        {
            if (units == BaseUnits.Bytes)
                return token.Select(ByteLevelAlphabet.ByteOf).ToArray() is var bytes && bytes.All(b => b is not null) ? [.. bytes.Select(b => b!.Value)] : null;
            // A token that is not valid Unicode is no base symbol; the count check below names it as unexplained.
            return token.EnumerateRunes().Select(r => r.Value).ToArray() is var runes && string.Concat(runes.Select(r => new System.Text.Rune(r).ToString())) == token ? runes : null;
        }
        var baseSymbols = new List<int>();
        for (var id = 0; id < names.Length && UnitsOf(names[id]) is { Length: 1 } single; id++) baseSymbols.Add(single[0]);

        var mergeArray = source.Array(model["merges"], "model.merges");
        var merges = new (int, int)[mergeArray.Count];
        for (var k = 0; k < mergeArray.Count; k++)
        {
            var path = $"model.merges[{k}]";
            var (left, right) = mergeArray[k] switch
            {
                JsonArray { Count: 2 } pair => (source.String(pair[0], $"{path}[0]"), source.String(pair[1], $"{path}[1]")),
                JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Split(' ') is [var l, var r] => (l, r),
                _ => throw source.Error(path, "expected [left, right] or \"left right\""),
            };
            merges[k] = (ids.TryGetValue(left, out var l2) ? l2 : throw source.Error(path, $"'{left}' is not in the vocabulary"),
                ids.TryGetValue(right, out var r2) ? r2 : throw source.Error(path, $"'{right}' is not in the vocabulary"));
        }
        BpeTokenizer tokenizer;
        try
        {
            tokenizer = new BpeTokenizer(units, preTokenization, baseSymbols, merges);
        }
        catch (InvalidModelException exception)
        {
            throw source.Error("model", $"the merges are not in the vocabulary's order: {exception.Message.TrimEnd('.')}");
        }
        for (var k = 0; k < merges.Length; k++)
        {
            var result = tokenizer.Merges[k].Result;
            var expected = ids.GetValueOrDefault(names[merges[k].Item1] + names[merges[k].Item2], -1);
            if (result != expected) throw source.Error($"model.merges[{k}]", $"its result has id {expected} in the vocabulary, not {result}: the ids are not in merge order");
        }
        if (tokenizer.VocabularySize != vocab.Count)
            throw source.Error("model.vocab", $"{vocab.Count - tokenizer.VocabularySize} tokens are neither base symbols (ids 0..{baseSymbols.Count - 1}) nor merge results");
        return tokenizer;
    }

    // The token of each id 0..|V|−1: the ids of a vocabulary object must be distinct and cover that range.
    private static string[] VocabularyNames(JsonSource source, JsonObject vocab)
    {
        var names = new string?[vocab.Count];
        foreach (var (token, node) in vocab)
        {
            var id = source.Integer(node, $"model.vocab[\"{token}\"]", vocab.Count - 1);
            if (names[id] is not null) throw source.Error($"model.vocab[\"{token}\"]", $"id {id} is also \"{names[id]}\"");
            names[id] = token;
        }
        return names!;
    }

    /// <summary>Reads a tokenizer.json file.</summary>
    public static ITokenizer ReadFile(string path) => Read(TextFile.ReadAll(path), path);

    // (units, segmentation) of a pre-tokenizer node.
    private static (BaseUnits, PreTokenization) PreTokenizer(JsonSource source, JsonNode? node, string path)
    {
        if (node is null) return (BaseUnits.Characters, PreTokenization.None);
        var type = source.String(source.Member(node, "type", path), $"{path}.type");
        switch (type)
        {
            case "ByteLevel":
                if (node["add_prefix_space"] is JsonValue prefix && prefix.GetValueKind() == JsonValueKind.True)
                    throw source.Error($"{path}.add_prefix_space", "a prefix space changes the text, so the tokenizer would not be exact; only false is supported");
                var regex = node["use_regex"] is not JsonValue flag || flag.GetValueKind() != JsonValueKind.False;
                return (BaseUnits.Bytes, regex ? PreTokenization.Gpt2 : PreTokenization.None);
            case "Split":
                RequireWhitespaceSplit(source, node, path);
                return (BaseUnits.Characters, PreTokenization.Whitespace);
            case "Sequence":
                var parts = source.Array(node["pretokenizers"], $"{path}.pretokenizers");
                if (parts.Count != 2 || parts[0]?["type"]?.GetValue<string>() != "Split" || parts[1]?["type"]?.GetValue<string>() != "ByteLevel")
                    throw source.Error($"{path}.pretokenizers", "only [Split, ByteLevel] is supported");
                RequireWhitespaceSplit(source, parts[0], $"{path}.pretokenizers[0]");
                if (PreTokenizer(source, parts[1], $"{path}.pretokenizers[1]") != (BaseUnits.Bytes, PreTokenization.None))
                    throw source.Error($"{path}.pretokenizers[1].use_regex", "must be false after a Split");
                return (BaseUnits.Bytes, PreTokenization.Whitespace);
            default:
                throw source.Error($"{path}.type", $"the pre-tokenizer '{type}' is not supported (ByteLevel, Split on \\s+ merged with the next piece, or a Sequence of both)");
        }
    }

    private static void RequireWhitespaceSplit(JsonSource source, JsonNode? node, string path)
    {
        var pattern = source.Member(source.Member(node, "pattern", path), "Regex", $"{path}.pattern");
        if (source.String(pattern, $"{path}.pattern.Regex") != WhitespacePattern || source.String(source.Member(node, "behavior", path), $"{path}.behavior") != "MergedWithNext"
            || node?["invert"] is JsonValue invert && invert.GetValueKind() == JsonValueKind.True)
            throw source.Error(path, "only a Split on \\s+ with behavior MergedWithNext is supported");
    }
}
