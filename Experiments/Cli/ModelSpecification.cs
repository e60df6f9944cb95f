using Workbench.Formal.IO;
using System.Globalization;
using Workbench.Formal.Adapters;
using Workbench.Formal.Errors;
using Workbench.Formal.Evaluation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Models;
using Workbench.Formal.Symbols;

namespace Workbench.Experiments.Cli;

/// <summary>
/// The built-in models the CLI can name on the command line:
/// <c>unary:inverse-square</c>, <c>unary:harmonic</c>, <c>unary:constant=C</c>, <c>unary:power=C,ALPHA</c>,
/// <c>unary:geometric=C,R</c>, <c>uniform:SYMBOLS</c>, <c>table:STRING=P,STRING=P,…</c> (ε for the
/// empty string, one character per symbol), <c>fsa:PATH</c> (a PFSA file), <c>cfg:PATH</c> (a PCFG file), <c>ngram:ORDER,SMOOTHING,CORPUS</c> (an estimated n-gram) and <c>neural:PATH</c> (a saved network); and the adapters <c>temperature=T</c>, <c>top-k=K</c>,
/// <c>top-p=P</c>, <c>typical=TAU</c>.
/// </summary>
internal static class ModelSpecification
{
    /// <summary>The forms accepted, for help texts and error messages.</summary>
    public const string Forms =
        "unary:inverse-square | unary:harmonic | unary:constant=C | unary:power=C,ALPHA | unary:geometric=C,R | uniform:SYMBOLS | table:STRING=P,STRING=P,... | fsa:PATH (a PFSA in AT&T text with −ln p weights, or .json) | cfg:PATH (a PCFG in NLTK notation or JSON) | ngram:ORDER,SMOOTHING,CORPUS (an n-gram estimated from a corpus; SMOOTHING is mle, add-lambda=λ or kneser-ney[=d]) | neural:PATH (a network saved by `workbench train`, model.wbm) | char:TOKENIZER:MODEL (the character model p_Σ(x) = Σ_{κ(τ)=x} p(τ) of any of these forms over token ids: a PFSA or n-gram gives a PFSA, a PCFG a PCFG, a network or table the exact view over coverings)";

    /// <summary>Builds the model a specification names.</summary>
    /// <exception cref="ParseException">The text is not one of the forms; the message names the column.</exception>
    public static ILanguageModel Parse(string text)
    {
        var colon = text.IndexOf(':');
        if (colon < 0) throw Error(text, 0, "expected KIND:ARGUMENTS");
        var kind = text[..colon];
        var body = text[(colon + 1)..];
        try
        {
            return Kinds.TryGetValue(kind, out var parse) ? parse(text, body, colon + 1) : throw Error(text, 0, $"unknown model kind '{kind}'");
        }
        catch (ArgumentException exception)
        {
            throw Error(text, colon + 1, Reason(exception));
        }
        catch (InvalidModelException exception)
        {
            // A model that the specification describes but that is not a language model (weights that do not sum to 1).
            throw Error(text, colon + 1, exception.Message.TrimEnd('.'));
        }
    }

    /// <summary>Builds the sampling adapter a specification names.</summary>
    /// <exception cref="ParseException">The text is not one of the adapter forms.</exception>
    public static ISamplingAdapter ParseAdapter(string text)
    {
        var equals = text.IndexOf('=');
        if (equals < 0) throw Error(text, 0, "expected NAME=VALUE", AdapterForms);
        var name = text[..equals];
        var value = text[(equals + 1)..];
        try
        {
            double Value() => Number(text, value, equals + 1, AdapterForms);
            return name switch
            {
                "temperature" => new TemperatureAdapter(Value()),
                "top-k" => new TopKAdapter((int)Value()),
                "top-p" => new TopPAdapter(Value()),
                "typical" => new LocallyTypicalAdapter(Value()),
                _ => throw Error(text, 0, $"unknown adapter '{name}'", AdapterForms),
            };
        }
        catch (ArgumentException exception)
        {
            throw Error(text, equals + 1, Reason(exception), AdapterForms);
        }
    }

    /// <summary>The adapter forms, for help texts and error messages.</summary>
    public const string AdapterForms = "temperature=T | top-k=K | top-p=P | typical=TAU";

    private static EosSchedule ParseSchedule(string text, string body, int offset)
    {
        var equals = body.IndexOf('=');
        var name = equals < 0 ? body : body[..equals];
        var arguments = equals < 0 ? [] : Numbers(text, body[(equals + 1)..], offset + equals + 1);
        return (name, arguments.Length) switch
        {
            ("inverse-square", 0) => EosSchedule.InverseSquare(),
            ("harmonic", 0) => EosSchedule.Harmonic(),
            ("constant", 1) => EosSchedule.Constant(arguments[0]),
            ("power", 2) => EosSchedule.Power(arguments[0], arguments[1]),
            ("geometric", 2) => EosSchedule.Geometric(arguments[0], arguments[1]),
            _ => throw Error(text, offset, $"unknown EOS schedule '{body}'; expected inverse-square, harmonic, constant=C, power=C,ALPHA or geometric=C,R"),
        };
    }

    private static TableLanguageModel ParseTable(string text, string body, int offset)
    {
        var entries = new List<(string String, double Probability)>();
        var position = offset;
        foreach (var item in body.Split(','))
        {
            var equals = item.IndexOf('=');
            if (equals < 0) throw Error(text, position, "expected STRING=PROBABILITY");
            var symbols = item[..equals] == Alphabet.EmptyStringName ? "" : item[..equals];
            entries.Add((symbols, Number(text, item[(equals + 1)..], position + equals + 1)));
            position += item.Length + 1;
        }
        var characters = string.Concat(entries.SelectMany(e => e.String).Distinct().Order());
        if (characters.Length == 0) throw Error(text, offset, "the table needs at least one non-empty string to define its alphabet");
        var alphabet = Alphabet.FromCharacters(characters);
        return new TableLanguageModel(alphabet, entries.Select(e => (alphabet.Parse(e.String), e.Probability)));
    }

    private static Automata.NGrams.NGramModel ParseNGram(string text, string body, int offset)
    {
        var parts = body.Split(',', 3);
        if (parts.Length < 3 || parts[2].Length == 0) throw Error(text, offset, "expected ORDER,SMOOTHING,CORPUS");
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var order) || order < 1)
            throw Error(text, offset, $"'{parts[0]}' is not an order (a whole number ≥ 1)");
        var lines = TextFile.ReadLines(parts[2]);
        var alphabet = Corpus.AlphabetOf(lines);
        return NGram.NGramCommands.Estimate(alphabet, order, Corpus.Parse(lines, alphabet, parts[2]), parts[1]);
    }

    // Each kind's parser, from the whole specification, the text after "KIND:" and that text's column.
    private static readonly Dictionary<string, Func<string, string, int, ILanguageModel>> Kinds = new(StringComparer.Ordinal)
    {
        ["unary"] = (text, body, offset) => new UnaryLanguageModel(ParseSchedule(text, body, offset)),
        ["uniform"] = (_, body, _) => new UniformLanguageModel(Alphabet.FromCharacters(body)),
        ["table"] = ParseTable,
        ["fsa"] = (_, body, _) => Fsa.MachineFile.LanguageModel(Fsa.MachineFile.Read(body)),
        ["neural"] = (_, body, _) => new Workbench.Neural.NeuralLanguageModel(Workbench.Neural.Storage.ModelFile.Load(body)),
        ["ngram"] = ParseNGram,
        ["char"] = ParseCharacterModel,
        ["cfg"] = (_, body, _) => new Automata.Grammars.PcfgLanguageModel(Cfg.CfgCommands.ReadGrammar(new FileInfo(body), weighted: false)),
    };

    // char:TOKENIZER:MODEL — the pushforward through the tokenizer's κ of a model over token ids: a PFSA (fsa:, or an
    // n-gram's deterministic machine) becomes a PFSA, a PCFG its image grammar, and any other model (a network, a table)
    // the exact character-level view over its coverings.
    private static ILanguageModel ParseCharacterModel(string text, string body, int offset)
    {
        var split = Enumerable.Range(0, body.Length).FirstOrDefault(i => body[i] == ':' && Kinds.Keys.Any(k => body.AsSpan(i + 1).StartsWith(k + ":", StringComparison.Ordinal)), -1);
        if (split <= 0) throw Error(text, offset, "expected char:TOKENIZER:MODEL, MODEL one of the other forms over token ids");
        var tokenizer = Tokenization.TokenizerCommands.Load(new FileInfo(body[..split]));
        var inner = body[(split + 1)..];
        var path = inner[(inner.IndexOf(':') + 1)..];
        if (inner.StartsWith("cfg:", StringComparison.Ordinal))
            return new Automata.Grammars.PcfgLanguageModel(Automata.Tokenization.CharacterModel.ToCharacterGrammar(tokenizer, Cfg.CfgCommands.ReadGrammar(new FileInfo(path), weighted: false)));
        if (inner.StartsWith("fsa:", StringComparison.Ordinal))
        {
            // The labels are token ids, so 0 is token 0, not OpenFst's ε.
            var machine = Automata.Operations.EpsilonRemoval.Remove(Fsa.MachineFile.Read(path, reading: new Automata.Formats.AttReading(ZeroIsEpsilon: false)));
            Automata.Pfsa.PfsaValidation.Validate(machine, Fsa.MachineFile.PfsaTolerance);
            return CharacterPfsa(tokenizer, machine.Map(w => new Formal.Semirings.Real(Formal.Semirings.Log.ToReal(w))));
        }
        return Parse(inner) switch
        {
            Automata.Pfsa.IDeterministicPfsaModel deterministic => CharacterPfsa(tokenizer, deterministic.DeterministicMachine),
            var tokens => new Automata.Tokenization.CharacterLanguageModel(tokens, tokenizer),
        };
    }

    private static ILanguageModel CharacterPfsa(Automata.Tokenization.ITokenizer tokenizer, Automata.Core.Wfsa<Formal.Semirings.Real> tokens)
    {
        var characters = Automata.Tokenization.CharacterModel.ToCharacterPfsa(tokenizer, tokens);
        return characters.IsDeterministic
            ? new Automata.Pfsa.DeterministicPfsaLanguageModel<Formal.Semirings.Real>(characters, Fsa.MachineFile.PfsaTolerance)
            : new Automata.Pfsa.PfsaLanguageModel<Formal.Semirings.Real>(characters, Fsa.MachineFile.PfsaTolerance);
    }

    private static double[] Numbers(string text, string list, int offset)
    {
        var parts = list.Split(',');
        var result = new double[parts.Length];
        var position = offset;
        for (var i = 0; i < parts.Length; i++)
        {
            result[i] = Number(text, parts[i], position);
            position += parts[i].Length + 1;
        }
        return result;
    }

    private static double Number(string text, string value, int column, string forms = Forms) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : throw Error(text, column, $"'{value}' is not a finite number", forms);

    // An argument check's own message without the parameter name and value that .NET appends.
    private static string Reason(ArgumentException exception) => exception.Message.Split(" (Parameter", 2)[0].TrimEnd('.');

    private static ParseException Error(string text, int column, string problem, string forms = Forms) =>
        new($"Cannot read \"{text}\" at column {column + 1}: {problem}. Forms: {forms}.");
}
