using System.CommandLine;
using Workbench.Automata.Core;
using Workbench.Automata.Formats;
using Workbench.Automata.Graphs;
using Workbench.Automata.Operations;
using Workbench.Formal.Semirings;

namespace Workbench.Experiments.Cli.Fsa;

/// <summary>`fsa push|determinize|minimize|trim FILE [-o OUT]` and `fsa intersect A B [-o OUT]`: operations that write AT&amp;T text.</summary>
internal static class TransformCommand
{
    public static IEnumerable<Command> CreateAll(CliContext context) =>
    [
        Unary(context, "push", "Weight pushing: the tight PFSA with p(y) = A(y)/Z on the useful states.", WeightPushing.Push),
        Determinize(context),
        Minimize(context),
        Unary(context, "trim", "Keep only the useful states (accessible and co-accessible).", fsa => Reachability.Trim(fsa).Trimmed),
        Intersect(context),
    ];

    private static Option<FileInfo?> Output() =>
        new("-o", "--output") { Description = "Where to write the result (AT&T text, −ln p weights); standard output when omitted." };

    private static Command Unary(CliContext context, string name, string description, Func<Wfsa<Log>, Wfsa<Log>> transform) =>
        Unary(context, name, description, [], (_, fsa) => transform(fsa));

    private static Command Unary(CliContext context, string name, string description, Option[] extra, Func<ParseResult, Wfsa<Log>, Wfsa<Log>> transform)
    {
        var file = MachineFile.Argument();
        var output = Output();
        var reading = new MachineReading();
        var command = new Command(name, description + " Writes AT&T text.") { file, output };
        reading.AddTo(command);
        foreach (var option in extra) command.Options.Add(option);
        command.SetAction(result =>
        {
            var fsa = reading.Read(result, result.GetValue(file)!.FullName, context.Error);
            Write(context, transform(result, fsa), result.GetValue(output));
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static Option<double?> Delta(string what) => new("--delta") { Description = $"Merge {what} that agree to this relative tolerance δ (an approximation, reported on standard error with its bound); exact when omitted." };

    private static Command Determinize(CliContext context)
    {
        var delta = Delta("residuals").Requiring(d => d is null or > 0 and <= 1, "must be in (0, 1]");
        var budget = new Option<int>("--budget") { Description = "The most deterministic states to build before refusing.", DefaultValueFactory = _ => Determinization.DefaultStateBudget };
        var bits = new Option<int>("--residual-bits") { Description = "The most bits of an exact residual's numerator or denominator before refusing.", DefaultValueFactory = _ => Determinization.DefaultResidualBitBudget };
        return Unary(context, "determinize",
            "Exact weighted determinization: residuals in exact rationals, refused with a proof when the machine is unambiguous without the twins property, or with the evidence when a budget is exceeded.",
            [delta, budget, bits], (result, fsa) =>
            {
                if (result.GetValue(delta) is not { } tolerance) return Determinization.Determinize(fsa, result.GetValue(budget), result.GetValue(bits));
                var approximate = ApproximateDeterminization.Determinize(fsa, tolerance, result.GetValue(budget));
                context.Error.WriteLine($"note: {approximate.Describe()}");
                return approximate.Machine;
            });
    }

    private static Command Minimize(CliContext context)
    {
        var delta = Delta("weights").Requiring(d => d is null or >= 0 and <= 1, "must be in [0, 1]");
        return Unary(context, "minimize",
            "Minimization of a deterministic machine: trimmed, weights pushed into canonical form unless it is a PFSA, then Moore refinement merging equal weights.",
            [delta], (result, fsa) =>
            {
                var minimized = Minimization.Minimize(fsa, result.GetValue(delta) ?? 0);
                if (!minimized.IsExact || minimized.WasPushed) context.Error.WriteLine($"note: {minimized.Describe()}");
                return minimized.Machine;
            });
    }

    private static Command Intersect(CliContext context)
    {
        var first = new Argument<FileInfo>("A") { Description = "The first automaton." };
        var second = new Argument<FileInfo>("B") { Description = "The second automaton (same alphabet)." };
        var output = Output();
        var reading = new MachineReading();
        var command = new Command("intersect", "The product (A ∩ B)(y) = A(y)·B(y) on the reachable state pairs (ε-arcs removed first). Writes AT&T text.") { first, second, output };
        reading.AddTo(command);
        command.SetAction(result =>
        {
            var a = reading.Read(result, result.GetValue(first)!.FullName, context.Error);
            var b = reading.Read(result, result.GetValue(second)!.FullName, context.Error);
            // Read both over the union of their alphabets so the labels line up.
            var alphabet = new Formal.Symbols.Alphabet(a.Alphabet.Symbols.Union(b.Alphabet.Symbols).Order(StringComparer.Ordinal));
            Write(context, Intersection.Intersect(Relabel(a, alphabet), Relabel(b, alphabet)), result.GetValue(output));
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static Wfsa<Log> Relabel(Wfsa<Log> fsa, Formal.Symbols.Alphabet alphabet)
    {
        var builder = new WfsaBuilder<Log>(alphabet).EnsureStates(fsa.StateCount);
        for (var q = 0; q < fsa.StateCount; q++)
        {
            builder.SetInitial(q, fsa.InitialWeights[q]).SetFinal(q, fsa.FinalWeights[q]);
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
            {
                var label = fsa.ArcLabels[e] == Wfsa<Log>.Epsilon ? Wfsa<Log>.Epsilon : alphabet.IdOf(fsa.Alphabet.NameOf(fsa.ArcLabels[e]));
                builder.AddArc(q, label, fsa.ArcTargets[e], fsa.ArcWeights[e]);
            }
        }
        return builder.Build();
    }

    private static void Write(CliContext context, Wfsa<Log> fsa, FileInfo? output)
    {
        if (output is not null) AttFormat.WriteFile(fsa, output.FullName);
        else context.Output.Write(AttFormat.Write(fsa));
    }
}
