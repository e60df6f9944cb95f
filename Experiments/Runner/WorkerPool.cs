using System.Diagnostics;
using Workbench.Formal.Errors;

namespace Workbench.Experiments.Runner;

/// <summary>
/// Runs one grid in several worker processes of this program on one run folder: each worker is `workbench run … --worker`,
/// which claims cells (<see cref="CellClaims"/>) instead of taking a fixed share, so a worker that drew cheap cells takes the
/// next ones. Each worker runs libtorch on one thread (unless the environment already sets OMP_NUM_THREADS or
/// MKL_NUM_THREADS), because at the grid's sizes one libtorch process gains little from a second thread; its output goes to
/// workers/worker-I.log in the run folder. A killed pool resumes like any run: finished cells are kept, trained ones resume
/// from their checkpoints.
/// </summary>
public static class WorkerPool
{
    /// <summary>The folder of the workers' logs inside the run folder.</summary>
    public const string LogFolder = "workers";

    /// <summary>
    /// Starts the workers with the same arguments (a `run` command line ending in `--worker`), reports how many of cells have a
    /// result every half second, and returns when all have exited.
    /// </summary>
    /// <exception cref="WorkbenchException">A worker failed: its exit code and the end of its log.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled (the workers are killed; their checkpoints stay).</exception>
    public static void Run(IReadOnlyList<string> workerArguments, int workers, string output, IReadOnlyList<Cell> cells, Action<int> finished, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 2);
        CellClaims.Clear(output);
        Directory.CreateDirectory(Path.Combine(output, LogFolder));
        var running = Enumerable.Range(0, workers).Select(i => Start(workerArguments, Path.Combine(output, LogFolder, Invariant($"worker-{i}.log")))).ToArray();
        try
        {
            while (!running.All(w => w.Process.WaitForExit(0)))
            {
                cancellation.ThrowIfCancellationRequested();
                finished(cells.Count(cell => File.Exists(Path.Combine(ExperimentRunner.CellFolder(output, cell), ExperimentRunner.ResultFile))));
                Thread.Sleep(500);
            }
            foreach (var worker in running)
                worker.Process.WaitForExit(); // drains the output handlers
        }
        finally
        {
            foreach (var worker in running)
            {
                if (!worker.Process.HasExited)
                    worker.Process.Kill(entireProcessTree: true);
                worker.Process.WaitForExit();
                worker.Log.Dispose();
            }
        }
        int[] exitCodes = [.. running.Select(w => w.Process.ExitCode)];
        foreach (var worker in running)
            worker.Process.Dispose();
        int[] failed = [.. Enumerable.Range(0, workers).Where(i => exitCodes[i] != 0)];
        if (failed.Length > 0)
        {
            string log = Path.Combine(output, LogFolder, Invariant($"worker-{failed[0]}.log"));
            string tail = string.Join(Environment.NewLine, File.ReadLines(log).TakeLast(5));
            throw new WorkbenchException(Invariant($"{failed.Length} of {workers} workers failed; worker {failed[0]} exited with code {exitCodes[failed[0]]}, and its log {log} ends:{Environment.NewLine}{tail}"));
        }
    }

    private static (Process Process, StreamWriter Log) Start(IReadOnlyList<string> arguments, string logPath)
    {
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = StartInfo(arguments) };
        void Write(object sender, DataReceivedEventArgs line)
        {
            if (line.Data is not null)
                lock (log)
                    log.WriteLine(line.Data);
        }
        process.OutputDataReceived += Write;
        process.ErrorDataReceived += Write;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, log);
    }

    /// <summary>This program again: its native launcher where it has one, else the .NET host on its assembly.</summary>
    private static ProcessStartInfo StartInfo(IReadOnlyList<string> arguments)
    {
        string assembly = typeof(WorkerPool).Assembly.Location;
        string launcher = Path.Combine(Path.GetDirectoryName(assembly)!, OperatingSystem.IsWindows() ? "workbench.exe" : "workbench");
        var info = File.Exists(launcher)
            ? new ProcessStartInfo(launcher)
            : new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { ArgumentList = { assembly } };
        foreach (string argument in arguments)
            info.ArgumentList.Add(argument);
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment.TryAdd("OMP_NUM_THREADS", "1");
        info.Environment.TryAdd("MKL_NUM_THREADS", "1");
        return info;
    }
}
