using System.Globalization;
using System.Text.Json;

namespace Workbench.Experiments.Tests;

/// <summary>Every `lm` command on every MODEL spec, tight and not, and the one meaning of p(y) seen from the command line.</summary>
public sealed class UniformContractCommandTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("workbench-contract-");

    public void Dispose() => _scratch.Dispose();

    private string Write(string name, string text) => _scratch.Write(name, text);

    private static JsonElement Json(params string[] args)
    {
        var (code, output, error) = CliRunner.Run(args);
        Assert.True(code == 0, $"{string.Join(" ", args)}: {error}");
        return JsonDocument.Parse(output).RootElement;
    }

    private static double Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? double.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetDouble();

    [Fact]
    public void A_non_tight_pcfg_scores_its_own_mass_and_reports_mass_two_thirds()
    {
        var grammar = Write("nt.cfg", "S -> S S [0.6] | 'a' [0.4]\n");
        var scored = Json("lm", "score", $"cfg:{grammar}", "a", "aa", "--json").GetProperty("strings");
        Assert.Equal(0.4, Number(scored[0].GetProperty("probability")), 14);
        Assert.Equal(0.6 * 0.4 * 0.4, Number(scored[1].GetProperty("probability")), 14);
        // π(a) is the mass of a's finite continuations: all of Z(S) = 2/3.
        Assert.Equal(Math.Log(2.0 / 3), Number(scored[0].GetProperty("logPrefixProbability")), 12);
        var tightness = Json("lm", "tightness", $"cfg:{grammar}", "--json");
        Assert.Equal("not-tight", tightness.GetProperty("verdict").GetString());
        Assert.Equal(2.0 / 3, Number(tightness.GetProperty("mass")), 12);
        // Samples come from p/Z and say so; each string's log p is still the grammar's own.
        var sampled = Json("lm", "sample", $"cfg:{grammar}", "--count", "20", "--seed", "3", "--json");
        Assert.StartsWith("p(y)/Z", sampled.GetProperty("sampledFrom").GetString());
        foreach (var s in sampled.GetProperty("strings").EnumerateArray())
            if (s.GetProperty("string").GetString() == "a") Assert.Equal(Math.Log(0.4), Number(s.GetProperty("logProbability")), 12);
        Assert.Equal(0.4, Number(Json("cfg", "prob", grammar, "a", "--json").GetProperty("strings")[0].GetProperty("probability")), 14);
    }

    [Fact]
    public void Compare_is_exact_between_a_pcfg_and_a_deterministic_pfsa()
    {
        // S → S S [0.2] | a [0.48] | b [0.32] against one state with a 0.5, b 0.3, stop 0.2: H(p, q) = −log 0.2 +
        // E|y|·(0.6(−log 0.5) + 0.4(−log 0.3)) with E|y| = 0.8/0.6 (ExactDivergenceTests derives the closed form).
        var grammar = Write("branching.cfg", "S -> S S [0.2] | 'a' [0.48] | 'b' [0.32]\n");
        var fsa = Write("one.att", Invariant($"0\t0\ta\t{-Math.Log(0.5):R}\n0\t0\tb\t{-Math.Log(0.3):R}\n0\t{-Math.Log(0.2):R}\n"));
        var expected = -Math.Log(0.2) + 0.8 / 0.6 * (0.6 * -Math.Log(0.5) + 0.4 * -Math.Log(0.3));
        var root = Json("lm", "compare", $"cfg:{grammar}", $"fsa:{fsa}", "--samples", "4000", "--seed", "5", "--json");
        var rows = root.GetProperty("estimates").EnumerateArray().ToArray();
        var exact = rows[0].GetProperty("exact");
        Assert.Equal(expected, Number(exact.GetProperty("value")), 12);
        var estimate = rows[0].GetProperty("estimate");
        Assert.InRange(expected, Number(estimate.GetProperty("value")) - 5 * Number(estimate.GetProperty("standardError")),
            Number(estimate.GetProperty("value")) + 5 * Number(estimate.GetProperty("standardError")));
        Assert.Contains("unambiguous", root.GetProperty("exactNote").GetString());
    }

    [Fact]
    public void Every_lm_command_works_on_every_model_spec()
    {
        var example = Path.Combine(AppContext.BaseDirectory, "even-as.att");
        var network = Path.Combine(_scratch.Path, "minsky.wbm");
        Assert.Equal(0, CliRunner.Run("compile", "fsa-to-rnn", example, "--out", network).ExitCode);
        var corpus = Write("corpus.txt", "a b\nb a a\na a\nb\n");
        var tokenizer = Path.Combine(_scratch.Path, "tok.json");
        Assert.Equal(0, CliRunner.Run("tok", "train", Write("text.txt", "abab\n"), "--vocab-size", "3", "--pre-tokenization", "None", "-o", tokenizer).ExitCode);
        // A network and a table over the three token ids, and an n-gram from a corpus of token ids.
        var tokenNetwork = Path.Combine(_scratch.Path, "tokennet");
        var trained = CliRunner.Run("train", "--source", "table:0=0.4,1=0.2,21=0.2,ε=0.2", "--model", "lstm:hidden=4", "--steps", "2", "--eval-every", "2", "--held-out", "10", "--out", tokenNetwork);
        Assert.True(trained.ExitCode == 0, trained.Error);
        var tokenCorpus = Write("token-corpus.txt", "0 2\n2 1 0\n1\n0 0 2\n");
        var tokenFsa = Write("tokens.att", "0\t0\t0\t1.6094379124341003\n0\t0\t1\t1.6094379124341003\n0\t0\t2\t1.2039728043259361\n0\t1.2039728043259361\n");
        string[] specs =
        [
            "unary:inverse-square", "unary:harmonic", "uniform:ab", "table:ab=0.5,b=0.25,ε=0.25",
            $"fsa:{example}", $"cfg:{Write("tight.cfg", "S -> 'a' S 'b' [0.4] | 'b' [0.6]\n")}",
            $"cfg:{Write("leaking.cfg", "S -> S S [0.7] | 'a' [0.2] | 'b' [0.1]\n")}",
            $"ngram:2,kneser-ney,{corpus}", $"neural:{network}",
            $"char:{tokenizer}:fsa:{tokenFsa}", $"char:{tokenizer}:cfg:{Write("tokens.cfg", "S -> '2' S [0.3] | '0' [0.4] | '1' [0.3]\n")}",
            $"char:{tokenizer}:ngram:2,add-lambda=0.5,{tokenCorpus}", "char:" + tokenizer + ":table:0=0.4,1=0.2,21=0.2,ε=0.2",
            $"char:{tokenizer}:neural:{Path.Combine(tokenNetwork, "model.wbm")}",
        ];
        foreach (var spec in specs)
        {
            var tightness = Json("lm", "tightness", spec, "--json");
            Assert.Contains(tightness.GetProperty("verdict").GetString(), new[] { "tight", "not-tight", "unknown" });
            var symbol = spec.StartsWith("unary", StringComparison.Ordinal) ? "a" : "b";
            Assert.Single(Json("lm", "score", spec, symbol, "--json").GetProperty("strings").EnumerateArray());
            Assert.Equal(3, Json("lm", "estimate", spec, "--samples", "50", "--max-length", "40", "--seed", "1", "--json").GetProperty("estimates").GetArrayLength());
            Assert.Equal(3, Json("lm", "compare", spec, spec, "--samples", "50", "--max-length", "40", "--seed", "1", "--json").GetProperty("estimates").GetArrayLength());
        }
    }

    [Fact]
    public void The_beam_bounds_the_character_scores_of_a_token_table_and_contains_the_exact_ones()
    {
        // Tokens a, b, ab (ids 0, 1, 2): "ab" is spelled by 0·1 and by 2.
        var tokenizer = Path.Combine(_scratch.Path, "tok.json");
        Assert.Equal(0, CliRunner.Run("tok", "train", Write("text.txt", "abab\n"), "--vocab-size", "3", "--pre-tokenization", "None", "-o", tokenizer).ExitCode);
        var spec = "char:" + tokenizer + ":table:01=0.3,2=0.4,0=0.1,22=0.2";
        var exact = Json("lm", "score", spec, "a b", "--json").GetProperty("strings")[0];
        Assert.Equal(0.7, Number(exact.GetProperty("probability")), 14);
        Assert.Equal(Math.Log(0.7 + 0.2), Number(exact.GetProperty("logPrefixProbability")), 14);
        var beam = Json("lm", "score", spec, "a b", "--beam", "1", "--json").GetProperty("strings")[0];
        var (p, bound) = (Number(beam.GetProperty("probability")), Number(beam.GetProperty("probabilityErrorBound")));
        Assert.True(bound > 0 && Math.Abs(p - 0.7) <= bound, $"{p} ± {bound}");
        Assert.Contains("beam of 1", beam.GetProperty("method").GetString());
        var (code, _, error) = CliRunner.Run("lm", "score", "uniform:ab", "a", "--beam", "2");
        Assert.Equal(2, code);
        Assert.Contains("this model scores exactly", error);
    }

    [Fact]
    public void Estimate_shows_exact_values_only_beside_estimates_of_the_same_distribution()
    {
        // The leaking grammar's samples come from p/Z, its exact tail is of p: no exact column; the derivational entropy is labelled.
        var grammar = Write("leaking.cfg", "S -> S S [0.7] | 'a' [0.2] | 'b' [0.1]\n");
        var root = Json("lm", "estimate", $"cfg:{grammar}", "--samples", "200", "--max-length", "60", "--seed", "2", "--json");
        Assert.All(root.GetProperty("estimates").EnumerateArray(), row => Assert.Equal(JsonValueKind.Null, row.GetProperty("exact").ValueKind));
        Assert.Contains("upper bound on the string entropy", root.GetProperty("derivationalEntropy").GetProperty("method").GetString());
        var tight = Write("tight.cfg", "S -> 'a' S 'b' [0.4] | 'b' [0.6]\n");
        var exact = Json("lm", "estimate", $"cfg:{tight}", "--samples", "200", "--max-length", "60", "--seed", "2", "--json").GetProperty("estimates")[1].GetProperty("exact");
        // E|y| = 1 + 2·E[a-rules] = 1 + 2·(0.4/0.6).
        Assert.Equal(1 + 2 * 0.4 / 0.6, Number(exact.GetProperty("value")), 12);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
