using System.Text.Json;

namespace Workbench.Experiments.Tests;

public sealed class FsaCommandTests : IDisposable
{
    // State 0 loops on a (0.5), stops (0.25) or moves on b (0.25) into state 1, which loops on b forever.
    private const string LeakyPfsa = "0\t0\ta\t0.6931471805599453\n0\t1\tb\t1.3862943611198906\n0\t1.3862943611198906\n1\t1\tb\t0\n";

    private readonly ScratchDirectory _scratch = new("workbench-fsa-");

    public void Dispose() => _scratch.Dispose();

    private string Write(string name, string text) => _scratch.Write(name, text);

    [Fact]
    public void Info_reports_the_allsum_tightness_entropy_and_length_of_a_leaky_pfsa()
    {
        var (code, output, _) = CliRunner.Run("fsa", "info", Write("leaky.att", LeakyPfsa), "--json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(2, root.GetProperty("states").GetInt32());
        Assert.True(root.GetProperty("deterministic").GetBoolean());
        Assert.Equal(0.5, root.GetProperty("allsum").GetProperty("value").GetDouble(), 12);
        Assert.Equal("not-tight", root.GetProperty("tightness").GetProperty("verdict").GetString());
        Assert.Equal(1.5 * Math.Log(2), root.GetProperty("entropy").GetProperty("value").GetDouble(), 12);
        Assert.Equal(0.5, root.GetProperty("expectedLength").GetProperty("value").GetDouble(), 12);
        Assert.Equal("ε", root.GetProperty("mode").GetString());
        Assert.Equal(Math.Log(0.25), root.GetProperty("modeLogProbability").GetDouble(), 12);
    }

    [Fact]
    public void Compare_gives_exact_cross_entropy_and_kl_of_two_files()
    {
        // p(aⁿ) = 0.5ⁿ·0.5 and q(aⁿ) = 0.8ⁿ·0.2: H(p, q) = −(ln 0.8 + ln 0.2), H(p) = 2 ln 2.
        var p = Write("p.att", "0 0 a 0.5\n0 0.5\n");
        var q = Write("q.att", "0 0 a 0.8\n0 0.2\n");
        var (code, output, _) = CliRunner.Run("fsa", "compare", p, q, "--weights", "Probability", "--json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(-(Math.Log(0.8) + Math.Log(0.2)), root.GetProperty("crossEntropy").GetProperty("value").GetDouble(), 12);
        Assert.Equal(-(Math.Log(0.8) + Math.Log(0.2)) - 2 * Math.Log(2), root.GetProperty("kullbackLeibler").GetProperty("value").GetDouble(), 12);
    }

    [Fact]
    public void Allsum_prints_the_certified_partition_function_only()
    {
        var (code, output, _) = CliRunner.Run("fsa", "allsum", Write("leaky.att", LeakyPfsa), "--solver", "GaussSeidel", "--json");
        Assert.Equal(0, code);
        var allsum = JsonDocument.Parse(output).RootElement.GetProperty("allsum");
        Assert.True(Math.Abs(allsum.GetProperty("value").GetDouble() - 0.5) <= allsum.GetProperty("errorBound").GetDouble() + 1e-15);
        Assert.True(allsum.GetProperty("errorBound").GetDouble() < 1e-12);
    }

    [Fact]
    public void Push_turns_a_weighted_machine_into_a_tight_pfsa_with_the_same_string_ratios()
    {
        // One state looping on a with weight 0.5 and final weight 0.6: Z = 0.6/(1 − 0.5) = 1.2, and the pushed
        // PFSA gives aa the probability 0.5²·0.6/1.2.
        var source = Write("w.att", "0 0 a 0.5\n0 0.6\n");
        var pushedPath = Path.Combine(_scratch.Path, "pushed.att");
        Assert.Equal(0, CliRunner.Run("fsa", "push", source, "--weights", "Probability", "-o", pushedPath).ExitCode);
        var (code, output, _) = CliRunner.Run("fsa", "info", pushedPath, "--json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.True(root.GetProperty("pfsa").GetBoolean());
        Assert.Equal("tight", root.GetProperty("tightness").GetProperty("verdict").GetString());
        var scores = JsonDocument.Parse(CliRunner.Run("fsa", "prob", pushedPath, "a a", "--json").Output).RootElement.GetProperty("strings");
        Assert.Equal(0.5 * 0.5 * 0.6 / 1.2, scores[0].GetProperty("probability").GetDouble(), 14);
    }

    // Two branches on 'a' that loop on 'a' with probabilities 0.5 and 0.8 and leave on b or c: unambiguous, not twins.
    private const string TwoBranches = "0\t1\ta\t0.5\n0\t2\ta\t0.5\n1\t1\ta\t0.5\n1\t3\tb\t0.5\n2\t2\ta\t0.8\n2\t4\tc\t0.2\n3\n4\n";

    [Fact]
    public void Ambiguous_integer_files_need_a_layout_and_label_zero_is_reported()
    {
        var file = Write("numbers.att", "0\t1\t2\t2\n1\t2\t0\t0\n2\n");
        var (code, _, error) = CliRunner.Run("fsa", "allsum", file, "--json");
        Assert.Equal(2, code);
        Assert.Contains("--layout", error);
        var (layoutCode, output, notes) = CliRunner.Run("fsa", "allsum", file, "--layout", "Transducer", "--json");
        Assert.True(layoutCode == 0, notes);
        Assert.Equal(1.0, JsonDocument.Parse(output).RootElement.GetProperty("allsum").GetProperty("value").GetDouble(), 14);
        Assert.Contains("note: ", notes);
        Assert.Contains("label 0 is read as ε", notes);
    }

    [Fact]
    public void A_probability_one_epsilon_loop_on_a_dead_state_does_not_stop_any_command()
    {
        // State 0: a (½) into a final state, b (¼) into a dead state that loops on ε with probability 1, stop (¼).
        var file = Write("dead.att", "0\t1\ta\t0.6931471805599453\n0\t2\tb\t1.3862943611198906\n0\t1.3862943611198906\n1\n2\t2\t<eps>\t0\n");
        foreach (var args in new[] { new[] { "fsa", "prob", file, "a" }, ["fsa", "sample", file, "-n", "5", "--seed", "3"], ["fsa", "determinize", file], ["fsa", "intersect", file, file], ["lm", "score", $"fsa:{file}", "a"] })
        {
            var (code, _, error) = CliRunner.Run(args);
            Assert.True(code == 0, $"{string.Join(' ', args)}: {error}");
        }
        var (_, output, _) = CliRunner.Run("lm", "score", $"fsa:{file}", "a", "ε", "--json");
        var strings = JsonDocument.Parse(output).RootElement.GetProperty("strings");
        Assert.Equal(0.5, strings[0].GetProperty("probability").GetDouble(), 14);
        Assert.Equal(0.25, strings[1].GetProperty("probability").GetDouble(), 14);
    }

    [Fact]
    public void A_single_precision_epsilon_pfsa_is_a_language_model_wherever_info_calls_it_a_pfsa()
    {
        // An ε-loop of probability 0.999 and an exit 0.0010005: the state sums to 1 + 5·10⁻⁷, within the file tolerance,
        // and ε-removal multiplies that rounding by 1/(1 − 0.999) into an exit of 1.0005, which the checks must allow for.
        var file = Write("float.att", "0\t0\t<eps>\t0.0010005003335835344\n0\t1\ta\t6.907255403940486\n1\n");
        var (infoCode, info, _) = CliRunner.Run("fsa", "info", file, "--json");
        Assert.Equal(0, infoCode);
        Assert.True(JsonDocument.Parse(info).RootElement.GetProperty("pfsa").GetBoolean());
        foreach (var args in new[] { new[] { "fsa", "sample", file, "-n", "3", "--seed", "1" }, ["lm", "score", $"fsa:{file}", "a"] })
        {
            var (code, _, error) = CliRunner.Run(args);
            Assert.True(code == 0, $"{string.Join(' ', args)}: {error}");
        }
    }

    [Fact]
    public void Info_answers_for_a_pfsa_whose_strings_all_have_probability_zero()
    {
        var (code, output, error) = CliRunner.Run("fsa", "info", Write("zero.att", "0\t0\ta\t0\n"), "--json");
        Assert.True(code == 0, error);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(0.0, root.GetProperty("allsum").GetProperty("value").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("mode").ValueKind);
    }

    [Fact]
    public void The_language_of_the_empty_string_is_a_valid_machine()
    {
        // A start state that is final with weight 0.5 and an ε-arc into another final state: Z = 0.5 + 0.25, alphabet ∅.
        var file = Write("epsilon.att", "0\t1\t<eps>\t0.6931471805599453\n0\t0.6931471805599453\n1\t0.6931471805599453\n");
        var (code, output, error) = CliRunner.Run("fsa", "allsum", file, "--json");
        Assert.True(code == 0, error);
        Assert.Equal(0.75, JsonDocument.Parse(output).RootElement.GetProperty("allsum").GetProperty("value").GetDouble(), 14);
        var (infoCode, info, infoError) = CliRunner.Run("fsa", "info", Write("final.att", "0\t0\n"), "--json");
        Assert.True(infoCode == 0, infoError);
        Assert.Equal(1.0, JsonDocument.Parse(info).RootElement.GetProperty("allsum").GetProperty("value").GetDouble(), 14);
        Assert.DoesNotContain("NaN", info);
    }

    [Fact]
    public void Determinize_refuses_a_machine_without_the_twins_property_and_approximates_only_on_request()
    {
        var file = Write("branches.att", TwoBranches);
        var (code, output, error) = CliRunner.Run("fsa", "determinize", file, "--weights", "Probability");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("not determinizable", error);
        Assert.Contains("twins property fails", error);
        Assert.Contains("(`fsa determinize --delta D` builds the approximation)", error);
        // A machine whose branches differ by 1 + 1e-9 per loop: --delta 1e-6 closes it and says by how much it may be off.
        var close = Write("close.att", TwoBranches.Replace("2\t2\ta\t0.8", "2\t2\ta\t0.5000000005").Replace("2\t4\tc\t0.2", "2\t4\tc\t0.5"));
        var (approximateCode, approximate, note) = CliRunner.Run("fsa", "determinize", close, "--weights", "Probability", "--delta", "1e-6");
        Assert.True(approximateCode == 0, note);
        Assert.Contains("note: approximate", note);
        Assert.Contains("|ln A′(y) − ln A(y)| ≤ |y|·", note);
        Assert.NotEqual("", approximate);
    }

    [Fact]
    public void Determinize_minimize_trim_and_intersect_write_machines_other_commands_read()
    {
        var leaky = Write("leaky.att", LeakyPfsa);
        string Run(params string[] args)
        {
            var (code, output, error) = CliRunner.Run(args);
            Assert.True(code == 0, error);
            return output;
        }
        var trimmed = Write("trimmed.att", Run("fsa", "trim", leaky));
        Assert.Equal(1, JsonDocument.Parse(Run("fsa", "info", trimmed, "--json")).RootElement.GetProperty("states").GetInt32());
        var minimal = Write("minimal.att", Run("fsa", "minimize", Write("det.att", Run("fsa", "determinize", leaky))));
        var product = Write("product.att", Run("fsa", "intersect", leaky, minimal));
        // Minimization kept the language: p(aa) = 0.5²·0.25 under the minimal machine too.
        var pAA = JsonDocument.Parse(Run("lm", "score", $"fsa:{minimal}", "a a", "--json")).RootElement.GetProperty("strings")[0].GetProperty("probability").GetDouble();
        Assert.Equal(0.0625, pAA, 14);
        // The product of the machine with its minimal form weights each string by p(y)², so Z = Σ_n (0.25·0.5ⁿ)².
        var info = JsonDocument.Parse(Run("fsa", "info", product, "--json")).RootElement;
        Assert.False(info.GetProperty("pfsa").GetBoolean());
        Assert.Equal(Enumerable.Range(0, 200).Sum(n => Math.Pow(0.25 * Math.Pow(0.5, n), 2)), info.GetProperty("allsum").GetProperty("value").GetDouble(), 12);
    }

    [Fact]
    public void Files_with_single_precision_weights_as_openfst_prints_them_are_pfsas()
    {
        // fstprint writes −ln ½ as 0.693147182 (float32): the state sums to 1 − 4·10⁻¹⁰, a PFSA at the CLI's 10⁻⁶.
        var path = Write("printed.att", "0\t0\t1\t0.693147182\n0\t0.693147182\n");
        var (code, output, _) = CliRunner.Run("fsa", "info", path, "--json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.True(root.GetProperty("pfsa").GetBoolean());
        Assert.Equal("tight", root.GetProperty("tightness").GetProperty("verdict").GetString());
        Assert.Equal(0, CliRunner.Run("lm", "score", $"fsa:{path}", "1 1").ExitCode);
    }

    [Fact]
    public void Info_explains_why_a_machine_is_not_a_pfsa_and_still_gives_its_allsum()
    {
        var (code, output, _) = CliRunner.Run("fsa", "info", Write("w.att", "0 0 a 0.5\n0 0.6\n"), "--weights", "Probability", "--json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.False(root.GetProperty("pfsa").GetBoolean());
        Assert.Contains("State 0 is not normalised", root.GetProperty("pfsaProblem").GetString());
        Assert.Equal(1.2, root.GetProperty("allsum").GetProperty("value").GetDouble(), 12);
    }

    [Fact]
    public void A_divergent_machine_is_reported_not_looped_on()
    {
        var (code, _, error) = CliRunner.Run("fsa", "info", Write("d.att", "0 0 a 1.5\n0 1\n"), "--weights", "Probability");
        Assert.Equal(2, code);
        Assert.Contains("diverges", error);
        Assert.Contains("spectral radius", error);
    }

    [Fact]
    public void Malformed_files_are_reported_with_line_and_column()
    {
        var path = Write("bad.att", "0 1 a 0.5\n1 x\n");
        var (code, _, error) = CliRunner.Run("fsa", "info", path);
        Assert.Equal(2, code);
        Assert.Contains($"{path}:2:3: expected a weight, got 'x'", error);
    }

    [Fact]
    public void Prob_scores_strings_and_rejects_non_stochastic_machines_by_state()
    {
        var (code, output, _) = CliRunner.Run("fsa", "prob", Write("leaky.att", LeakyPfsa), "a a", "ε", "b", "--json");
        Assert.Equal(0, code);
        var strings = JsonDocument.Parse(output).RootElement.GetProperty("strings");
        Assert.Equal(0.0625, strings[0].GetProperty("probability").GetDouble(), 14);
        Assert.Equal(0.25, strings[1].GetProperty("probability").GetDouble(), 14);
        Assert.Equal(0.0, strings[2].GetProperty("probability").GetDouble());
        var (badCode, _, error) = CliRunner.Run("fsa", "prob", Write("w.att", "0 0 a 0.5\n0 0.6\n"), "a", "--weights", "Probability");
        Assert.Equal(2, badCode);
        Assert.Contains("State 0 is not normalised", error);
    }

    [Fact]
    public void Samples_are_reproducible_and_pfsa_files_work_with_every_lm_command()
    {
        var path = Write("leaky.att", LeakyPfsa);
        var first = CliRunner.Run("fsa", "sample", path, "-n", "20", "--seed", "7", "--max-length", "30", "--json");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Output, CliRunner.Run("fsa", "sample", path, "-n", "20", "--seed", "7", "--max-length", "30", "--json").Output);
        var (code, output, _) = CliRunner.Run("lm", "tightness", $"fsa:{path}", "--json");
        Assert.Equal(0, code);
        Assert.Equal(0.5, JsonDocument.Parse(output).RootElement.GetProperty("mass").GetDouble(), 12);
    }

    [Fact]
    public void Draw_writes_dot_and_renders_through_graphviz_when_it_is_installed()
    {
        var path = Write("leaky.att", LeakyPfsa);
        var dot = Path.Combine(_scratch.Path, "leaky.dot");
        Assert.Equal(0, CliRunner.Run("fsa", "draw", path, "-o", dot).ExitCode);
        Assert.StartsWith("digraph wfsa", File.ReadAllText(dot));
        var svg = Path.Combine(_scratch.Path, "leaky.svg");
        var (code, _, error) = CliRunner.Run("fsa", "draw", path, "-o", svg);
        if (code == 0) Assert.Contains("<svg", File.ReadAllText(svg));
        else
        {
            Assert.Contains("Graphviz's `dot` is not installed", error);
            Assert.False(File.Exists(svg));
        }
    }
}

public sealed class BenchCommandTests
{
    [Fact]
    public void The_fsa_benchmark_reports_throughput_and_the_allsum_curve()
    {
        var (code, output, _) = CliRunner.Run("bench", "fsa", "--allsum-states", "200", "500", "--json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.True(root.GetProperty("scoringSymbolsPerSecond").GetDouble() > 0);
        Assert.True(root.GetProperty("samplingSymbolsPerSecond").GetDouble() > 0);
        var curve = root.GetProperty("allsum").EnumerateArray().ToList();
        Assert.Equal([200, 500], curve.Select(p => p.GetProperty("states").GetInt32()));
        Assert.All(curve, p => Assert.True(Math.Abs(p.GetProperty("allsum").GetDouble() - 1) <= p.GetProperty("errorBound").GetDouble() + 1e-12));
    }
}

public sealed class NGramCommandTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("workbench-ngram-");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Fit_writes_a_pfsa_that_scores_held_out_text()
    {
        var train = Path.Combine(_scratch.Path, "train.txt");
        File.WriteAllLines(train, ["abab", "abb", "ba", "", "aab"]);
        var heldOut = Path.Combine(_scratch.Path, "held.txt");
        File.WriteAllLines(heldOut, ["abba", "bb"]);
        var model = Path.Combine(_scratch.Path, "model.att");
        var (code, output, _) = CliRunner.Run("ngram", "fit", train, "--order", "3", "--smoothing", "kneser-ney=0.5", "-o", model, "--json");
        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(7, root.GetProperty("states").GetInt32());
        // The PFSA on disk reproduces the n-gram's own training perplexity, and smoothing keeps held-out text finite.
        double Perplexity(string corpus) =>
            JsonDocument.Parse(CliRunner.Run("lm", "evaluate", $"fsa:{model}", corpus, "--json").Output).RootElement.GetProperty("perplexity").GetDouble();
        Assert.Equal(root.GetProperty("trainingPerplexity").GetDouble(), Perplexity(train), 10);
        Assert.True(double.IsFinite(Perplexity(heldOut)));
    }

    [Fact]
    public void Bad_smoothing_is_an_input_error()
    {
        var train = Path.Combine(_scratch.Path, "train.txt");
        File.WriteAllLines(train, ["ab"]);
        var (code, _, error) = CliRunner.Run("ngram", "fit", train, "--smoothing", "add-lambda=-1");
        Assert.Equal(2, code);
        Assert.Contains("λ must be a positive", error);
    }
}
