using Workbench.Formal.IO;
using System.CommandLine;
using Spectre.Console;
using Workbench.Automata.Formats;
using Workbench.Automata.Operations;
using Workbench.Formal.Errors;
using Workbench.Formal.Evaluation;
using Workbench.Formal.Generation;
using Workbench.Formal.Semirings;
using Workbench.Neural.Architecture;
using Workbench.Neural.Constructions;
using Workbench.Neural.Models;
using Workbench.Neural.Storage;

namespace Workbench.Experiments.Cli.Neural;

/// <summary>`workbench compile …`: exact constructions between automata and networks (notes §5.2).</summary>
internal static class CompileCommands
{
    public static Command Create(CliContext context)
    {
        var compile = new Command("compile", "Compile automata into networks and back, exactly (notes §5.2); compiled models work with every `lm` command as neural:PATH.");
        compile.Subcommands.Add(FsaToRnn(context));
        compile.Subcommands.Add(RnnToFsa(context));
        compile.Subcommands.Add(StackRnn(context));
        compile.Subcommands.Add(NGramToTransformer(context));
        compile.Subcommands.Add(Sizes(context));
        return compile;
    }

    private static Command Sizes(CliContext context)
    {
        var symbols = new Option<int>("--symbols") { Description = "Alphabet size of the random automata.", DefaultValueFactory = _ => 2 };
        var states = new Option<int[]>("--states") { Description = "Automaton sizes |Q| to compile.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [4, 16, 64, 256, 1024] };
        var seed = new Option<int>("--seed") { Description = "Seed of the random automata and strings.", DefaultValueFactory = _ => 1 };
        var plot = new Option<FileInfo?>("--plot") { Description = "Also write a PNG of hidden size against |Q|." };
        var json = CommonOptions.Json();
        var command = new Command("sizes", "Hidden sizes of Minsky's construction (|Q|·|Σ|), the row/column one (O(|Σ|√|Q| log|Q|)) and Indyk's (O(|Σ|√|Q|)) on random DFAs, each network checked against its automaton on random strings (P6.6, P6.8).")
        {
            symbols, states, seed, plot, json,
        };
        command.SetAction(result =>
        {
            int size = result.GetValue(symbols);
            if (size is < 1 or > 26)
                throw new WorkbenchException(Invariant($"--symbols must be in 1..26 (got {size})"));
            var rows = result.GetValue(states)!.Select(n => n is < 1 or > 4096
                ? throw new WorkbenchException(Invariant($"--states values must be in 1..4096 (got {n})"))
                : CompareSizes(n, size, result.GetValue(seed))).ToArray();
            if (result.GetValue(plot) is { } target)
                Reports.LinePlot.Save(target.FullName, Invariant($"hidden units for a DFA over {size} symbols"), "|Q|", "hidden units",
                [
                    new Reports.PlotSeries("Minsky |Q|·|Σ|", rows.Select(r => (double)r.States).ToArray(), rows.Select(r => (double)r.Minsky).ToArray()),
                    new Reports.PlotSeries("row/column 3k + |Σ|k(2L+1) + 2L + 1", rows.Select(r => (double)r.States).ToArray(), rows.Select(r => (double)r.Compact).ToArray()),
                    new Reports.PlotSeries("Indyk 4r + 2r² + 3F + 4|Σ|r + 1", rows.Select(r => (double)r.States).ToArray(), rows.Select(r => (double)r.Indyk).ToArray()),
                ]);
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, new { symbols = size, rows });
                return WorkbenchCli.Success;
            }
            var table = new Table().AddColumns("|Q|", "Minsky units", "row/column units", "Indyk units", "strings checked", "all agree");
            foreach (var row in rows)
                table.AddRow(Invariant($"{row.States}"), Invariant($"{row.Minsky}"), Invariant($"{row.Compact}"), Invariant($"{row.Indyk}"), Invariant($"{row.Checked}"), row.Agree ? "yes" : "[red]no[/]");
            context.Console.Write(table);
            if (result.GetValue(plot) is { } written)
                context.Console.WriteLine(Invariant($"plot: {written.FullName}"));
            return rows.All(r => r.Agree) ? WorkbenchCli.Success : WorkbenchCli.CheckFailed;
        });
        return command;
    }

    private sealed record SizeRow(int States, int Minsky, int Compact, int Indyk, int Checked, bool Agree);

    /// <summary>Compiles a random DFA both ways and checks both networks on random strings against it.</summary>
    private static SizeRow CompareSizes(int states, int symbols, int seed)
    {
        var random = new Random(seed + states);
        // Fewer arcs than symbols, so that some strings are rejected.
        var pfsa = Automata.Generators.RandomAutomata.Pfsa(random, states, symbols, Math.Max(1, symbols - 1), deterministic: true);
        using var minsky = MinskyConstruction.Compile(pfsa);
        var compact = CompactDfaConstruction.Compile(pfsa);
        var indyk = IndykConstruction.Compile(pfsa, seed);
        var model = new Workbench.Neural.NeuralLanguageModel(minsky);
        var automaton = new Automata.Pfsa.DeterministicPfsaLanguageModel<Real>(pfsa);
        const int strings = 20;
        bool agree = true;
        for (int i = 0; i < strings; i++)
        {
            int[] y = Enumerable.Range(0, random.Next(16)).Select(_ => random.Next(symbols)).ToArray();
            double expected = automaton.LogProbability(y), actual = model.LogProbability(y);
            agree &= double.IsFinite(expected) ? Math.Abs(actual - expected) <= 1e-8 * Math.Max(1, Math.Abs(expected)) : Math.Exp(actual) == 0;
            agree &= compact.Accepts(y) == double.IsFinite(expected);
            agree &= indyk.Accepts(y) == double.IsFinite(expected);
        }
        return new SizeRow(states, minsky.Architecture.Hidden, compact.Network.Architecture.Hidden, indyk.Network.Architecture.Hidden, strings, agree);
    }

    private static Command NGramToTransformer(CliContext context)
    {
        var corpus = new Option<FileInfo>("--corpus") { Description = "Training text for the n-gram: one string per line.", Required = true };
        var order = new Option<int>("--order", "-n") { Description = "n, the order of the n-gram (1–4).", DefaultValueFactory = _ => 3 };
        var smoothing = new Option<string>("--smoothing") { Description = "mle, add-lambda=λ or kneser-ney[=d].", DefaultValueFactory = _ => "kneser-ney" };
        var attention = new Option<AttentionKind>("--attention") { Description = "Hard (exact) or Soft (at inverse temperature --beta).", DefaultValueFactory = _ => AttentionKind.Hard };
        var beta = new Option<double>("--beta") { Description = "Score scale of soft attention.", DefaultValueFactory = _ => 1000 }
            .Requiring(b => b > 0 && double.IsFinite(b), "must be a positive finite number");
        var maxLength = new Option<int>("--max-length") { Description = "Longest string the positional table covers.", DefaultValueFactory = _ => 64 }
            .Requiring(n => n >= 1, "must be at least 1");
        var output = new Option<FileInfo>("--out") { Description = "Where to write the transformer (model.wbm).", Required = true };
        var plot = new Option<FileInfo?>("--beta-plot") { Description = "Also write a PNG of the soft-attention log-probability error against βΔ (P7.8)." };
        var command = new Command("ngram-to-transformer", "Svete & Cotterell 2024: an n-gram LM estimated from a corpus becomes a one-layer transformer with n − 1 attention heads (P7.7).")
        {
            corpus, order, smoothing, attention, beta, maxLength, output, plot,
        };
        command.SetAction(result =>
        {
            int n = result.GetValue(order);
            if (n is < 1 or > 4)
                throw new WorkbenchException(Invariant($"--order must be in 1..4 (got {n}): the history layer has (|Σ| + 1)^(n−1) units"));
            string path = result.GetValue(corpus)!.FullName;
            var lines = TextFile.ReadLines(path);
            var alphabet = Corpus.AlphabetOf(lines);
            var ngram = NGram.NGramCommands.Estimate(alphabet, n, Corpus.Parse(lines, alphabet, path), result.GetValue(smoothing)!);
            int cap = result.GetValue(maxLength);
            using var network = NGramTransformerConstruction.Compile(ngram, result.GetValue(attention), result.GetValue(beta), cap);
            ModelFile.Save(network, result.GetValue(output)!.FullName);
            context.Console.WriteLine(Invariant($"{ngram} → one-layer transformer, d = {network.Architecture.Hidden}, {network.Architecture.Heads} heads, {result.GetValue(attention)} attention: {result.GetValue(output)!.FullName}"));
            if (result.GetValue(plot) is { } target)
            {
                var strings = AncestralSampler.SampleMany(ngram, 20, 1, cap).Where(s => !s.Truncated).Select(s => s.Symbols).ToArray();
                double[] errors = Proofs.Theorems.P7_8_SoftAttentionApproachesHard.Errors(ngram, strings, cap);
                var multiples = Proofs.Theorems.P7_8_SoftAttentionApproachesHard.GapMultiples;
                Reports.LinePlot.Save(target.FullName, Invariant($"soft attention → hard attention ({n}-gram, 20 sampled strings)"), "βΔ", "max |log p_soft − log p_ngram|",
                    [new Reports.PlotSeries("error", multiples, errors)], logY: true);
                for (int k = 0; k < errors.Length; k++)
                    context.Console.WriteLine(Invariant($"βΔ = {multiples[k],3}: max log-probability error {errors[k]:G3}"));
                context.Console.WriteLine(Invariant($"plot: {target.FullName}"));
            }
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static Command StackRnn(CliContext context)
    {
        var depth = new Option<int>("--max-depth") { Description = "Deepest stack tried.", DefaultValueFactory = _ => 24 };
        var seed = new Option<int>("--seed") { Description = "Seed of the pushed symbols.", DefaultValueFactory = _ => 1 };
        var json = CommonOptions.Json();
        var command = new Command("stack-rnn", "The Turing-complete saturated-sigmoid RNN (P6.9) on a machine that pushes k random symbols and pops them back: exact rationals against float64, for k = 1…max-depth.") { depth, seed, json };
        command.SetAction(result =>
        {
            int maxDepth = result.GetValue(depth);
            if (maxDepth is < 1 or > 200)
                throw new WorkbenchException(Invariant($"--max-depth must be in 1..200 (got {maxDepth})"));
            var points = StackPrecision.Measure(maxDepth, result.GetValue(seed));
            int? failure = points.FirstOrDefault(p => !p.Float64Correct)?.Depth;
            if (result.GetValue(json))
            {
                JsonOutput.Write(context.Output, new { hiddenUnits = new StackRnnConstruction(StackPrecision.Exerciser()).Hidden, float64FailureDepth = failure, points });
                return WorkbenchCli.Success;
            }
            var table = new Table().AddColumns("depth k", "exact rationals", "float64", "first wrong symbol");
            foreach (var p in points)
                table.AddRow(Invariant($"{p.Depth}"), p.ExactCorrect ? "right" : "[red]wrong[/]", p.Float64Correct ? "right" : "[red]wrong[/]", p.FirstWrongSymbol == 0 ? "–" : Invariant($"{p.FirstWrongSymbol} of {2 * p.Depth}"));
            context.Console.Write(table);
            context.Console.WriteLine(failure is { } k
                ? Invariant($"float64 first misreads a stack of depth {k}: a stack of depth k needs k decimal digits, and each pop multiplies the rounding error by 10.")
                : Invariant($"float64 read every stack up to depth {maxDepth}."));
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static Command FsaToRnn(CliContext context)
    {
        var file = Fsa.MachineFile.Argument();
        var output = new Option<FileInfo>("--out") { Description = "Where to write the network (model.wbm).", Required = true };
        var projection = new Option<OutputProjection>("--output") { Description = "Softmax over log-weights, or Sparsemax over probabilities.", DefaultValueFactory = _ => OutputProjection.Softmax };
        var command = new Command("fsa-to-rnn", "Minsky's construction: a deterministic PFSA (AT&T text or .json) becomes a Heaviside Elman RNN LM with |Q|·|Σ| hidden units.") { file, output, projection };
        command.SetAction(result =>
        {
            var pfsa = EpsilonRemoval.Remove(Fsa.MachineFile.Read(result.GetValue(file)!.FullName)).Map(w => new Real(Log.ToReal(w)));
            using var network = MinskyConstruction.Compile(pfsa, result.GetValue(projection));
            ModelFile.Save(network, result.GetValue(output)!.FullName);
            context.Console.WriteLine(Invariant($"{pfsa.StateCount} states × {pfsa.Alphabet.Size} symbols → Heaviside RNN with {network.Architecture.Hidden} hidden units: {result.GetValue(output)!.FullName}"));
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static Command RnnToFsa(CliContext context)
    {
        var model = new Argument<FileInfo>("MODEL") { Description = "A Heaviside Elman network saved by `compile fsa-to-rnn` or `train`." };
        var output = new Option<FileInfo>("-o", "--output") { Description = "Where to write the deterministic PFSA (AT&T text with −ln p weights).", Required = true };
        var minimize = new Option<bool>("--minimize") { Description = "Minimise the extracted automaton." };
        var command = new Command("rnn-to-fsa", "Lemma 5.2.1: the reachable hidden states of a Heaviside Elman RNN LM as a deterministic PFSA.") { model, output, minimize };
        command.SetAction(result =>
        {
            using var network = ModelFile.Load(result.GetValue(model)!.FullName);
            if (network is not ElmanNetwork elman)
                throw new WorkbenchException(Invariant($"{result.GetValue(model)!.FullName} is a {network.Architecture.Kind} network; only Heaviside Elman networks have finitely many states"));
            var pfsa = HeavisideExtraction.Extract(elman);
            var written = result.GetValue(minimize) ? Minimization.Minimize(pfsa) : pfsa;
            AttFormat.WriteFile(written, result.GetValue(output)!.FullName);
            context.Console.WriteLine(Invariant($"{pfsa.StateCount} reachable hidden states{(result.GetValue(minimize) ? Invariant($", {written.StateCount} after minimisation") : "")}: {result.GetValue(output)!.FullName}"));
            return WorkbenchCli.Success;
        });
        return command;
    }
}
