using System.CommandLine;
using Workbench.Automata.Core;
using Workbench.Automata.Formats;
using Workbench.Automata.Operations;
using Workbench.Automata.Pathsums;
using Workbench.Automata.Pfsa;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;

namespace Workbench.Experiments.Cli.Fsa;

/// <summary>Reading automata named on the command line: AT&amp;T text or JSON, chosen by --format or the file extension.</summary>
internal static class MachineFile
{
    /// <summary>
    /// The PFSA tolerance for files: OpenFst stores weights in single precision (about 7 digits), so a PFSA it
    /// printed sums to 1 only within ~10⁻⁷ per state.
    /// </summary>
    public const double PfsaTolerance = 1e-6;

    public static Argument<FileInfo> Argument() =>
        new("FILE") { Description = "An automaton: AT&T text (OpenFst's fstprint format) or JSON (.json)." };

    public static Option<string> Format() =>
        new("--format") { Description = "att or json; by default json for .json files and att otherwise.", DefaultValueFactory = _ => "auto" };

    public static Option<AttWeights> Weights() =>
        new("--weights") { Description = "How AT&T weights are written: NegativeLog (−ln p, OpenFst's log semiring; the default) or Probability.", DefaultValueFactory = _ => AttWeights.NegativeLog };

    public static Option<LinearSolver> Solver() =>
        new("--solver") { Description = "Linear solver for the allsum: Automatic, DenseLu or GaussSeidel.", DefaultValueFactory = _ => LinearSolver.Automatic };

    /// <summary>The automaton in <paramref name="path"/>; <paramref name="note"/> hears the conventions the AT&amp;T reader applied.</summary>
    public static Wfsa<Log> Read(string path, string format = "auto", AttReading? reading = null, Action<string>? note = null)
    {
        var json = format switch
        {
            "json" => true,
            "att" => false,
            "auto" => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase),
            _ => throw new Formal.Errors.WorkbenchException($"Unknown format '{format}'; use att or json."),
        };
        return json ? JsonFormat.ReadFile(path) : AttFormat.ReadFile(path, reading ?? AttReading.Default, note: note);
    }

    /// <summary>
    /// The PFSA in the file as a language model, ε-arcs removed first: by state id when deterministic, by
    /// forward vector otherwise.
    /// </summary>
    /// <remarks>
    /// The file is checked at <see cref="PfsaTolerance"/>. ε-removal adds up each state's rounding along its ε-paths, so
    /// the ε-free machine is checked at that tolerance times the largest ε-closure mass.
    /// </remarks>
    public static ILanguageModel LanguageModel(Wfsa<Log> fsa)
    {
        PfsaValidation.Validate(fsa, PfsaTolerance);
        var epsilonFree = EpsilonRemoval.Remove(fsa, out var closureMass);
        var tolerance = PfsaTolerance * Math.Max(1, closureMass);
        return epsilonFree.IsDeterministic
            ? new DeterministicPfsaLanguageModel<Log>(epsilonFree, tolerance)
            : new PfsaLanguageModel<Log>(epsilonFree, tolerance);
    }
}

/// <summary>The options that say how a command reads its machines (--format, --weights, --layout, --zero-label), and the reading they give.</summary>
internal sealed class MachineReading
{
    private readonly Option<string> _format = MachineFile.Format();
    private readonly Option<AttWeights> _weights = MachineFile.Weights();
    private readonly Option<AttLayout> _layout = new("--layout")
    {
        Description = "AT&T arc lines: Acceptor ('s d label [weight]', fstprint --acceptor), Transducer ('s d in out [weight]', plain fstprint) or Auto (deduced; refused when the file does not decide it).",
        DefaultValueFactory = _ => AttLayout.Auto,
    };
    private readonly Option<string> _zeroLabel = new("--zero-label")
    {
        Description = "In AT&T files whose labels are all integers: epsilon (OpenFst's numbering, the default) or symbol.",
        DefaultValueFactory = _ => "epsilon",
    };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_format);
        command.Options.Add(_weights);
        command.Options.Add(_layout);
        command.Options.Add(_zeroLabel);
    }

    /// <summary>The machine in <paramref name="path"/>, read as the options say; notes go to <paramref name="notes"/>.</summary>
    public Wfsa<Log> Read(ParseResult result, string path, TextWriter notes)
    {
        var zero = result.GetValue(_zeroLabel) switch
        {
            "epsilon" => true,
            "symbol" => false,
            var other => throw new Formal.Errors.WorkbenchException($"Unknown --zero-label '{other}'; use epsilon or symbol."),
        };
        return MachineFile.Read(path, result.GetValue(_format)!, new AttReading(result.GetValue(_weights), result.GetValue(_layout), zero), line => notes.WriteLine($"note: {line}"));
    }
}
