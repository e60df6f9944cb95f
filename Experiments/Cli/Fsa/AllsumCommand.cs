using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Workbench.Automata.Pathsums;

namespace Workbench.Experiments.Cli.Fsa;

/// <summary>`fsa allsum FILE`: only the certified allsum Z (the benchmark against OpenFst's fstshortestdistance).</summary>
internal static class AllsumCommand
{
    public static Command Create(CliContext context)
    {
        var file = MachineFile.Argument();
        var reading = new MachineReading();
        var solver = MachineFile.Solver();
        var json = CommonOptions.Json();
        var command = new Command("allsum", "The allsum Z = λᵀ(I − T)⁻¹ρ with a certified error bound, and nothing else.") { file, solver, json };
        reading.AddTo(command);
        command.SetAction(result =>
        {
            var clock = Stopwatch.StartNew();
            var fsa = reading.Read(result, result.GetValue(file)!.FullName, context.Error);
            var read = clock.Elapsed.TotalSeconds;
            var pathsum = RealPathsum.Compute(fsa, result.GetValue(solver));
            var total = clock.Elapsed.TotalSeconds;
            if (result.GetValue(json))
                JsonOutput.Write(context.Output, new { allsum = pathsum.Allsum, pathsum.UsefulStates, pathsum.Solver, pathsum.Sweeps, readSeconds = read, solveSeconds = total - read });
            else
                context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Z = {pathsum.Allsum.Value:R} ± {pathsum.Allsum.ErrorBound:G3} ({pathsum.Allsum.Method}; read {read:F3} s, solve {total - read:F3} s)"));
            return WorkbenchCli.Success;
        });
        return command;
    }
}
