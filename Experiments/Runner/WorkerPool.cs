using System.Diagnostics;
using Workbench.Formal.Errors;

namespace Workbench.Experiments.Runner;

/// <summary>
/// Runs one grid in several worker processes of this program on one run folder: each worker is `workbench run … --worker`,
/// which claims cells (<see cref="CellClaims"/>) instead of taking a fixed share, so a worker that drew cheap cells takes the
/// next ones. Each worker runs libtorch on one thread (unless the environment already sets OMP_NUM_THREADS or
/// MKL_NUM_THREADS), because at the grid's sizes one libtorch process gains little from a second thread; its output goes to
/// workers/worker-I.log in the run folder. A killed pool resumes like any run: finished cells are kept, trained ones resume
/// from their checkpoints. Each worker's standard input is a pipe from the coordinator that is never written, so a worker
/// sees its end when the coordinator dies, even by SIGKILL, and stops (<see cref="CoordinatorGone"/>): otherwise
/// it would go on training while a restarted pool, which clears the claims, gives its cell to another worker.
/// </summary>
public static class WorkerPool
{
    /// <summary>The folder of the workers' logs inside the run folder.</summary>
    public const string LogFolder = "workers";

    /// <summary>The exit code of a worker that stopped because its coordinator was gone.</summary>
    public const int CoordinatorGoneExitCode = 3;

    /// <summary>What a worker says when it stops because its coordinator is gone.</summary>
    public const string CoordinatorGoneMessage = "the coordinating `workbench run --jobs` process is gone: this worker stops, and its cell resumes from its last checkpoint";

    /// <summary>
    /// In a worker: a token that a background thread cancels at the end of input, the coordinator's pipe (the coordinator has
    /// exited or been killed). Training stops at its next step, a cell being evaluated is finished, and no new cell is claimed;
    /// checkpoints are written by rename, so the cell resumes from its last one.
    /// </summary>
    public static CancellationToken CoordinatorGone(Stream input)
    {
        var gone = new CancellationTokenSource();
        var watch = new Thread(() =>
        {
            var buffer = new byte[256];
            try
            {
                while (input.Read(buffer) > 0)
                {
                }
            }
            catch (IOException)
            {
            }
            gone.Cancel();
        }) { IsBackground = true, Name = "coordinator watch" };
        watch.Start();
        return gone.Token;
    }

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
    internal static ProcessStartInfo StartInfo(IReadOnlyList<string> arguments)
    {
        string assembly = typeof(WorkerPool).Assembly.Location;
        string launcher = Path.Combine(Path.GetDirectoryName(assembly)!, OperatingSystem.IsWindows() ? "workbench.exe" : "workbench");
        var info = File.Exists(launcher)
            ? new ProcessStartInfo(launcher)
            : new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { ArgumentList = { assembly } };
        foreach (string argument in arguments)
            info.ArgumentList.Add(argument);
        info.UseShellExecute = false;
        info.RedirectStandardInput = true; // never written: its end tells the worker that the coordinator is gone
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment.TryAdd("OMP_NUM_THREADS", "1");
        info.Environment.TryAdd("MKL_NUM_THREADS", "1");
        return info;
    }
}
