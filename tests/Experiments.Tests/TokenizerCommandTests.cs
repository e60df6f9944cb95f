using System.Text.Json;
using Workbench.Automata.Tokenization;

namespace Workbench.Experiments.Tests;

public sealed class TokenizerCommandTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("workbench-tok-");

    public void Dispose() => _scratch.Dispose();

    private string Write(string name, string text) => _scratch.Write(name, text);

    [Fact]
    public void Train_encode_decode_and_info_work_together()
    {
        var corpus = Write("corpus.txt", "the cat sat on the mat\nthe dog sat on the log\n");
        var tok = Path.Combine(_scratch.Path, "tok.json");
        var (code, output, error) = CliRunner.Run("tok", "train", corpus, "--vocab-size", "30", "-o", tok, "--json");
        Assert.True(code == 0, error);
        var trained = JsonDocument.Parse(output).RootElement;
        Assert.Equal(30, trained.GetProperty("vocabularySize").GetInt32());
        Assert.True(trained.GetProperty("corpusTokens").GetInt64() < trained.GetProperty("corpusSymbols").GetInt64());

        (code, output, error) = CliRunner.Run("tok", "encode", tok, "the cat", "--json");
        Assert.True(code == 0, error);
        var ids = JsonDocument.Parse(output).RootElement.GetProperty("texts")[0].GetProperty("ids").EnumerateArray().Select(e => e.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        (code, output, error) = CliRunner.Run(["tok", "decode", tok, .. ids, "--json"]);
        Assert.True(code == 0, error);
        Assert.Equal("the cat", JsonDocument.Parse(output).RootElement.GetProperty("text").GetString());

        (code, output, error) = CliRunner.Run("tok", "info", tok, "--corpus", corpus, "--json");
        Assert.True(code == 0, error);
        var info = JsonDocument.Parse(output).RootElement;
        Assert.Equal(trained.GetProperty("corpusTokens").GetInt64(), info.GetProperty("compression").GetProperty("tokens").GetInt64());
    }

    [Fact]
    public void Unigram_tokenizers_train_and_round_trip_from_the_command_line()
    {
        var corpus = Write("corpus.txt", "the cat sat on the mat\nthe dog sat on the log\n");
        var tok = Path.Combine(_scratch.Path, "unigram.json");
        var (code, _, error) = CliRunner.Run("tok", "train", corpus, "--algorithm", "Unigram", "--vocab-size", "25", "-o", tok);
        Assert.True(code == 0, error);
        (code, var output, error) = CliRunner.Run("tok", "encode", tok, "the log", "--json");
        Assert.True(code == 0, error);
        var ids = JsonDocument.Parse(output).RootElement.GetProperty("texts")[0].GetProperty("ids").EnumerateArray().Select(e => e.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        (code, output, error) = CliRunner.Run(["tok", "decode", tok, .. ids]);
        Assert.True(code == 0, error);
        Assert.Equal("the log", output.Trim());
        (code, _, error) = CliRunner.Run("tok", "train", corpus, "--algorithm", "Unigram", "--vocab-size", "25", "--format", "HuggingFace", "-o", tok);
        Assert.Equal(2, code);
        Assert.Contains("a Unigram tokenizer has the workbench's JSON", error);
    }

    [Fact]
    public void The_decoder_its_inverse_and_the_encoder_are_written_as_transducers()
    {
        var tok = Path.Combine(_scratch.Path, "tok.json");
        Assert.Equal(0, CliRunner.Run("tok", "train", Write("corpus.txt", "ab ab\n"), "--vocab-size", "6", "-o", tok).ExitCode);
        var fst = Path.Combine(_scratch.Path, "k.att");
        var (code, _, error) = CliRunner.Run("tok", "fst", tok, "-o", fst);
        Assert.True(code == 0, error);
        var decoder = Workbench.Automata.Formats.AttTransducerFormat.Read(File.ReadAllText(fst), "k.att");
        // One cycle per token out of state 0; the inverse is written with the tapes swapped.
        Assert.Equal(decoder.InputAlphabet.Size, decoder.ArcsOf(0).Length);
        Assert.StartsWith("<eps> 0\n", File.ReadAllText(fst + ".isyms"));
        (code, _, error) = CliRunner.Run("tok", "fst", tok, "-o", fst, "--direction", "Coverings");
        Assert.True(code == 0, error);
        var coverings = Workbench.Automata.Formats.AttTransducerFormat.Read(File.ReadAllText(fst), "k.att");
        Assert.Equal(decoder.InputAlphabet.Symbols.Order(), coverings.OutputAlphabet.Symbols.Order());
        (code, _, error) = CliRunner.Run("tok", "fst", tok, "-o", fst, "--direction", "Encode");
        Assert.True(code == 0, error);
        var encoder = Workbench.Automata.Formats.AttTransducerFormat.Read(File.ReadAllText(fst), "k.att", coverings.InputAlphabet, coverings.OutputAlphabet);
        // "ab ab": the encoder writes τ's tokens only, where κ⁻¹ writes every covering.
        var text = TextUnits.Of("ab ab", BaseUnits.Characters).Select(u => encoder.InputAlphabet.IdOf(CharacterModel.SymbolName(u, BaseUnits.Characters))).ToArray();
        var tokenizer = Workbench.Automata.Formats.TokenizerJsonFormat.Read(File.ReadAllText(tok), tok);
        Assert.Equal(tokenizer.Encode("ab ab").Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Assert.Single(Workbench.Automata.Operations.TransducerApplication.Apply(encoder, text).Values).Output.Select(encoder.OutputAlphabet.NameOf));
        Assert.True(Workbench.Automata.Operations.TransducerApplication.Apply(coverings, text).Count > 1);
    }

    [Fact]
    public void A_lowercasing_tokenizer_encodes_capitals_as_their_lowercase_and_says_it_normalises()
    {
        var tok = Path.Combine(_scratch.Path, "lower.json");
        var (code, _, error) = CliRunner.Run("tok", "train", Write("corpus.txt", "The cat\nthe Hat\n"), "--vocab-size", "14", "--lowercase", "-o", tok);
        Assert.True(code == 0, error);
        var encoded = JsonDocument.Parse(CliRunner.Run("tok", "encode", tok, "THE CAT", "the cat", "--json").Output).RootElement.GetProperty("texts");
        Assert.Equal(encoded[0].GetProperty("ids").ToString(), encoded[1].GetProperty("ids").ToString());
        var info = JsonDocument.Parse(CliRunner.Run("tok", "info", tok, "--json").Output).RootElement;
        Assert.Equal("Lowercase", info.GetProperty("normalization").GetString());
        // The encoder transducer reads capitals too, and writes their lowercase tokens.
        Assert.Equal(0, CliRunner.Run("tok", "fst", tok, "-o", Path.Combine(_scratch.Path, "lower.att"), "--direction", "Encode").ExitCode);
        Assert.Contains("T", File.ReadAllText(Path.Combine(_scratch.Path, "lower.att.isyms")).Split('\n').Select(l => l.Split(' ')[0]));
        (code, _, error) = CliRunner.Run("tok", "train", Write("corpus2.txt", "The cat\n"), "--vocab-size", "8", "--lowercase", "--format", "HuggingFace", "-o", Path.Combine(_scratch.Path, "hf.json"));
        Assert.Equal(2, code);
        Assert.Contains("no faithful tokenizer.json form", error);
        File.WriteAllText(tok, File.ReadAllText(tok).Replace("\"lowercase\"", "\"uppercase\"", StringComparison.Ordinal));
        (code, _, error) = CliRunner.Run("tok", "info", tok);
        Assert.Equal(2, code);
        Assert.Contains("'uppercase' is not a normalization this reader knows", error);
    }

    [Fact]
    public void Bad_input_gets_a_clear_error()
    {
        var corpus = Write("corpus.txt", "abc\n");
        var tok = Path.Combine(_scratch.Path, "tok.json");
        Assert.Equal(0, CliRunner.Run("tok", "train", corpus, "--vocab-size", "4", "-o", tok).ExitCode);
        var (code, _, error) = CliRunner.Run("tok", "encode", tok, "abz");
        Assert.Equal(2, code);
        Assert.Contains("'z' at position 3 is not in the tokenizer's alphabet", error);
        (code, _, error) = CliRunner.Run("tok", "decode", tok, "99");
        Assert.Equal(2, code);
        Assert.Contains("Token id 99 is outside the vocabulary 0..3", error);
        (code, _, error) = CliRunner.Run("tok", "train", Write("empty.txt", ""), "--vocab-size", "10", "-o", tok);
        Assert.Equal(2, code);
        Assert.Contains("empty", error);
        (code, _, error) = CliRunner.Run("tok", "info", Write("bad.json", "{\"type\": \"bpe\""));
        Assert.Equal(2, code);
        Assert.Contains("bad.json:1:", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void A_token_pfsa_becomes_its_exact_character_model()
    {
        // Tokens a (0), b (1), ab (2) at one state with weights 0.2, 0.2, 0.3 and stopping 0.3:
        // p_Σ(ab) = p(a b) + p(ab) = 0.2·0.2·0.3 + 0.3·0.3 = 0.102.
        var tok = Path.Combine(_scratch.Path, "tok.json");
        Assert.Equal(0, CliRunner.Run("tok", "train", Write("corpus.txt", "ab\n"), "--vocab-size", "3", "--pre-tokenization", "None", "-o", tok).ExitCode);
        string W(double p) => (-Math.Log(p)).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var fsa = Write("tokens.att", $"0\t0\t0\t{W(0.2)}\n0\t0\t1\t{W(0.2)}\n0\t0\t2\t{W(0.3)}\n0\t{W(0.3)}\n");
        var spec = $"char:{tok}:fsa:{fsa}";
        var (code, output, error) = CliRunner.Run("lm", "score", spec, "a b", "--json");
        Assert.True(code == 0, error);
        Assert.Equal(0.102, JsonDocument.Parse(output).RootElement.GetProperty("strings")[0].GetProperty("probability").GetDouble(), 14);
        (code, output, error) = CliRunner.Run("lm", "tightness", spec, "--json");
        Assert.True(code == 0, error);
        Assert.Equal("tight", JsonDocument.Parse(output).RootElement.GetProperty("verdict").GetString());
        (code, _, error) = CliRunner.Run("lm", "score", $"char:{tok}", "a");
        Assert.Equal(2, code);
        Assert.Contains("expected char:TOKENIZER:MODEL", error);
        // A token PCFG S → '0' S [0.3] | '2' [0.4] | '1' [0.3]: p_Σ(ab) = p(a b) + p(ab) = 0.3·0.3 + 0.4 = 0.49.
        var grammar = Write("tokens.cfg", "S -> '0' S [0.3] | '2' [0.4] | '1' [0.3]\n");
        (code, output, error) = CliRunner.Run("lm", "score", $"char:{tok}:cfg:{grammar}", "a b", "--json");
        Assert.True(code == 0, error);
        Assert.Equal(0.49, JsonDocument.Parse(output).RootElement.GetProperty("strings")[0].GetProperty("probability").GetDouble(), 14);
    }
}
