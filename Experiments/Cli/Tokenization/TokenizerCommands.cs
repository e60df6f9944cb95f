using System.CommandLine;
using Spectre.Console;
using Workbench.Automata.Formats;
using Workbench.Automata.Tokenization;
using Workbench.Formal.Errors;
using Workbench.Formal.IO;

namespace Workbench.Experiments.Cli.Tokenization;

/// <summary>`workbench tok train|encode|decode|info|corpus`: BPE and Unigram tokenizers.</summary>
internal static class TokenizerCommands
{
    public static Command Create(CliContext context)
    {
        var tok = new Command("tok", "Tokenizers as formal objects: BPE and Unigram trained on a corpus, encoding, decoding, and what a tokenizer does to a corpus.");
        tok.Subcommands.Add(Train(context));
        tok.Subcommands.Add(Encode(context));
        tok.Subcommands.Add(Decode(context));
        tok.Subcommands.Add(Info(context));
        tok.Subcommands.Add(Corpus(context));
        tok.Subcommands.Add(Transducer(context));
        return tok;
    }

    private static Argument<FileInfo> TokenizerFile() => new("TOK") { Description = "A tokenizer: the workbench's JSON (`tok train`, BPE or Unigram) or a HuggingFace tokenizer.json with a BPE model." };

    // The two formats tell themselves apart: a tokenizer.json has a "model" object, the workbench's JSON a "type".
    internal static ITokenizer Load(FileInfo file)
    {
        var text = TextFile.ReadAll(file.FullName);
        bool huggingFace;
        try
        {
            huggingFace = System.Text.Json.Nodes.JsonNode.Parse(text, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 64 }) is System.Text.Json.Nodes.JsonObject root && root.ContainsKey("model");
        }
        catch (System.Text.Json.JsonException)
        {
            huggingFace = false; // the workbench's reader reports where the JSON breaks
        }
        return huggingFace ? HuggingFaceTokenizerFormat.Read(text, file.FullName) : TokenizerJsonFormat.Read(text, file.FullName);
    }

    private static Command Train(CliContext context)
    {
        var corpus = new Argument<FileInfo>("CORPUS") { Description = "Training text, one text per line." };
        var algorithm = new Option<TokenizerAlgorithm>("--algorithm") { Description = "Bpe (merges), Unigram (EM over segmentation lattices) or WordPiece (merges by likelihood ratio; unknown words become [UNK]).", DefaultValueFactory = _ => TokenizerAlgorithm.Bpe };
        var size = new Option<int>("--vocab-size") { Description = "|V|: for BPE the base symbols plus the merges; for Unigram the most pieces kept (never fewer than the base symbols).", Required = true }.Requiring(n => n >= 1, "must be at least 1");
        var units = new Option<BaseUnits>("--units") { Description = "Characters (code points seen in the corpus) or Bytes (the 256 UTF-8 byte values).", DefaultValueFactory = _ => BaseUnits.Characters };
        var segments = new Option<PreTokenization>("--pre-tokenization") { Description = "None, or Whitespace: merges stop at words, each carrying the spaces before it.", DefaultValueFactory = _ => PreTokenization.Whitespace };
        var output = new Option<FileInfo>("-o", "--output") { Description = "Where to write the tokenizer (JSON).", Required = true };
        var format = new Option<TokenizerFormat>("--format") { Description = "Workbench (the workbench's JSON) or HuggingFace (a tokenizer.json that the tokenizers library loads).", DefaultValueFactory = _ => TokenizerFormat.Workbench };
        var lowercase = new Option<bool>("--lowercase") { Description = "Lowercase every text (each code point by its invariant simple lowercase mapping) before training and encoding: a lossy tokenizer, exact only on text that is already lowercase." };
        var json = CommonOptions.Json();
        var command = new Command("train", "BPE: merge the most frequent adjacent pair until the vocabulary has the requested size (ties: the smaller left id, then right id). Unigram: EM over the segmentation lattices, pruning by expected count. Progress goes to standard error.") { corpus, algorithm, size, units, segments, lowercase, output, format, json };
        command.SetAction(result =>
        {
            var normalization = result.GetValue(lowercase) ? Normalization.Lowercase : Normalization.None;
            var lines = TextFile.ReadLines(result.GetValue(corpus)!.FullName).Select(l => NormalizedTokenizer.Normalize(l, normalization)).ToArray();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var (unitMode, segmentMode) = (result.GetValue(units), result.GetValue(segments));
            ITokenizer trained = result.GetValue(algorithm) switch
            {
                TokenizerAlgorithm.Unigram => UnigramTrainer.Train(lines, result.GetValue(size), unitMode, segmentMode,
                    progress: (kept, wanted) => context.Error.WriteLine(Invariant($"pruned to {kept} pieces (target {wanted})"))),
                TokenizerAlgorithm.WordPiece => WordPieceTrainer.Train(lines, result.GetValue(size), unitMode, segmentMode,
                    progress: (done, wanted) => { if (done % Math.Max(1, wanted / 10) == 0) context.Error.WriteLine(Invariant($"pieces {done}/{wanted}")); }),
                _ => BpeTrainer.Train(lines, result.GetValue(size), unitMode, segmentMode,
                    (done, wanted) => { if (done % Math.Max(1, wanted / 10) == 0) context.Error.WriteLine(Invariant($"merges {done}/{wanted}")); }).Tokenizer,
            };
            if (normalization != Normalization.None) trained = new NormalizedTokenizer(trained, normalization);
            var target = result.GetValue(output)!.FullName;
            if (result.GetValue(format) == TokenizerFormat.HuggingFace)
                HuggingFaceTokenizerFormat.WriteFile(trained, target);
            else TokenizerJsonFormat.WriteFile(trained, target);
            var summary = new
            {
                vocabularySize = trained.VocabularySize,
                baseSymbols = trained.BaseSymbols.Length,
                corpusSymbols = lines.Sum(l => (long)TextUnits.Of(l, unitMode).Length),
                corpusTokens = lines.Sum(l => (long)trained.Encode(l).Length),
                seconds = watch.Elapsed.TotalSeconds,
                output = target,
            };
            if (result.GetValue(json)) JsonOutput.Write(context.Output, summary);
            else
                context.Console.WriteLine(Invariant($"|V| = {summary.vocabularySize} on {summary.baseSymbols} base symbols: the corpus went from {summary.corpusSymbols} symbols to {summary.corpusTokens} tokens in {summary.seconds:F2} s; written to {target}"));
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static Command Encode(CliContext context)
    {
        var file = TokenizerFile();
        var texts = new Argument<string[]>("TEXT") { Description = "Texts to encode.", Arity = ArgumentArity.OneOrMore };
        var json = CommonOptions.Json();
        var command = new Command("encode", "τ(x): the token ids and token texts of each text.") { file, texts, json };
        command.SetAction(result =>
        {
            var tokenizer = Load(result.GetValue(file)!);
            var rows = result.GetValue(texts)!.Select(text =>
            {
                var ids = tokenizer.Encode(text);
                return new { Text = text, Ids = ids, Tokens = ids.Select(t => TextUnits.Display(tokenizer.UnitsOf(t), tokenizer.Units)).ToArray() };
            }).ToList();
            if (result.GetValue(json)) JsonOutput.Write(context.Output, new { texts = rows });
            else
                foreach (var row in rows) context.Console.WriteLine($"{string.Join(" ", row.Ids)}\t{string.Join("|", row.Tokens)}");
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static Command Decode(CliContext context)
    {
        var file = TokenizerFile();
        var ids = new Argument<int[]>("ID") { Description = "Token ids.", Arity = ArgumentArity.OneOrMore };
        var json = CommonOptions.Json();
        var command = new Command("decode", "κ(τ): the text the token ids stand for.") { file, ids, json };
        command.SetAction(result =>
        {
            var tokenizer = Load(result.GetValue(file)!);
            var tokens = result.GetValue(ids)!;
            if (tokens.Any(t => t < 0 || t >= tokenizer.VocabularySize))
                throw new WorkbenchException($"Token id {tokens.First(t => t < 0 || t >= tokenizer.VocabularySize)} is outside the vocabulary 0..{tokenizer.VocabularySize - 1}.");
            var text = tokenizer.Decode(tokens);
            if (result.GetValue(json)) JsonOutput.Write(context.Output, new { text });
            else context.Output.WriteLine(text);
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static Command Info(CliContext context)
    {
        var file = TokenizerFile();
        var corpus = new Option<FileInfo?>("--corpus") { Description = "Also measure the compression on this corpus (one text per line)." };
        var json = CommonOptions.Json();
        var command = new Command("info", "The vocabulary, the first merges and, with --corpus, base symbols per token on a corpus.") { file, corpus, json };
        command.SetAction(result =>
        {
            var tokenizer = Load(result.GetValue(file)!);
            Compression? compression = null;
            if (result.GetValue(corpus) is { } corpusFile)
            {
                var lines = TextFile.ReadLines(corpusFile.FullName);
                long symbols = lines.Sum(l => (long)TextUnits.Of(l, tokenizer.Units).Length), tokens = lines.Sum(l => (long)tokenizer.Encode(l).Length);
                compression = new Compression(lines.Length, symbols, tokens, tokens == 0 ? 0 : (double)symbols / tokens);
            }
            var info = new
            {
                units = tokenizer.Units.ToString(),
                preTokenization = tokenizer.PreTokenization.ToString(),
                normalization = tokenizer.Normalization.ToString(),
                vocabularySize = tokenizer.VocabularySize,
                baseSymbols = tokenizer.BaseSymbols.Length,
                highlights = tokenizer.Highlights(10),
                compression,
            };
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, info);
                return WorkbenchCli.Success;
            }
            var grid = new Grid().AddColumns(2);
            grid.AddRow("units / pre-tokenization / normalization", Markup.Escape($"{info.units} / {info.preTokenization} / {info.normalization}"));
            grid.AddRow("vocabulary", Markup.Escape(Invariant($"{info.vocabularySize} tokens over {info.baseSymbols} base symbols")));
            foreach (var line in info.highlights) grid.AddRow("vocabulary item", Markup.Escape(line));
            if (compression is { } c)
                grid.AddRow("corpus", Markup.Escape(Invariant($"{c.Lines} lines, {c.Symbols} base symbols in {c.Tokens} tokens: {c.SymbolsPerToken:G4} symbols per token")));
            context.Console.Write(grid);
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static Command Corpus(CliContext context)
    {
        var size = new Option<double>("--megabytes") { Description = "About how many MB of text (millions of characters).", DefaultValueFactory = _ => 20 }.Requiring(m => m > 0 && m <= 4096, "must be in (0, 4096]");
        var seed = new Option<int>("--seed") { Description = "Seed of the generator.", DefaultValueFactory = _ => 1 };
        var output = new Option<FileInfo>("-o", "--output") { Description = "Where to write the corpus (one sentence per line).", Required = true };
        var command = new Command("corpus", "A deterministic synthetic corpus for tokenizer benchmarks: Zipfian words from a syllable lexicon, with punctuation, numbers and some non-ASCII words.") { size, seed, output };
        command.SetAction(result =>
        {
            var lines = SyntheticCorpus.Lines((long)(result.GetValue(size) * 1e6), result.GetValue(seed));
            AtomicFile.Write(result.GetValue(output)!.FullName, stream =>
            {
                using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false));
                foreach (var line in lines) writer.WriteLine(line);
            });
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static Command Transducer(CliContext context)
    {
        var file = TokenizerFile();
        var output = new Option<FileInfo>("-o", "--output") { Description = "Where to write the transducer in AT&T text; OpenFst symbol tables go beside it (.isyms, .osyms).", Required = true };
        var direction = new Option<TransducerDirection>("--direction")
        {
            Description = "Decode: κ, from token ids to base symbols. Coverings: κ⁻¹, from base symbols to every token string that spells them. Encode: τ itself, from base symbols to the token string the tokenizer writes (one path for BPE and WordPiece; the weighted lattice for Unigram).",
            DefaultValueFactory = _ => TransducerDirection.Decode,
        };
        var command = new Command("fst", "The tokenizer's decoder κ, its inverse, or its encoder τ as a weighted transducer, in AT&T text for OpenFst's fstcompile.") { file, output, direction };
        command.SetAction(result =>
        {
            var tokenizer = Load(result.GetValue(file)!);
            var fst = result.GetValue(direction) switch
            {
                TransducerDirection.Encode => tokenizer.EncoderTransducer(),
                TransducerDirection.Coverings => DecoderTransducer.Of(tokenizer).Inverse(),
                _ => DecoderTransducer.Of(tokenizer),
            };
            var target = result.GetValue(output)!.FullName;
            AtomicFile.Write(target, AttTransducerFormat.Write(fst));
            AtomicFile.Write(target + ".isyms", AttTransducerFormat.SymbolTable(fst.InputAlphabet));
            AtomicFile.Write(target + ".osyms", AttTransducerFormat.SymbolTable(fst.OutputAlphabet));
            context.Error.WriteLine(Invariant($"{fst.StateCount} states, {fst.ArcCount} arcs; compile with fstcompile --isymbols={target}.isyms --osymbols={target}.osyms {target}"));
            return WorkbenchCli.Success;
        });
        return command;
    }

    /// <summary>Which transducer `tok fst` writes.</summary>
    internal enum TransducerDirection
    {
        /// <summary>κ: token ids to base symbols.</summary>
        Decode,

        /// <summary>κ⁻¹: base symbols to every covering.</summary>
        Coverings,

        /// <summary>τ: base symbols to the tokenizer's token string.</summary>
        Encode,
    }

    /// <summary>The training algorithms of `tok train`.</summary>
    internal enum TokenizerAlgorithm
    {
        /// <summary>Byte-pair encoding.</summary>
        Bpe,

        /// <summary>The unigram model of SentencePiece.</summary>
        Unigram,

        /// <summary>WordPiece, by the likelihood-ratio merge score.</summary>
        WordPiece,
    }

    /// <summary>The file formats `tok train` writes.</summary>
    internal enum TokenizerFormat
    {
        /// <summary>The workbench's JSON.</summary>
        Workbench,

        /// <summary>HuggingFace's tokenizer.json.</summary>
        HuggingFace,
    }

    /// <summary>What a tokenizer does to a corpus: base symbols per token.</summary>
    private sealed record Compression(int Lines, long Symbols, long Tokens, double SymbolsPerToken);
}
