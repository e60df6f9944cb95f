using System.Diagnostics;
using Workbench.Automata.Generators;
using Workbench.Automata.Grammars.Parsing;

namespace Workbench.Experiments.Cli.Bench;

/// <summary>
/// Parsing speed on dense random CNF PCFGs (every rule X → Y Z and X → a present, binary mass 0.45): the
/// inside probability of a uniformly random string, and the prefix probabilities of all its prefixes, as the
/// string length n and the number of nonterminals |N| grow. Each figure is the median of several strings after
/// a warm-up; the multiply-add count of the chart (Σ over spans of split points·|N|² plus |binary rules| per
/// span, plus j·|N|² + |N|³ per prefix) turns times into a rate to compare with the machine's arithmetic peak.
/// </summary>
internal static class CfgBenchmark
{
    /// <summary>One configuration's timings.</summary>
    internal sealed record Point(int Nonterminals, int Terminals, int Length, double InsideSeconds, double InsideMultiplyAdds, double PrefixSeconds, double PrefixMultiplyAdds)
    {
        /// <summary>Multiply-adds per second of the inside chart.</summary>
        public double InsideRate => InsideMultiplyAdds / InsideSeconds;

        /// <summary>Multiply-adds per second of the prefix parser.</summary>
        public double PrefixRate => PrefixMultiplyAdds / PrefixSeconds;
    }

    /// <summary>All figures of one run.</summary>
    internal sealed record Result(int Seed, int Repetitions, IReadOnlyList<Point> Points);

    public static Result Run(int seed, int terminals, IReadOnlyList<(int Nonterminals, int Length)> configurations, int repetitions, Action<string> progress)
    {
        progress("warm-up (an untimed pass of the first configuration, so that the JIT's optimised code is in place)");
        Measure(seed, terminals, configurations[0].Nonterminals, configurations[0].Length, repetitions);
        var points = new List<Point>();
        foreach (var (nonterminals, length) in configurations)
        {
            progress($"|N| = {nonterminals}, n = {length}");
            points.Add(Measure(seed, terminals, nonterminals, length, repetitions));
        }
        return new Result(seed, repetitions, points);
    }

    private static Point Measure(int seed, int terminals, int nonterminals, int length, int repetitions)
    {
        var grammar = RandomGrammars.DenseCnfPcfg(new Random(seed), nonterminals, terminals, 0.45);
        var empty = InsideChart.Empty(grammar);
        var parser = new PrefixParser(grammar);
        var random = new Random(seed + length);
        var strings = Enumerable.Range(0, repetitions + 1).Select(_ => Enumerable.Range(0, length).Select(_ => random.Next(terminals)).ToArray()).ToArray();
        var inside = Median(strings, y => Check(empty.ExtendAll(y).LogWeight));
        var prefix = Median(strings, y =>
        {
            var state = parser.Empty;
            foreach (var symbol in y)
            {
                state = parser.Extend(state, symbol);
                Check(parser.LogPrefixProbability(state));
            }
        });
        var chart = ChartMultiplyAdds(nonterminals, length);
        var forward = Enumerable.Range(1, length).Sum(j => (double)j * nonterminals * nonterminals + Math.Pow(nonterminals, 3));
        return new Point(nonterminals, terminals, length, inside, chart, prefix, chart + forward);
    }

    // Σ_{spans of width w ≥ 2} ((w − 1)·|N|² + |N|³) for a dense grammar.
    private static double ChartMultiplyAdds(int nonterminals, int length)
    {
        var total = 0.0;
        for (var width = 2; width <= length; width++) total += (length - width + 1) * ((width - 1) * Math.Pow(nonterminals, 2) + Math.Pow(nonterminals, 3));
        return total;
    }

    // The first string warms the caches up; the median of the others is reported.
    private static double Median(int[][] strings, Action<int[]> work)
    {
        work(strings[0]);
        var times = strings.Skip(1).Select(y =>
        {
            var clock = Stopwatch.StartNew();
            work(y);
            return clock.Elapsed.TotalSeconds;
        }).Order().ToArray();
        return times[times.Length / 2];
    }

    private static void Check(double logProbability)
    {
        if (!double.IsFinite(logProbability)) throw new InvalidOperationException($"A benchmark string got log probability {logProbability}.");
    }
}
