using System.Text.RegularExpressions;
using Workbench.Experiments.Cli;
using Workbench.Experiments.Runner;
using Workbench.Formal.Errors;
using Workbench.Formal.Evaluation;
using Workbench.Formal.Symbols;
using Workbench.Formal.Testing;

namespace Workbench.Experiments.Tests;

/// <summary>
/// Fuzzing the inputs the command line reads besides automata and grammars — experiment specs, model and adapter
/// specifications, corpora — with mutants of valid inputs (fixed seeds): each parses or is refused with a library
/// error that says where, never another exception.
/// </summary>
public sealed partial class ParserFuzzTests : IDisposable
{
    private const int Mutants = 300;

    private readonly string _directory = Directory.CreateTempSubdirectory("workbench-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [GeneratedRegex(@"^(fuzzed|/\S+?)(:\d+:\d+:|: |:\d+:)")]
    private static partial Regex Located();

    [GeneratedRegex(@"^Cannot read "".*"" at column \d+: ", RegexOptions.Singleline)]
    private static partial Regex NamesTheColumn();

    private static void Fuzz(string valid, int seed, Action<string> parse, Func<string, bool> says)
    {
        var (failure, _) = ParserFuzzing.Run(valid, seed, Mutants, parse, says);
        Assert.True(failure is null, failure);
    }

    [Fact]
    public void Experiment_specs()
    {
        var valid = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "smoke.json"));
        var path = Path.Combine(_directory, "spec.json");
        Fuzz(valid, 21, text =>
        {
            File.WriteAllText(path, text);
            ExperimentSpec.Read(path);
        }, message => message.StartsWith(path + ":", StringComparison.Ordinal));
    }

    [Fact]
    public void Model_and_adapter_specifications()
    {
        foreach (var (valid, seed) in new[] { ("unary:geometric=0.5,0.9", 22), ("table:ab=0.5,a=0.25,=0.25", 23), ("uniform:abc", 24), ("unary:power=0.5,2", 25) })
            Fuzz(valid, seed, text => ModelSpecification.Parse(text), message => NamesTheColumn().IsMatch(message));
        foreach (var (valid, seed) in new[] { ("top-k=3", 26), ("temperature=0.7", 27), ("top-p=0.9", 28) })
            Fuzz(valid, seed, text => ModelSpecification.ParseAdapter(text), message => NamesTheColumn().IsMatch(message));
    }

    [Fact]
    public void Corpora()
    {
        const string valid = "# a corpus\na b a\nε\nb b\n\na\n";
        var alphabet = new Alphabet(["a", "b"]);
        Fuzz(valid, 29, text => Corpus.Parse(text.Split('\n'), alphabet, "fuzzed"), message => Located().IsMatch(message));
    }
}
