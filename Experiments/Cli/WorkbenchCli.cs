using System.CommandLine;
using Spectre.Console;
using Workbench.Formal.Errors;

namespace Workbench.Experiments.Cli;

/// <summary>The `workbench` command line: parsing, dispatch, and the translation of errors into exit codes.</summary>
internal static class WorkbenchCli
{
    /// <summary>Exit code of a successful command.</summary>
    public const int Success = 0;

    /// <summary>Exit code when a checked property failed.</summary>
    public const int CheckFailed = 1;

    /// <summary>Exit code for bad input: unknown options, malformed models, unknown symbols.</summary>
    public const int InputError = 2;

    /// <summary>Runs the command line with the given output streams and returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var context = new CliContext(output, error);
        var root = new RootCommand("Workbench: exact questions about formal language models — tightness, probabilities, entropy — and the theorems of the notes as executable properties.")
        {
            TheoremsCommands.Create(context),
            LanguageModel.LanguageModelCommands.Create(context),
            Fsa.FsaCommands.Create(context),
            Bench.BenchCommands.Create(context),
            NGram.NGramCommands.Create(context),
            Tokenization.TokenizerCommands.Create(context),
            Cfg.CfgCommands.Create(context),
            Neural.TrainCommand.Create(context),
            Neural.CompileCommands.Create(context),
            Cli.Run.RunCommands.CreateRun(context),
            Cli.Run.RunCommands.CreateReport(context),
            Cli.Run.ScalingCommand.Create(context),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors) error.WriteLine($"error: {problem.Message}");
            error.WriteLine("Run with --help for usage.");
            return InputError;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (WorkbenchException exception)
        {
            // Only the library's own errors are input errors: an ArgumentException or any other exception is a bug and keeps its trace.
            error.WriteLine($"error: {exception.Message}{Hint(exception)}");
            return InputError;
        }
    }

    // The command that answers what a library error says is missing.
    private static string Hint(WorkbenchException exception) => exception switch
    {
        Automata.Operations.NotDeterminizableException => " (`fsa determinize --delta D` builds the approximation)",
        Automata.Formats.AmbiguousLayoutException => " (--layout transducer or --layout acceptor)",
        _ => "",
    };
}

/// <summary>Where a command writes: the rich console for people, the raw writers for JSON and errors.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error)
{
    /// <summary>Standard output, for JSON.</summary>
    public TextWriter Output { get; } = output;

    /// <summary>Standard error, for messages.</summary>
    public TextWriter Error { get; } = error;

    private IAnsiConsole? _console;

    /// <summary>A Spectre console over standard output, for tables (created on first use: commands that print JSON or text never pay for it).</summary>
    public IAnsiConsole Console => _console ??= AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Output) });
}
