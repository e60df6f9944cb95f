using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Layers;
using Workbench.Neural.Models;
using static TorchSharp.torch;

namespace Workbench.Neural.Tests;

/// <summary>
/// The nondeterministic stack's dynamic programme against the pushdown automaton it summarises: every run enumerated (runs
/// that reach the same state and stack merged), its reading the normalised weight of the runs by (state, top symbol).
/// </summary>
public sealed class NondeterministicStackTests
{
    private sealed record Transitions(double[,] Push, double[,] Replace, double[,] Pop);

    // Random transitions: for every configuration a distribution over P pushes, P replacements and |Q| pops.
    private static Transitions RandomTransitions(Random random, int states, int symbols)
    {
        int configurations = states * symbols;
        var push = new double[configurations, configurations];
        var replace = new double[configurations, configurations];
        var pop = new double[configurations, states];
        for (int c = 0; c < configurations; c++)
        {
            double[] weights = [.. Enumerable.Range(0, 2 * configurations + states).Select(_ => Math.Exp(2 * random.NextDouble() - 1))];
            double total = weights.Sum();
            for (int d = 0; d < configurations; d++)
            {
                push[c, d] = weights[d] / total;
                replace[c, d] = weights[configurations + d] / total;
            }
            for (int r = 0; r < states; r++)
                pop[c, r] = weights[2 * configurations + r] / total;
        }
        return new Transitions(push, replace, pop);
    }

    // The reading after each step by enumeration: the runs from state 0 with stack ⊥ = [0], merged by (state, stack); a pop of ⊥ ends a run.
    private static List<double[]> EnumeratedReadings(IReadOnlyList<Transitions> steps, int states, int symbols)
    {
        var runs = new Dictionary<(int State, string Stack), double> { [(0, "0")] = 1.0 };
        var readings = new List<double[]>();
        foreach (var step in steps)
        {
            var next = new Dictionary<(int State, string Stack), double>();
            void Add(int state, string stack, double weight) => next[(state, stack)] = next.GetValueOrDefault((state, stack)) + weight;
            foreach (var ((state, stack), weight) in runs)
            {
                int top = stack[^1] - '0', from = state * symbols + top;
                for (int r = 0; r < states; r++)
                {
                    for (int y = 0; y < symbols; y++)
                    {
                        Add(r, stack + (char)('0' + y), weight * step.Push[from, r * symbols + y]);
                        Add(r, stack[..^1] + (char)('0' + y), weight * step.Replace[from, r * symbols + y]);
                    }
                    if (stack.Length > 1)
                        Add(r, stack[..^1], weight * step.Pop[from, r]);
                }
            }
            runs = next;
            var reading = new double[states * symbols];
            foreach (var ((state, stack), weight) in runs)
                reading[state * symbols + (stack[^1] - '0')] += weight;
            double total = reading.Sum();
            readings.Add([.. reading.Select(w => w / total)]);
        }
        return readings;
    }

    private static Tensor Batch(double[,] matrix) => tensor(matrix, dtype: ScalarType.Float64).unsqueeze(0);

    private static List<double[]> ProgrammeReadings(IReadOnlyList<Transitions> steps, int states, int symbols, int window)
    {
        var (inner, forward) = NondeterministicStack.Initial(1, states * symbols, CPU);
        var readings = new List<double[]>();
        foreach (var step in steps)
        {
            (inner, forward) = NondeterministicStack.Step(inner, forward, Batch(step.Push), Batch(step.Replace), Batch(step.Pop), window);
            readings.Add(NondeterministicStack.Reading(forward)[0].data<double>().ToArray());
        }
        return readings;
    }

    [Theory]
    [InlineData(1, 2, 6, 11)]
    [InlineData(2, 2, 6, 12)]
    [InlineData(2, 3, 5, 13)]
    [InlineData(3, 1, 6, 14)]
    public void The_reading_is_the_distribution_of_every_run_of_the_pushdown_automaton(int states, int symbols, int length, int seed)
    {
        var random = new Random(seed);
        var steps = Enumerable.Range(0, length).Select(_ => RandomTransitions(random, states, symbols)).ToList();
        var expected = EnumeratedReadings(steps, states, symbols);
        var actual = ProgrammeReadings(steps, states, symbols, window: length + 1);
        for (int t = 0; t < length; t++)
            for (int c = 0; c < states * symbols; c++)
                Assert.True(Math.Abs(expected[t][c] - actual[t][c]) < 1e-12, $"seed {seed}, step {t + 1}, configuration {c}: {actual[t][c]} against {expected[t][c]} by enumeration");
    }

    [Fact]
    public void A_window_keeps_the_exact_stack_on_strings_no_longer_than_it_and_forgets_beyond()
    {
        // Window W = 5 keeps 5 steps: exact for 4 steps, then runs that read ⊥ or a symbol pushed 5 or more steps ago are dropped.
        var random = new Random(21);
        var steps = Enumerable.Range(0, 7).Select(_ => RandomTransitions(random, 2, 2)).ToList();
        var expected = EnumeratedReadings(steps, 2, 2);
        var limited = ProgrammeReadings(steps, 2, 2, window: 5);
        for (int t = 0; t < 4; t++)
            Assert.Equal(expected[t], limited[t], (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.True(expected[6].Zip(limited[6]).Max(pair => Math.Abs(pair.First - pair.Second)) > 1e-6, "the window changes nothing at step 7");
        Assert.All(limited, reading => Assert.Equal(1.0, reading.Sum(), 12));
    }

    [Fact]
    public void The_network_reads_a_stack_of_float64_whatever_its_precision_and_long_strings_stay_finite()
    {
        manual_seed(3);
        var alphabet = Alphabet.FromCharacters("ab");
        using var network = NetworkFactory.Create(alphabet, NeuralArchitecture.Parse("nsrnn:hidden=8,states=2,symbols=2,window=4"));
        var random = new Random(4);
        var symbols = tensor(Enumerable.Range(0, 300).Select(_ => (long)random.Next(2)).ToArray()).view(1, 300);
        using var scores = network.LogProbabilities(symbols);
        Assert.Equal(ScalarType.Float32, scores.dtype);
        Assert.True(isfinite(scores).all().item<bool>(), "a 300-symbol string has a non-finite log probability");
    }
}
