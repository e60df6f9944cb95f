using Workbench.Formal.Testing;
using System.Text.RegularExpressions;
using Workbench.Automata.Formats;
using Workbench.Automata.Grammars;
using Workbench.Formal.Errors;

namespace Workbench.Automata.Tests;

/// <summary>
/// Fuzzing every text format of the Automata project with mutants of valid files (fixed seeds, a few hundred each):
/// a mutant either parses or is refused with a <see cref="ParseException"/> (or another library error) whose message
/// names the source and a place in it — never another exception, a hang or a crash.
/// </summary>
public sealed partial class ParserFuzzTests
{
    private const int Mutants = 400;

    private const string Att = "0\t1\ta\t0.5\n0\t2\tb\t1.25\n1\t1\t<eps>\t2\n1\t0.7\n2\t2\tb\n2\t0\n";

    private const string Json = """
        { "alphabet": ["a", "b"], "weights": "probability", "states": 2,
          "initial": [{ "state": 0, "weight": 1 }], "final": [{ "state": 1, "weight": 0.5 }],
          "arcs": [{ "from": 0, "label": "a", "to": 1, "weight": 0.5 }, { "from": 1, "label": null, "to": 0, "weight": 0.5 }] }
        """;

    private const string Grammar = "# a grammar\nS -> NP VP [0.9] | [0.1]\nNP -> 'the' N [1.0]\nN -> 'dog' [0.5]\n  | 'cat' [0.5]\nVP -> 'runs' [1]\n";

    private const string GrammarJson = """
        { "start": "S", "terminals": ["a", "b"],
          "rules": [{ "lhs": "S", "rhs": [{ "terminal": "a" }, { "nonterminal": "S" }, { "terminal": "b" }], "weight": 0.5 },
                    { "lhs": "S", "rhs": [], "weight": 0.5 }] }
        """;

    private const string Tokenizer = """{"type": "bpe", "units": "characters", "preTokenization": "whitespace", "baseSymbols": ["a", "b", " "], "merges": [[0, 1], [2, 3]]}""";

    private static readonly string HuggingFace = Workbench.Automata.Formats.HuggingFaceTokenizerFormat.Write(
        Workbench.Automata.Tokenization.BpeTrainer.Train(["ab ab aab"], 260, Workbench.Automata.Tokenization.BaseUnits.Bytes, Workbench.Automata.Tokenization.PreTokenization.Gpt2).Tokenizer);

    // "name:line:column:" or "name: path:" — a place in the named source.
    [GeneratedRegex(@"^fuzzed(:\d+:\d+:|: )")]
    private static partial Regex Located();

    public static TheoryData<string, string, int> Formats() => new()
    {
        { "att", Att, 11 },
        { "json", Json, 12 },
        { "grammar", Grammar, 13 },
        { "grammar-json", GrammarJson, 14 },
        { "tokenizer", Tokenizer, 15 },
        { "tokenizer-json", HuggingFace, 16 },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Mutated_files_parse_or_are_refused_with_a_located_library_error(string format, string valid, int seed)
    {
        Action<string> parse = format switch
        {
            "att" => text => AttFormat.Read(text, "fuzzed"),
            "json" => text => JsonFormat.Read(text, "fuzzed"),
            "grammar" => text => CfgTextFormat.Read(text, "fuzzed"),
            "tokenizer" => text => TokenizerJsonFormat.Read(text, "fuzzed"),
            "tokenizer-json" => text => HuggingFaceTokenizerFormat.Read(text, "fuzzed"),
            _ => text => CfgJsonFormat.Read(text, "fuzzed"),
        };
        var (failure, _) = ParserFuzzing.Run(valid, seed, Mutants, parse, message => Located().IsMatch(message));
        Assert.True(failure is null, failure);
    }
}
