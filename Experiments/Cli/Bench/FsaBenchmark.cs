using System.Diagnostics;
using Workbench.Automata.Core;
using Workbench.Automata.Generators;
using Workbench.Automata.Pathsums;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;

namespace Workbench.Experiments.Cli.Bench;

/// <summary>
/// Throughput of the finite-state core on random PFSAs with 10 symbols and 10 arcs per state: scoring
/// strings with a deterministic PFSA, sampling, the generic chain rule and ancestral sampler through the model's
/// typed state and through its erased <see cref="IPrefix"/> view (what every command reaches a model by), and the
/// certified allsum as the machine grows.
/// </summary>
internal static class FsaBenchmark
{
    /// <summary>One allsum measurement.</summary>
    internal sealed record AllsumPoint(int States, int Arcs, double Seconds, string Solver, int Sweeps, double Allsum, double ErrorBound);

    /// <summary>All figures of one run.</summary>
    internal sealed record Result(int Seed, int ScoringStates, long ScoredSymbols, double ScoringSymbolsPerSecond, long SampledSymbols, double SamplingSymbolsPerSecond,
        GenericPaths Generic, IReadOnlyList<AllsumPoint> Allsum);

    /// <summary>Symbols per second of the generic algorithms on the same model, typed (TState = int) and erased (IPrefix).</summary>
    internal sealed record GenericPaths(double ChainRuleTyped, double ChainRuleErased, double AncestralTyped, double AncestralErased);

    public static Result Run(int seed, IReadOnlyList<int> allsumSizes, Action<string> progress)
    {
        const int scoringStates = 10_000;
        progress($"building a deterministic PFSA with {scoringStates} states");
        var deterministic = RandomAutomata.Pfsa(new Random(seed), scoringStates, 10, 10, deterministic: true).Map(w => Log.FromReal(w.Value));
        var model = new DeterministicPfsaLanguageModel<Log>(deterministic);
        var sampler = new PfsaSampler<Log>(deterministic);

        progress("sampling");
        var (sampledSymbols, samplingRate, corpus) = MeasureSampling(sampler, seed);
        progress("scoring");
        var (scoredSymbols, scoringRate) = Scoring(corpus, y => model.LogProbability(y));
        progress("generic chain rule and ancestral sampling, typed and erased");
        ILanguageModel erased = model;
        var generic = new GenericPaths(
            Scoring(corpus, y => ChainRule.LogProbability(model, y)).PerSecond,
            Scoring(corpus, y => ChainRule.LogProbability(erased, y)).PerSecond,
            SamplingPerSecond(random => AncestralSampler.Sample(model, random, 10_000).Symbols.Length, seed),
            SamplingPerSecond(random => AncestralSampler.Sample(erased, random, 10_000).Symbols.Length, seed));

        var points = new List<AllsumPoint>();
        foreach (var states in allsumSizes)
        {
            progress($"allsum of a PFSA with {states} states");
            var fsa = RandomAutomata.Pfsa(new Random(seed + states), states, 10, 10);
            var clock = Stopwatch.StartNew();
            var pathsum = RealPathsum.Compute(fsa);
            points.Add(new AllsumPoint(states, fsa.ArcCount, clock.Elapsed.TotalSeconds, pathsum.Solver.ToString(), pathsum.Sweeps, pathsum.Allsum.Value, pathsum.Allsum.ErrorBound));
        }
        return new Result(seed, scoringStates, scoredSymbols, scoringRate, sampledSymbols, samplingRate, generic, points);
    }

    // Draws until 5M symbols after a warm-up; keeps the strings as the scoring corpus.
    private static (long Symbols, double PerSecond, List<int[]> Corpus) MeasureSampling(PfsaSampler<Log> sampler, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 10_000; i++) sampler.Sample(random, 10_000);
        var corpus = new List<int[]>();
        long symbols = 0;
        var clock = Stopwatch.StartNew();
        while (symbols < 5_000_000)
        {
            var (drawn, _) = sampler.Sample(random, 10_000);
            corpus.Add(drawn);
            symbols += drawn.Length;
        }
        return (symbols, symbols / clock.Elapsed.TotalSeconds, corpus);
    }

    // Scores the corpus repeatedly for at least one second after a warm-up pass: the symbols scored and their rate.
    private static (long Symbols, double PerSecond) Scoring(List<int[]> corpus, Func<int[], double> score)
    {
        var checksum = 0.0;
        foreach (var y in corpus) checksum += score(y);
        long symbols = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < 1)
            foreach (var y in corpus)
            {
                checksum += score(y);
                symbols += y.Length;
            }
        if (double.IsNaN(checksum)) throw new InvalidOperationException("A score was NaN.");
        return (symbols, symbols / clock.Elapsed.TotalSeconds);
    }

    // Draws for at least one second after 10,000 warm-up draws; symbols per second.
    private static double SamplingPerSecond(Func<Random, int> draw, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 10_000; i++) draw(random);
        long symbols = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < 1)
            for (var i = 0; i < 1000; i++) symbols += draw(random);
        return symbols / clock.Elapsed.TotalSeconds;
    }
}
