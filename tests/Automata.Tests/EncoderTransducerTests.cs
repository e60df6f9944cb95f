using Workbench.Automata.Core;
using Workbench.Automata.Formats;
using Workbench.Automata.Operations;
using Workbench.Automata.Tokenization;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Tests;

public sealed class EncoderTransducerTests
{
    private static int[] Symbols(ITokenizer tokenizer, string text) => [.. TextUnits.Of(text, tokenizer.Units).Select(u => tokenizer.BaseSymbols.IndexOf(u))];

    private static int[] Only(Wfst<Real> transducer, int[] input)
    {
        var outputs = TransducerApplication.Apply(transducer, input);
        var (output, weight) = Assert.Single(outputs.Values);
        Assert.Equal(1.0, weight.Value);
        return output;
    }

    [Fact]
    public void A_merge_list_with_a_token_that_does_not_encode_to_itself_keeps_that_token_out_of_the_canonical_strings()
    {
        // Merges bc, then ab, then ab·c: "abc" encodes as a·bc, so the token abc (id 5) is in no canonical string.
        var tokenizer = new BpeTokenizer(BaseUnits.Characters, PreTokenization.None, ['a', 'b', 'c'], [(1, 2), (0, 1), (4, 2)]);
        Assert.Equal([0, 3], tokenizer.Encode("abc"));
        Assert.False(Canonicality.IsCanonical(tokenizer, [5]));
        Assert.Equal(0.0, Pathsums.Stringsum.Weight(Canonicality.Automaton(tokenizer), [5]).Value);
        Assert.Equal([0, 3], Only(tokenizer.EncoderTransducer(), Symbols(tokenizer, "abc")));
        foreach (var x in Strings.UpTo(3, 5))
            Assert.Equal(tokenizer.EncodeUnits([.. x.Select(i => tokenizer.BaseSymbols[i])]), Only(tokenizer.EncoderTransducer(), x));
    }

    [Fact]
    public void WordPiece_words_of_the_longest_length_are_pieces_and_one_more_symbol_makes_them_unknown()
    {
        var tokenizer = new WordPieceTokenizer(BaseUnits.Characters, PreTokenization.Whitespace, [new([(int)'a'], false), new([(int)'a'], true), new([(int)' ', (int)'a'], false)]);
        var transducer = tokenizer.EncoderTransducer();
        var longest = new string('a', WordPieceTokenizer.MaxWordLength);
        Assert.Equal([0, .. Enumerable.Repeat(1, WordPieceTokenizer.MaxWordLength - 1)], Only(transducer, Symbols(tokenizer, longest)));
        Assert.Equal([tokenizer.Unknown, 2], Only(transducer, Symbols(tokenizer, longest + "a a")));
        Assert.Equal(tokenizer.Encode(longest + "a a"), Only(transducer, Symbols(tokenizer, longest + "a a")));
        // A word that greedy longest match cannot finish, though another segmentation exists, is unknown: " a a" has no "  " piece.
        Assert.Equal(tokenizer.Encode("a  a"), Only(transducer, Symbols(tokenizer, "a  a")));
    }

    [Fact]
    public void Pre_tokenizations_that_look_beyond_the_next_symbol_are_refused()
    {
        var gpt2 = BpeTrainer.Train(["ab ab"], 4, BaseUnits.Characters, PreTokenization.Gpt2).Tokenizer;
        Assert.Contains("GPT-2", Assert.Throws<WorkbenchException>(() => gpt2.EncoderTransducer()).Message, StringComparison.Ordinal);
        var bytes = new WordPieceTokenizer(BaseUnits.Bytes, PreTokenization.Whitespace, [new([(int)'a'], false)]);
        Assert.Contains("over bytes", Assert.Throws<WorkbenchException>(() => bytes.EncoderTransducer()).Message, StringComparison.Ordinal);
        var unigram = new UnigramTokenizer(BaseUnits.Characters, PreTokenization.Gpt2, [([(int)'a'], 1.0)]);
        Assert.Throws<WorkbenchException>(() => unigram.EncoderTransducer());
    }

    [Fact]
    public void Byte_level_BPE_without_pre_tokenization_is_a_transducer_over_bytes()
    {
        var tokenizer = BpeTrainer.Train(["héhé hé", "éé"], 256 + 5, BaseUnits.Bytes, PreTokenization.None).Tokenizer;
        var transducer = tokenizer.EncoderTransducer();
        foreach (var text in new[] { "", "hé", "héhé hé", "ééh", " é" })
            Assert.Equal(tokenizer.Encode(text), Only(transducer, Symbols(tokenizer, text)));
    }

    [Fact]
    public void OpenFst_composing_a_text_with_the_encoder_writes_what_the_tokenizer_writes()
    {
        var bpe = BpeTrainer.Train(["the cat sat", "the hat", "that cat"], 24, BaseUnits.Characters, PreTokenization.Whitespace).Tokenizer;
        var wordPiece = WordPieceTrainer.Train(["the cat sat", "the hat", "that cat"], 20, BaseUnits.Characters, PreTokenization.Whitespace);
        var directory = Directory.CreateTempSubdirectory("workbench-encoder-").FullName;
        try
        {
            foreach (var tokenizer in new ITokenizer[] { bpe, wordPiece })
            {
                var encoder = tokenizer.EncoderTransducer();
                File.WriteAllText(Path.Combine(directory, "encoder.txt"), AttTransducerFormat.Write(encoder));
                File.WriteAllText(Path.Combine(directory, "in.syms"), AttTransducerFormat.SymbolTable(encoder.InputAlphabet));
                File.WriteAllText(Path.Combine(directory, "out.syms"), AttTransducerFormat.SymbolTable(encoder.OutputAlphabet));
                OpenFstTool.Run(directory, "fstcompile --isymbols=in.syms --osymbols=out.syms encoder.txt | fstarcsort --sort_type=ilabel > encoder.fst");
                foreach (var text in new[] { "the cat", "that hat sat", " tac eht", "ttt" })
                {
                    var symbols = Symbols(tokenizer, text);
                    var linear = string.Concat(symbols.Select((s, i) => $"{i} {i + 1} {encoder.InputAlphabet.NameOf(s)} {encoder.InputAlphabet.NameOf(s)}\n")) + $"{symbols.Length}\n";
                    File.WriteAllText(Path.Combine(directory, "text.txt"), linear);
                    var printed = OpenFstTool.Run(directory, "fstcompile --isymbols=in.syms --osymbols=in.syms text.txt > text.fst && fstcompose text.fst encoder.fst | fstprint --isymbols=in.syms --osymbols=out.syms");
                    var composed = AttTransducerFormat.Read(printed, "fstcompose", encoder.InputAlphabet, encoder.OutputAlphabet);
                    Assert.Equal(tokenizer.Encode(text), Only(composed, symbols));
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Applying_a_transducer_with_an_epsilon_input_cycle_is_refused()
    {
        var alphabet = Alphabet.FromCharacters("a");
        var fst = new Wfst<Real>(alphabet, alphabet, [Real.One], [Real.One], [[new FstArc<Real>(Wfst<Real>.Epsilon, 0, 0, new Real(0.5))]]);
        Assert.Contains("ε-input cycle", Assert.Throws<WorkbenchException>(() => TransducerApplication.Apply(fst, [])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Applying_a_transducer_with_too_many_paths_is_refused()
    {
        var alphabet = Alphabet.FromCharacters("ab");
        // Every symbol may be written as a or b: 2^n outputs for n symbols.
        var fst = new Wfst<Real>(alphabet, alphabet, [Real.One], [Real.One], [[new FstArc<Real>(0, 0, 0, Real.One), new FstArc<Real>(0, 1, 0, Real.One)]]);
        Assert.Equal(8, TransducerApplication.Apply(fst, [0, 0, 0]).Count);
        Assert.Throws<BudgetExceededException>(() => TransducerApplication.Apply(fst, [.. Enumerable.Repeat(0, 12)], pathBudget: 1000));
    }
}

public sealed class EncoderTransducerEdgeTests
{
    private static int[] Only(Workbench.Automata.Core.Wfst<Real> transducer, ITokenizer tokenizer, string text)
    {
        var input = TextUnits.Of(text, tokenizer.Units).Select(u => tokenizer.BaseSymbols.IndexOf(u)).ToArray();
        var (output, weight) = Assert.Single(TransducerApplication.Apply(transducer, input).Values);
        Assert.Equal(1.0, weight.Value);
        return output;
    }

    [Fact]
    public void WordPiece_continues_with_continuation_pieces_after_a_commit_even_when_one_symbol_commits_two()
    {
        // Pieces a, abc (word-initial), ##b, ##d, and c (word-initial only): on "abd" the d commits a and ##b at once;
        // on "ac" the c after a must be a continuation piece, which does not exist, so the word is unknown.
        var tokenizer = new WordPieceTokenizer(BaseUnits.Characters, PreTokenization.None,
            [new([(int)'a'], false), new([(int)'a', 'b', 'c'], false), new([(int)'b'], true), new([(int)'d'], true), new([(int)'c'], false)]);
        var transducer = tokenizer.EncoderTransducer();
        foreach (var text in new[] { "abd", "ac", "abc", "abdd", "c", "ca" })
            Assert.Equal(tokenizer.Encode(text), Only(transducer, tokenizer, text));
        Assert.Equal([0, 2, 3], tokenizer.Encode("abd"));
        Assert.Equal([tokenizer.Unknown], tokenizer.Encode("ac"));
    }

    [Fact]
    public void The_unigram_lattice_under_whitespace_leaves_out_pieces_across_a_word_boundary()
    {
        var tokenizer = new UnigramTokenizer(BaseUnits.Characters, PreTokenization.Whitespace,
            [(TextUnits.Of("a", BaseUnits.Characters), 0.3), (TextUnits.Of(" ", BaseUnits.Characters), 0.3), (TextUnits.Of("a a", BaseUnits.Characters), 0.4)]);
        var lattice = tokenizer.EncoderTransducer();
        var input = "a a".Select(c => tokenizer.BaseSymbols.IndexOf(c)).ToArray();
        var outputs = TransducerApplication.Apply(lattice, input);
        // "a a" is two segments, "a" and " a": the piece "a a" would cross the boundary, so only a, ' ', a remains.
        var (output, weight) = Assert.Single(outputs.Values);
        Assert.Equal(tokenizer.Encode("a a"), output);
        Assert.Equal(Math.Exp(tokenizer.LogMarginal("a a")), weight.Value, 14);
    }
}
