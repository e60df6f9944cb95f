using Workbench.Formal.IO;
using System.CommandLine;
using System.Diagnostics;
using Workbench.Automata.Formats;
using Workbench.Formal.Errors;

namespace Workbench.Experiments.Cli.Fsa;

/// <summary>`fsa draw FILE -o OUT`: DOT for Graphviz, rendered by `dot` when OUT is .svg, .png or .pdf.</summary>
internal static class DrawCommand
{
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromMinutes(2);

    public static Command Create(CliContext context)
    {
        var file = MachineFile.Argument();
        var output = new Option<FileInfo>("-o", "--output") { Description = "Where to write: .dot for Graphviz source, or .svg/.png/.pdf rendered by Graphviz's dot.", Required = true };
        var reading = new MachineReading();
        var command = new Command("draw", "Draw the automaton with Graphviz (DOT source, or SVG/PNG/PDF through `dot`).") { file, output };
        reading.AddTo(command);
        command.SetAction(result =>
        {
            var fsa = reading.Read(result, result.GetValue(file)!.FullName, context.Error);
            var target = result.GetValue(output)!.FullName;
            var dot = DotFormat.Write(fsa);
            var extension = Path.GetExtension(target).TrimStart('.').ToLowerInvariant();
            if (extension is "dot" or "gv") AtomicFile.Write(target, dot);
            else if (extension is "svg" or "png" or "pdf") Render(dot, extension, target);
            else throw new WorkbenchException($"Cannot draw to '{target}': use a .dot, .svg, .png or .pdf file.");
            context.Error.WriteLine($"wrote {target}");
            return WorkbenchCli.Success;
        });
        return command;
    }

    private static void Render(string dot, string type, string target)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        Process process;
        try
        {
            process = Process.Start(new ProcessStartInfo("dot", ["-T" + type, "-o", temporary])
            {
                RedirectStandardInput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new WorkbenchException("Graphviz's `dot` is not installed (Debian: apt-get install graphviz); write DOT source instead with -o FILE.dot.");
        }
        using (process)
        {
            process.StandardInput.Write(dot);
            process.StandardInput.Close();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(RenderTimeout))
            {
                process.Kill(entireProcessTree: true);
                File.Delete(temporary);
                throw new WorkbenchException($"Graphviz's `dot` did not finish within {RenderTimeout.TotalSeconds:F0} s; the machine may be too large to draw.");
            }
            if (process.ExitCode != 0)
            {
                File.Delete(temporary);
                throw new WorkbenchException($"Graphviz's `dot` failed: {errors.Result.Trim()}");
            }
        }
        File.Move(temporary, target, overwrite: true);
    }
}
