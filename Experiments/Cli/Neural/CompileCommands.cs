using System.CommandLine;
using Spectre.Console;
using Workbench.Automata.Formats;
using Workbench.Automata.Operations;
using Workbench.Formal.Errors;
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
        return compile;
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
