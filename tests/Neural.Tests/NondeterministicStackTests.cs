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

    [Theory]
    [InlineData(3, 20)]
    [InlineData(4, 21)]
    [InlineData(5, 22)]
    public void A_window_of_W_steps_keeps_the_exact_stack_for_W_minus_1_symbols_and_forgets_at_the_next(int window, int seed)
    {
        // Window W keeps W steps: exact for W − 1 steps; at step W the empty-stack step −1 leaves the window, and the runs
        // that pop ⊥ there, or read a symbol pushed W or more steps ago later, are dropped.
        var random = new Random(seed);
        var steps = Enumerable.Range(0, window + 3).Select(_ => RandomTransitions(random, 2, 2)).ToList();
        var expected = EnumeratedReadings(steps, 2, 2);
        var limited = ProgrammeReadings(steps, 2, 2, window);
        for (int t = 0; t < window - 1; t++)
            Assert.Equal(expected[t], limited[t], (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.True(expected[window - 1].Zip(limited[window - 1]).Max(pair => Math.Abs(pair.First - pair.Second)) > 1e-9,
            $"a window of {window} changes nothing at step {window}");
        Assert.All(limited, reading => Assert.Equal(1.0, reading.Sum(), 12));
    }

    [Fact]
    public void The_stack_refuses_no_configuration_and_a_window_without_room_for_a_push()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NondeterministicStack.Initial(1, 0, CPU));
        var (inner, forward) = NondeterministicStack.Initial(1, 1, CPU);
        using var one = ones(1, 1, 1, dtype: ScalarType.Float64);
        Assert.Throws<ArgumentOutOfRangeException>(() => NondeterministicStack.Step(inner, forward, one, one, one, window: 1));
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

    [Fact]
    public void The_network_is_the_documented_recurrence_over_the_stack_its_transitions_move()
    {
        // hₜ = tanh(W_h hₜ₋₁ + b + e(yₜ) + W_r rₜ₋₁), then per configuration a softmax over P pushes, P replacements and
        // |Q| pops, written here with arrays from the parameters; only the stack itself is the (enumeration-tested) programme.
        manual_seed(11);
        const int states = 2, symbols = 2, hidden = 5, configurations = states * symbols, kinds = 2 * configurations + states;
        var alphabet = Alphabet.FromCharacters("ab");
        using var network = NetworkFactory.Create(alphabet, NeuralArchitecture.Parse($"nsrnn:hidden={hidden},states={states},symbols={symbols},window=8,dtype=float64"));
        var parameters = network.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().contiguous().data<double>().ToArray());
        double[] embedding = parameters["embedding.weight"], recurrence = parameters["recurrence.weight"], bias = parameters["recurrence.bias"];
        double[] read = parameters["stackRead.weight"], transitions = parameters["transitions.weight"], transitionBias = parameters["transitions.bias"];
        int[] input = [1, 0, 0, 1];
        using var encodings = network.Encode(tensor(input.Select(a => (long)a).ToArray()).view(1, input.Length));

        var h = new double[hidden];
        var (inner, forward) = NondeterministicStack.Initial(1, configurations, CPU);
        for (int t = 0; t < input.Length; t++)
        {
            double[] reading = NondeterministicStack.Reading(forward)[0].data<double>().ToArray();
            var next = new double[hidden];
            for (int i = 0; i < hidden; i++)
            {
                double sum = bias[i] + embedding[input[t] * hidden + i];
                for (int j = 0; j < hidden; j++) sum += recurrence[i * hidden + j] * h[j];
                for (int c = 0; c < configurations; c++) sum += read[i * configurations + c] * reading[c];
                next[i] = Math.Tanh(sum);
            }
            h = next;
            for (int i = 0; i < hidden; i++)
                Assert.Equal(h[i], encodings[0, t + 1, i].item<double>(), 12);
            var push = new double[configurations, configurations];
            var replace = new double[configurations, configurations];
            var pop = new double[configurations, states];
            for (int c = 0; c < configurations; c++)
            {
                var scores = new double[kinds];
                for (int k = 0; k < kinds; k++)
                {
                    int row = c * kinds + k;
                    scores[k] = transitionBias[row] + Enumerable.Range(0, hidden).Sum(j => transitions[row * hidden + j] * h[j]);
                }
                double total = scores.Sum(x => Math.Exp(x));
                for (int d = 0; d < configurations; d++)
                {
                    push[c, d] = Math.Exp(scores[d]) / total;
                    replace[c, d] = Math.Exp(scores[configurations + d]) / total;
                }
                for (int r = 0; r < states; r++) pop[c, r] = Math.Exp(scores[2 * configurations + r]) / total;
            }
            (inner, forward) = NondeterministicStack.Step(inner, forward, Batch(push), Batch(replace), Batch(pop), 9);
        }
    }

    [Fact]
    public void The_network_keeps_its_window_of_steps_and_counts_its_symbols()
    {
        // Equal seeds give equal parameters (the window shapes none): a window of 4 is exact on 4 symbols, so it matches a
        // window of 30 there, and it forgets on 9.
        var alphabet = Alphabet.FromCharacters("ab");
        SequenceModel Create(int window)
        {
            manual_seed(12);
            return NetworkFactory.Create(alphabet, NeuralArchitecture.Parse($"nsrnn:hidden=6,states=2,symbols=2,window={window},dtype=float64"));
        }
        using var narrow = Create(4);
        using var wide = Create(30);
        var random = new Random(13);
        Tensor String(int length) => tensor(Enumerable.Range(0, length).Select(_ => (long)random.Next(2)).ToArray()).view(1, length);
        var shortString = String(4);
        var longString = String(9);
        Assert.True(narrow.LogProbabilities(shortString).allclose(wide.LogProbabilities(shortString), rtol: 0, atol: 1e-12), "a window of 4 is not exact on 4 symbols");
        Assert.False(narrow.LogProbabilities(longString).allclose(wide.LogProbabilities(longString), rtol: 0, atol: 1e-9), "a window of 4 remembers 9 symbols");

        var state = narrow.Start();
        foreach (int symbol in new[] { 0, 1, 1 }) state = narrow.Step(state, symbol);
        Assert.Equal(3, state.Length);
        Assert.Throws<ArgumentException>(() => new NondeterministicStackRnnNetwork(alphabet, NeuralArchitecture.Parse("lstm:hidden=6")));
    }

    [Fact]
    public void Scoring_without_a_graph_frees_each_step_and_gives_the_same_scores()
    {
        manual_seed(14);
        var alphabet = Alphabet.FromCharacters("ab");
        using var network = NetworkFactory.Create(alphabet, NeuralArchitecture.Parse("nsrnn:hidden=6,states=2,symbols=2,window=6,dtype=float64"));
        var random = new Random(15);
        var symbols = tensor(Enumerable.Range(0, 3 * 20).Select(_ => (long)random.Next(2)).ToArray()).view(3, 20);
        using var recorded = network.LogProbabilities(symbols);
        Assert.True(recorded.requires_grad, "scores with gradients enabled carry no graph");
        using var scored = WithoutGradients(() => network.LogProbabilities(symbols));
        Assert.True(recorded.detach().allclose(scored, rtol: 0, atol: 0), "scoring without a graph changes the scores");
    }

    private static Tensor WithoutGradients(Func<Tensor> compute)
    {
        using var _ = no_grad();
        return compute();
    }
}
