using System.CommandLine;
using System.Diagnostics;
using Workbench.Automata.Core;
using Workbench.Automata.Pathsums;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;

namespace Workbench.Experiments.Cli.Fsa;

/// <summary>`fsa info FILE`: size, determinism, the allsum, and for a PFSA tightness, entropy and expected length.</summary>
internal static class InfoCommand
{
    public static Command Create(CliContext context)
    {
        var file = MachineFile.Argument();
        var reading = new MachineReading();
        var solver = MachineFile.Solver();
        var json = CommonOptions.Json();
        var command = new Command("info", "States, arcs, determinism, the allsum Z with a certified error bound, the spectral radius, and for a PFSA its tightness, entropy and expected length.")
            { file, solver, json };
        reading.AddTo(command);
        command.SetAction(result =>
        {
            var clock = Stopwatch.StartNew();
            var fsa = reading.Read(result, result.GetValue(file)!.FullName, context.Error);
            var readSeconds = clock.Elapsed.TotalSeconds;
            var info = Analyse(fsa, result.GetValue(solver));
            info = info with { ReadSeconds = readSeconds, AnalysisSeconds = clock.Elapsed.TotalSeconds - readSeconds };
            if (result.GetValue(json)) JsonOutput.Write(context.Output, info);
            else Print(context, info);
            return WorkbenchCli.Success;
        });
        return command;
    }

    /// <summary>What `fsa info` reports; <c>allsum</c> is the partition function.</summary>
    internal sealed record MachineInfo(
        int States, int Arcs, IReadOnlyList<string> Alphabet, bool Deterministic, bool Epsilon, bool Pfsa, string? PfsaProblem,
        CertifiedValue Allsum, double SpectralRadiusLower, double SpectralRadiusUpper, int UsefulStates,
        TightnessReport? Tightness, CertifiedValue? Entropy, CertifiedValue? ExpectedLength, string? Mode, double? ModeLogProbability,
        double ReadSeconds = 0, double AnalysisSeconds = 0);

    private static MachineInfo Analyse(Wfsa<Log> fsa, LinearSolver solver)
    {
        var pathsum = RealPathsum.Compute(fsa, solver);
        string? problem = null;
        try
        {
            PfsaValidation.Validate(fsa, MachineFile.PfsaTolerance);
        }
        catch (InvalidModelException exception)
        {
            problem = exception.Message;
        }
        var pfsa = problem is null;
        // With Z = 0 no string has positive probability, so there is no most probable string.
        var (mode, modeLog) = pfsa && fsa.IsDeterministic && pathsum.Allsum.Value > 0 ? MostProbableString.Of(fsa) : (null, double.NaN);
        return new MachineInfo(
            fsa.StateCount, fsa.ArcCount, fsa.Alphabet.Symbols, fsa.IsDeterministic, fsa.HasEpsilonArcs, pfsa, problem,
            pathsum.Allsum, pathsum.SpectralRadiusLowerBound, pathsum.SpectralRadiusUpperBound, pathsum.UsefulStates,
            pfsa ? PfsaTightness.Analyze(fsa, pathsum) : null,
            pfsa && fsa.IsDeterministic ? PfsaExpectations.Entropy(fsa, pathsum) : null,
            pfsa ? PfsaExpectations.ExpectedLength(fsa, pathsum) : null,
            mode is null ? null : fsa.Alphabet.Format(mode), mode is null ? null : modeLog);
    }

    private static void Print(CliContext context, MachineInfo info)
    {
        var rows = new TextRows();
        void Row(string name, string value) => rows.Add(name, value);
        Row("states / arcs", $"{info.States} / {info.Arcs} ({info.UsefulStates} useful)");
        Row("alphabet", string.Join(" ", info.Alphabet));
        Row("deterministic", info.Deterministic ? "yes" : "no");
        Row("ε-arcs", info.Epsilon ? "yes" : "no");
        Row("PFSA", info.Pfsa ? "yes" : $"no — {info.PfsaProblem}");
        Row("allsum Z", info.Allsum.ToString());
        Row("spectral radius (trimmed)", Invariant($"[{info.SpectralRadiusLower:G6}, {info.SpectralRadiusUpper:G6}]"));
        if (info.Tightness is { } tightness)
        {
            Row("tight", tightness.Verdict == TightnessVerdict.Tight ? "yes" : "no");
            foreach (var line in tightness.Evidence) Row("evidence", line);
        }
        if (info.Entropy is { } entropy) Row("entropy (nats)", entropy.ToString());
        if (info.ExpectedLength is { } length) Row("expected length", length.ToString());
        if (info.Mode is { } mode) Row("most probable string", Invariant($"{mode} (log p = {info.ModeLogProbability:G10})"));
        Row("time", Invariant($"read {info.ReadSeconds:F3} s, analysis {info.AnalysisSeconds:F3} s"));
        rows.WriteTo(context.Output);
    }
}
