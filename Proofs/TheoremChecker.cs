using System.Diagnostics;
using FsCheck;
using Microsoft.FSharp.Collections;
using Microsoft.FSharp.Core;

namespace Workbench.Proofs;

/// <summary>The result of checking one theorem on random instances.</summary>
/// <param name="Theorem">The theorem checked.</param>
/// <param name="Passed">Whether every instance satisfied it.</param>
/// <param name="Trials">Instances tested (up to and including the first failure).</param>
/// <param name="Seconds">Wall-clock time of the check.</param>
/// <param name="Seed">The seed that reproduces the run.</param>
/// <param name="Counterexample">The shrunk failing instance, or null when the theorem held.</param>
/// <param name="Message">Why the counterexample fails, or null when the theorem held.</param>
public sealed record TheoremOutcome(Theorem Theorem, bool Passed, int Trials, double Seconds, ulong Seed, string? Counterexample, string? Message);

/// <summary>Runs theorems through FsCheck with an explicit seed, capturing the shrunk counterexample.</summary>
public static class TheoremChecker
{
    /// <summary>Checks <paramref name="theorem"/> on <paramref name="trials"/> random instances drawn with <paramref name="seed"/>.</summary>
    public static TheoremOutcome Check(Theorem theorem, int trials, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        var runner = new CapturingRunner();
        var config = Config.Quick
            .WithMaxTest(trials)
            .WithMaxRejected(10 * trials)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None)))
            .WithRunner(runner);
        var stopwatch = Stopwatch.StartNew();
        FsCheck.Check.One(theorem.Id, config, theorem.Property());
        stopwatch.Stop();
        return runner.Result switch
        {
            TestResult.Passed passed => new TheoremOutcome(theorem, true, passed.Item1.NumberOfTests, stopwatch.Elapsed.TotalSeconds, seed, null, null),
            TestResult.Failed failed => new TheoremOutcome(theorem, false, failed.Item1.NumberOfTests, stopwatch.Elapsed.TotalSeconds, seed,
                Describe(failed.Item3), FailureMessage(failed.Item4)),
            TestResult.Exhausted exhausted => new TheoremOutcome(theorem, false, exhausted.Item.NumberOfTests, stopwatch.Elapsed.TotalSeconds, seed,
                null, "too many generated instances were rejected"),
            _ => throw new InvalidOperationException($"FsCheck reported no result for {theorem.Id}."),
        };
    }

    private static string Describe(FSharpList<object> arguments) =>
        string.Join(", ", arguments.Select(InstanceFormatter.Format));

    private static string FailureMessage(Outcome outcome) =>
        outcome is Outcome.Failed { Item: { } exception }
            ? (exception is TheoremViolation ? exception.Message : $"{exception.GetType().Name}: {exception.Message}")
            : "the property returned false";

    private sealed class CapturingRunner : IRunner
    {
        public TestResult? Result { get; private set; }

        public void OnStartFixture(Type type) { }

        public void OnArguments(int number, FSharpList<object> arguments, FSharpFunc<int, FSharpFunc<FSharpList<object>, string>> every) { }

        public void OnShrink(FSharpList<object> arguments, FSharpFunc<FSharpList<object>, string> everyShrink) { }

        public void OnFinished(string name, TestResult result) => Result = result;
    }
}
