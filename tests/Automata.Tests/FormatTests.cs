using Workbench.Automata.Core;
using Workbench.Automata.Formats;
using Workbench.Automata.Generators;
using Workbench.Automata.Pathsums;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Tests;

public sealed class FormatTests
{
    private static void AssertSameMachine(Wfsa<Real> expected, Wfsa<Log> actual)
    {
        Assert.Equal(expected.StateCount, actual.StateCount);
        Assert.Equal(expected.ArcCount, actual.ArcCount);
        Assert.Equal(expected.Alphabet.Symbols, actual.Alphabet.Symbols);
        for (var q = 0; q < expected.StateCount; q++)
        {
            Assert.Equal(expected.InitialWeights[q].Value, Log.ToReal(actual.InitialWeights[q]), 14);
            Assert.Equal(expected.FinalWeights[q].Value, Log.ToReal(actual.FinalWeights[q]), 14);
        }
        Assert.Equal(expected.ArcLabels.ToArray(), actual.ArcLabels.ToArray());
        Assert.Equal(expected.ArcTargets.ToArray(), actual.ArcTargets.ToArray());
        for (var e = 0; e < expected.ArcCount; e++) Assert.Equal(expected.ArcWeights[e].Value, Log.ToReal(actual.ArcWeights[e]), 14);
    }

    [Theory]
    [InlineData(AttWeights.NegativeLog)]
    [InlineData(AttWeights.Probability)]
    public void Att_text_round_trips_a_deterministic_pfsa(AttWeights weights)
    {
        var fsa = RandomAutomata.Pfsa(new Random(3), 12, 3, 3, deterministic: true);
        AssertSameMachine(fsa, AttFormat.Read(AttFormat.Write(fsa, weights), "memory", weights, fsa.Alphabet));
    }

    [Fact]
    public void Att_text_adds_an_epsilon_start_for_several_initial_states()
    {
        var fsa = RandomAutomata.Pfsa(new Random(4), 5, 2, 2);
        var read = AttFormat.Read(AttFormat.Write(fsa), "memory", alphabet: fsa.Alphabet);
        Assert.Equal(fsa.StateCount + 1, read.StateCount);
        Assert.True(read.HasEpsilonArcs);
        Assert.Equal(0.0, read.InitialWeights[fsa.StateCount].Value);
    }

    [Fact]
    public void Att_text_as_fstprint_writes_it_without_symbol_tables()
    {
        // Integer labels, 0 = ε, tab separated, −ln p weights, a final line without weight.
        const string text = "0\t1\t1\t0.693147180559945\n0\t1\t0\t0.693147180559945\n1\t2\t2\n2\n";
        var fsa = AttFormat.Read(text, "numeric.txt");
        Assert.Equal(["1", "2"], fsa.Alphabet.Symbols);
        Assert.True(fsa.HasEpsilonArcs);
        Assert.Equal(0.5, Log.ToReal(fsa.ArcWeights[0]), 12);
        Assert.Equal(1.0, Log.ToReal(fsa.FinalWeights[2]));
    }

    [Fact]
    public void Att_transducer_listings_are_read_when_they_are_acceptors()
    {
        var fsa = AttFormat.Read("0 1 a a 0.5\n0 1 b b\n1\n", "t.txt", AttWeights.Probability);
        Assert.Equal(2, fsa.ArcCount);
        var error = Assert.Throws<ParseException>(() => AttFormat.Read("0 1 a a 1\n0 1 a b 1\n1\n", "t.txt"));
        Assert.StartsWith("t.txt:2:7: input label 'a' and output label 'b' differ", error.Message);
    }

    [Theory]
    [InlineData("0 1 a x\n1\n", "bad.txt:1:7: 'x' is not a weight")]
    [InlineData("0 one a\n1\n", "bad.txt:1:3: expected a state id")]
    [InlineData("0 1 a 0.5\n1 -2\n", "bad.txt:2:3: a probability weight must be finite and non-negative")]
    [InlineData("0 1 a 0.5\n1 2 a 0.5 9\n2\n", "bad.txt:2:11: too many fields (5)")]
    [InlineData("0 1 a -1\n1\n", "bad.txt:1:7: a probability weight must be finite and non-negative")]
    public void Att_errors_name_file_line_and_column(string text, string expected)
    {
        var error = Assert.Throws<ParseException>(() => AttFormat.Read(text, "bad.txt", AttWeights.Probability));
        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void Json_round_trips_any_initial_weights_and_unused_symbols()
    {
        var fsa = RandomAutomata.Pfsa(new Random(8), 7, 4, 2);
        AssertSameMachine(fsa, JsonFormat.Read(JsonFormat.Write(fsa), "memory"));
    }

    [Theory]
    [InlineData("{ \"alphabet\": [\"a\"], \"states\": 1, \"initial\": [], \"final\": [], \"arcs\": [{ \"from\": 0, \"label\": \"b\", \"to\": 0, \"weight\": 1 }] }", "j.json:1:94: arcs[0].label: unknown symbol 'b'")]
    [InlineData("{ \"alphabet\": [\"a\"], \"states\": 1, \"initial\": [{ \"state\": 3, \"weight\": 1 }], \"final\": [], \"arcs\": [] }", "j.json:1:58: initial[0].state: state 3 is out of range")]
    [InlineData("{ \"alphabet\": [\"a\"],\n  \"states\": }", "j.json:2:")]
    [InlineData("[]", "j.json:1:1: $: expected an object")]
    [InlineData("{ \"alphabet\": [\"a\"],\n  \"states\": 1, \"initial\": [7], \"final\": [], \"arcs\": [] }", "j.json:2:28: initial[0]: expected an object")]
    [InlineData("{ \"alphabet\": [\"a\"], \"weights\": 3, \"states\": 1, \"initial\": [], \"final\": [], \"arcs\": [] }", "j.json:1:33: weights: expected a string")]
    [InlineData("{ \"alphabet\": [\"a\"], \"states\": 1, \"states\": 2 }", "j.json:1:35: states: invalid JSON")]
    public void Json_errors_name_the_path(string text, string expected)
    {
        var error = Assert.Throws<ParseException>(() => JsonFormat.Read(text, "j.json"));
        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void Dot_draws_states_arcs_and_start_arrows()
    {
        var dot = DotFormat.Write(Machines.LeakyPfsa());
        Assert.StartsWith("digraph wfsa {", dot);
        Assert.Contains("0 [shape=doublecircle, label=\"0/0.25\"]", dot);
        Assert.Contains("0 -> 1 [label=\"b/0.25\"]", dot);
        Assert.Contains("start0 -> 0", dot);
    }

    [Fact]
    public void Files_are_written_atomically_and_read_back()
    {
        var directory = Directory.CreateTempSubdirectory("workbench-att-").FullName;
        try
        {
            var path = Path.Combine(directory, "m.att");
            var fsa = RandomAutomata.Pfsa(new Random(1), 4, 2, 2, deterministic: true);
            AttFormat.WriteFile(fsa, path);
            AssertSameMachine(fsa, AttFormat.ReadFile(path, alphabet: fsa.Alphabet));
            Assert.Single(Directory.GetFiles(directory));
            Assert.Throws<WorkbenchException>(() => AttFormat.ReadFile(Path.Combine(directory, "missing.att")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Plain_fstprint_output_omits_weights_of_one_and_reads_as_a_transducer()
    {
        // fstprint without --acceptor: 's d in out [weight]', weight One (0) omitted. Read as an acceptor this would
        // take the output label as a weight; deduced, both arcs and the final weight come out right: Z = e^0·e^−0.5.
        var fsa = AttFormat.Read("0\t1\ta\ta\n1\t2\tb\tb\t0.5\n2\n", "printed");
        Assert.Equal(3, fsa.StateCount);
        Assert.Equal(-0.5, Stringsum.Weight(fsa, [0, 1]).Value, 15);
    }

    [Fact]
    public void Integer_labelled_four_field_files_that_do_not_decide_the_layout_are_refused()
    {
        const string text = "0\t1\t2\t2\n1\t0\t3\t3\n1\n";
        var error = Assert.Throws<AmbiguousLayoutException>(() => AttFormat.Read(text, "numbers"));
        Assert.Contains("numbers:1:1", error.Message);
        Assert.Equal(("numbers", 1, 1), (error.Source, error.Line, error.Column));
        Assert.Contains("layout (transducer or acceptor) must be given", error.Message);
        var transducer = AttFormat.Read(text, "numbers", new AttReading(Layout: AttLayout.Transducer));
        Assert.Equal(0.0, Stringsum.Weight(transducer, [transducer.Alphabet.IdOf("2")]).Value);
        var acceptor = AttFormat.Read(text, "numbers", new AttReading(Layout: AttLayout.Acceptor));
        Assert.Equal(-2.0, Stringsum.Weight(acceptor, [acceptor.Alphabet.IdOf("2")]).Value);
        // A weight that is no integer decides it: fstprint --acceptor with single-precision weights.
        Assert.Equal(3, AttFormat.Read("0\t1\t2\t0.693147182\n1\t2\t2\n2\n", "acceptor").StateCount);
    }

    [Fact]
    public void Label_zero_of_an_integer_file_is_epsilon_by_openfst_convention_and_said_so()
    {
        var notes = new List<string>();
        var fsa = AttFormat.Read("0\t1\t0\n1\t2\t1\n2\n", "zero", AttReading.Default, note: notes.Add);
        Assert.True(fsa.HasEpsilonArcs);
        Assert.Contains(notes, n => n.Contains("zero:1:5") && n.Contains("label 0 is read as ε"));
        var symbol = AttFormat.Read("0\t1\t0\n1\t2\t1\n2\n", "zero", new AttReading(ZeroIsEpsilon: false));
        Assert.False(symbol.HasEpsilonArcs);
        Assert.Equal(["0", "1"], symbol.Alphabet.Symbols);
    }

    [Fact]
    public void Integer_alphabets_write_epsilon_as_zero_and_read_back_the_same_machine()
    {
        var fsa = AttFormat.Read("0\t1\t0\t0.5\n0\t1\t3\t0.25\n1\t0.1\n", "numbers");
        var text = AttFormat.Write(fsa);
        Assert.DoesNotContain("<eps>", text);
        var again = AttFormat.Read(text, "again");
        Assert.Equal(Stringsum.Weight(fsa, []).Value, Stringsum.Weight(again, []).Value, 15);
        Assert.Equal(Stringsum.Weight(fsa, [0]).Value, Stringsum.Weight(again, [0]).Value, 15);
        // 0 as a symbol and ε cannot both be written as 0.
        var clash = AttFormat.Read("0\t1\t0\t0.5\n1\t2\t<eps>\n2\n", "clash", new AttReading(ZeroIsEpsilon: false));
        Assert.Throws<WorkbenchException>(() => AttFormat.Write(clash));
    }

    [Fact]
    public void An_empty_file_is_the_empty_machine_and_a_final_weight_alone_is_the_language_of_epsilon()
    {
        var empty = AttFormat.Read("", "empty");
        Assert.Equal(0, empty.StateCount);
        Assert.Equal("", AttFormat.Write(empty));
        var epsilon = AttFormat.Read("0\t0.5\n", "epsilon");
        Assert.Equal(0, epsilon.Alphabet.Size);
        Assert.Equal(-0.5, Stringsum.Weight(epsilon, []).Value, 15);
        Assert.Equal(-0.5, Stringsum.Weight(AttFormat.Read(AttFormat.Write(epsilon), "again"), []).Value, 15);
    }

    [Fact]
    public void A_state_id_far_beyond_the_file_is_refused_instead_of_allocated()
    {
        var error = Assert.Throws<ParseException>(() => AttFormat.Read("0\t1\ta\n1\t49999999\tb\n1\n", "gap"));
        Assert.StartsWith("gap:2:1: state id 49999999", error.Message);
    }

    [Fact]
    public void Large_files_parsed_in_two_halves_give_the_same_machine_and_the_right_error_lines()
    {
        // Above 1 MiB the text is parsed in two halves on two threads; labels first seen in the second half, the state
        // count, and the line of an error there must come out as from one pass.
        var fsa = RandomAutomata.Pfsa(new Random(5), 9000, 6, 6, deterministic: true);
        var text = AttFormat.Write(fsa);
        Assert.True(text.Length > 1 << 20);
        var parsed = AttFormat.Read(text, "large");
        Assert.Equal((fsa.StateCount, fsa.ArcCount), (parsed.StateCount, parsed.ArcCount));
        Assert.Equal(fsa.Alphabet.Symbols, parsed.Alphabet.Symbols);
        Assert.Equal(fsa.ArcLabels.ToArray(), parsed.ArcLabels.ToArray());
        Assert.Equal(fsa.ArcTargets.ToArray(), parsed.ArcTargets.ToArray());
        for (var e = 0; e < fsa.ArcCount; e++) Assert.True(Math.Abs(Log.ToReal(parsed.ArcWeights[e]) / fsa.ArcWeights[e].Value - 1) < 1e-14);
        for (var q = 0; q < fsa.StateCount; q++) Assert.True(Math.Abs(Log.ToReal(parsed.FinalWeights[q]) - fsa.FinalWeights[q].Value) < 1e-15);
        var lines = text.Split('\n');
        var late = (int)(lines.Length * 0.9);
        lines[late] = "0\t1\tz\tnot-a-weight";
        var error = Assert.Throws<ParseException>(() => AttFormat.Read(string.Join('\n', lines), "large"));
        Assert.StartsWith($"large:{late + 1}:", error.Message);
        // With errors in both halves, the earlier one is reported.
        var early = lines.Length / 10;
        lines[early] = "0\t1\tz\talso-not-a-weight";
        Assert.StartsWith($"large:{early + 1}:", Assert.Throws<ParseException>(() => AttFormat.Read(string.Join('\n', lines), "large")).Message);
    }
}
