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

    /// <summary>The automaton in <paramref name="path"/>.</summary>
    public static Wfsa<Log> Read(string path, string format = "auto", AttWeights weights = AttWeights.NegativeLog)
    {
        var json = format switch
        {
            "json" => true,
            "att" => false,
            "auto" => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase),
            _ => throw new Formal.Errors.WorkbenchException($"Unknown format '{format}'; use att or json."),
        };
        return json ? JsonFormat.ReadFile(path) : AttFormat.ReadFile(path, weights);
    }

    /// <summary>
    /// The PFSA in the file as a language model, ε-arcs removed first: by state id when deterministic, by
    /// forward vector otherwise.
    /// </summary>
    public static AutoregressiveModelHandle LanguageModel(Wfsa<Log> fsa)
    {
        var epsilonFree = EpsilonRemoval.Remove(fsa);
        return epsilonFree.IsDeterministic
            ? AutoregressiveModelHandle.Of(new DeterministicPfsaLanguageModel<Log>(epsilonFree, PfsaTolerance))
            : AutoregressiveModelHandle.Of(new PfsaLanguageModel<Log>(epsilonFree, PfsaTolerance));
    }
}
