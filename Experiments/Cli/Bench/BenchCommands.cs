using System.CommandLine;
using Spectre.Console;

namespace Workbench.Experiments.Cli.Bench;

/// <summary>`workbench bench …`: performance measurements (run on a Release build).</summary>
internal static class BenchCommands
{
    public static Command Create(CliContext context)
    {
        var bench = new Command("bench", "Performance measurements; build with -c Release for meaningful figures.");
        var seed = new Option<int>("--seed") { Description = "Seed of the random machines.", DefaultValueFactory = _ => 1 };
        var sizes = new Option<int[]>("--allsum-states") { Description = "Machine sizes for the allsum scaling curve.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000] }
            .Requiring(v => v.All(n => n is >= 1 and <= 10_000_000), "values must be in 1..10000000");
        var json = CommonOptions.Json();
        var fsa = new Command("fsa", "Scoring and sampling throughput on a deterministic PFSA, and the allsum as states grow (10 symbols, 10 arcs per state).") { seed, sizes, json };
        fsa.SetAction(result =>
        {
            var outcome = FsaBenchmark.Run(result.GetValue(seed), result.GetValue(sizes)!, line => context.Error.WriteLine(line));
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, outcome);
                return WorkbenchCli.Success;
            }
            context.Console.WriteLine(Invariant($"scoring (deterministic PFSA, {outcome.ScoringStates} states): {outcome.ScoringSymbolsPerSecond / 1e6:F1} M symbols/s"));
            context.Console.WriteLine(Invariant($"sampling (alias tables): {outcome.SamplingSymbolsPerSecond / 1e6:F1} M symbols/s"));
            var g = outcome.Generic;
            context.Console.WriteLine(Invariant($"generic chain rule: {g.ChainRuleTyped / 1e6:F2} M symbols/s typed, {g.ChainRuleErased / 1e6:F2} M erased ({g.ChainRuleErased / g.ChainRuleTyped:P0})"));
            context.Console.WriteLine(Invariant($"generic ancestral sampling: {g.AncestralTyped / 1e6:F2} M symbols/s typed, {g.AncestralErased / 1e6:F2} M erased ({g.AncestralErased / g.AncestralTyped:P0})"));
            var table = new Table().AddColumns("states", "arcs", "seconds", "solver", "sweeps", "Z", "certified error");
            foreach (var p in outcome.Allsum)
                table.AddRow(Invariant($"{p.States}"), Invariant($"{p.Arcs}"), Invariant($"{p.Seconds:F3}"), p.Solver, Invariant($"{p.Sweeps}"), Invariant($"{p.Allsum:R}"), Invariant($"{p.ErrorBound:G3}"));
            context.Console.Write(table);
            return WorkbenchCli.Success;
        });
        bench.Subcommands.Add(fsa);
        bench.Subcommands.Add(CreateCfg(context));
        bench.Subcommands.Add(CreateNeural(context));
        bench.Subcommands.Add(CreateTokenizer(context));
        return bench;
    }

    private static Command CreateTokenizer(CliContext context)
    {
        var corpus = new Argument<FileInfo>("CORPUS") { Description = "The corpus, one text per line (`tok corpus` writes a synthetic one)." };
        var size = new Option<int>("--vocab-size") { Description = "|V|.", DefaultValueFactory = _ => 8_000 }.Requiring(n => n >= 1, "must be at least 1");
        var units = new Option<Automata.Tokenization.BaseUnits>("--units") { Description = "Characters or Bytes.", DefaultValueFactory = _ => Automata.Tokenization.BaseUnits.Bytes };
        var segments = new Option<Automata.Tokenization.PreTokenization>("--pre-tokenization") { Description = "None, Whitespace or Gpt2 (the library's ByteLevel pattern).", DefaultValueFactory = _ => Automata.Tokenization.PreTokenization.Gpt2 };
        var json = CommonOptions.Json();
        var command = new Command("tok", "BPE training time, encoding throughput and peak memory on a corpus (compare with bench/tokenizers-anchor.mjs on the same file).") { corpus, size, units, segments, json };
        command.SetAction(result =>
        {
            var lines = Formal.IO.TextFile.ReadLines(result.GetValue(corpus)!.FullName);
            var outcome = TokenizerBenchmark.Run(lines, result.GetValue(size), result.GetValue(units), result.GetValue(segments), line => context.Error.WriteLine(line));
            if (result.GetValue(json)) JsonOutput.Write(context.Output, outcome);
            else
                context.Console.WriteLine(Invariant($"training: {outcome.TrainingSeconds:F2} s for {outcome.Merges} merges (|V| = {outcome.VocabularySize}); encoding: {outcome.EncodingSeconds:F2} s, {outcome.MegabytesPerSecond:F1} MB/s, {outcome.Tokens} tokens; peak working set {outcome.PeakWorkingSetMegabytes:F0} MB"));
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static Command CreateNeural(CliContext context)
    {
        var device = new Option<string>("--device") { Description = "auto (CUDA when available), cpu or cuda[:N].", DefaultValueFactory = _ => "auto" };
        var steps = new Option<int>("--steps") { Description = "Timed training steps per model (after two untimed ones).", DefaultValueFactory = _ => 5 };
        var models = new Option<string[]>("--models") { Description = "Model specs to measure.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => ["lstm:hidden=256", "transformer:hidden=256,layers=4,heads=4"] };
        var contexts = new Option<int[]>("--contexts") { Description = "Context lengths at which decoding speed is timed.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [16, 128, 256, 512, 768, 1024] };
        var json = CommonOptions.Json();
        var neural = new Command("neural", "Training tokens/s and GFLOP/s (16 symbols, batch 64 × length 64) against the matmul peak, and incremental decoding time per symbol as the context grows.") { device, steps, models, contexts, json };
        neural.SetAction(result =>
        {
            var architectures = result.GetValue(models)!.Select(Workbench.Neural.Architecture.NeuralArchitecture.Parse).ToArray();
            var outcome = NeuralBenchmark.Run(Neural.DeviceChoice.Resolve(result.GetValue(device)!), 16, 64, 64, Math.Max(1, result.GetValue(steps)),
                result.GetValue(contexts)!, architectures, line => context.Error.WriteLine(line));
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, outcome);
                return WorkbenchCli.Success;
            }
            context.Console.WriteLine(Invariant($"device {outcome.Device}, {outcome.Threads} threads; float32 matmul peak {outcome.MatmulPeakGflops:F1} GFLOP/s"));
            var table = new Table().AddColumns("model", "batch × length", "tokens/s", "GFLOP/s", "% of peak", "s/step");
            foreach (var p in outcome.Training)
                table.AddRow(Markup.Escape(p.Model), Invariant($"{p.Batch} × {p.Length}"), Invariant($"{p.TokensPerSecond:F0}"), Invariant($"{p.GflopPerSecond:F1}"),
                    Invariant($"{100 * p.GflopPerSecond / outcome.MatmulPeakGflops:F0}"), Invariant($"{p.SecondsPerStep:F3}"));
            context.Console.Write(table);
            var decoding = new Table().AddColumns("model", "context", "ms / symbol");
            foreach (var p in outcome.Decoding)
                decoding.AddRow(Markup.Escape(p.Model), Invariant($"{p.Context}"), Invariant($"{p.MillisecondsPerSymbol:F3}"));
            context.Console.Write(decoding);
            return WorkbenchCli.Success;
        });
        return neural;
    }

    private static Command CreateCfg(CliContext context)
    {
        var seed = new Option<int>("--seed") { Description = "Seed of the random grammars and strings.", DefaultValueFactory = _ => 1 };
        var repetitions = new Option<int>("--repetitions") { Description = "Strings timed per configuration (the median is reported).", DefaultValueFactory = _ => 5 };
        var json = CommonOptions.Json();
        var cfg = new Command("cfg", "Inside and all-prefix probabilities on dense random CNF PCFGs (32 terminals): |N| = 64 with n = 10…80, and n = 40 with |N| = 16…128.") { seed, repetitions, json };
        cfg.SetAction(result =>
        {
            (int, int)[] configurations = [(64, 10), (64, 20), (64, 40), (64, 80), (16, 40), (32, 40), (128, 40)];
            var outcome = CfgBenchmark.Run(result.GetValue(seed), 32, configurations, Math.Max(1, result.GetValue(repetitions)), line => context.Error.WriteLine(line));
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, outcome);
                return WorkbenchCli.Success;
            }
            var table = new Table().AddColumns("|N|", "n", "inside s", "inside G madd/s", "all prefixes s", "prefix G madd/s");
            foreach (var p in outcome.Points)
                table.AddRow(Invariant($"{p.Nonterminals}"), Invariant($"{p.Length}"), Invariant($"{p.InsideSeconds:F4}"), Invariant($"{p.InsideRate / 1e9:F2}"), Invariant($"{p.PrefixSeconds:F4}"), Invariant($"{p.PrefixRate / 1e9:F2}"));
            context.Console.Write(table);
            return WorkbenchCli.Success;
        });
        return cfg;
    }
}
