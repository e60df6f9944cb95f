using System.Diagnostics;

namespace Workbench.Automata.Tests;

/// <summary>Runs OpenFst's command-line tools (Debian's libfst-tools, which .ci/run installs) through bash.</summary>
internal static class OpenFstTool
{
    /// <summary>The standard output of <paramref name="command"/> run in <paramref name="directory"/>; fails the test if it fails.</summary>
    public static string Run(string directory, string command)
    {
        var start = new ProcessStartInfo("bash", ["-c", "set -o pipefail; " + command]) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"`{command}` failed ({process.ExitCode}); OpenFst's tools come from Debian's libfst-tools: {error}");
        return output;
    }
}
