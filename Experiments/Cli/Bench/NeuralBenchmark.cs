using System.Diagnostics;
using TorchSharp;
using Workbench.Formal.Symbols;
using Workbench.Neural;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;
using Workbench.Neural.Training;
using static TorchSharp.torch;

namespace Workbench.Experiments.Cli.Bench;

/// <summary>
/// Neural LM throughput: training tokens/s and achieved GFLOP/s of an LSTM and a transformer on fixed-size
/// batches of random strings, against the measured float32 matrix-multiply peak of the device; and the
/// time per generated symbol of incremental decoding as the context grows (flat for an RNN, linear for a
/// transformer with a KV cache; the median of 64 steps at each context length). FLOPs are counted analytically (multiply-add = 2 FLOPs; backward = 2×
/// forward), by <see cref="ModelSize.ForwardFlopsPerToken"/>: LSTM 16·D² per token and layer, transformer 24·d² + 4·T·d per
/// token and layer, plus the output layer 2·D·|Σ̄|.
/// </summary>
internal static class NeuralBenchmark
{
    internal sealed record TrainingPoint(string Model, int Batch, int Length, double TokensPerSecond, double GflopPerSecond, double SecondsPerStep);

    internal sealed record DecodingPoint(string Model, int Context, double MillisecondsPerSymbol);

    internal sealed record Result(string Device, int Threads, double MatmulPeakGflops, IReadOnlyList<TrainingPoint> Training, IReadOnlyList<DecodingPoint> Decoding);

    public static Result Run(Device device, int symbols, int batch, int length, int steps, int[] contexts, IReadOnlyList<NeuralArchitecture> architectures, Action<string> progress)
    {
        var alphabet = new Alphabet(Enumerable.Range(0, symbols).Select(i => Invariant($"s{i}")));
        progress("matrix-multiply peak (float32, 2048 × 2048)");
        double peak = MatmulPeak(device);
        var training = new List<TrainingPoint>();
        var decoding = new List<DecodingPoint>();
        foreach (var architecture in architectures)
        {
            progress(Invariant($"training {architecture}"));
            training.Add(Train(alphabet, architecture, device, batch, length, steps));
            progress(Invariant($"incremental decoding {architecture}"));
            decoding.AddRange(Decode(alphabet, architecture, device, contexts));
        }
        return new Result(device.type.ToString(), get_num_threads(), peak, training, decoding);
    }

    private static double MatmulPeak(Device device)
    {
        const int size = 2048;
        using var scope = NewDisposeScope();
        var a = randn(size, size, device: device);
        var b = randn(size, size, device: device);
        a.matmul(b).sum().ToSingle();
        const int repetitions = 10;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < repetitions; i++)
            a.matmul(b).sum().ToSingle();
        return repetitions * 2.0 * size * size * size / clock.Elapsed.TotalSeconds / 1e9;
    }

    private static TrainingPoint Train(Alphabet alphabet, NeuralArchitecture architecture, Device device, int batch, int length, int steps)
    {
        manual_seed(1);
        using var network = NetworkFactory.Create(alphabet, architecture).MoveTo(device);
        var options = new TrainingOptions { Steps = steps + 2, WarmupSteps = 0, LearningRate = 1e-3 };
        using var optimizer = Optimizers.Create(network.parameters(), options);
        var random = new Random(1);
        int[][] strings = Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, length).Select(_ => random.Next(alphabet.Size)).ToArray()).ToArray();
        using var scope = NewDisposeScope();
        var data = SymbolBatch.Create(strings, alphabet.Eos, device);
        for (int step = 0; step < 2; step++)
            Trainer.Step(network, optimizer, data, options, step, options.LearningRateAt(step));
        var clock = Stopwatch.StartNew();
        for (int step = 0; step < steps; step++)
            Trainer.Step(network, optimizer, data, options, step + 2, options.LearningRateAt(step + 2));
        double seconds = clock.Elapsed.TotalSeconds / steps;
        double tokens = (double)data.Symbols;
        return new TrainingPoint(architecture.ToString(), batch, length, tokens / seconds, 3 * ForwardFlopsPerToken(architecture, alphabet, length + 1) * tokens / seconds / 1e9, seconds);
    }

    // Forward FLOPs per token: the layers, the output layer and the attention or memory work (ModelSize.ForwardFlopsPerToken).
    private static double ForwardFlopsPerToken(NeuralArchitecture architecture, Alphabet alphabet, int positions)
    {
        var (layers, output, unparameterised) = ModelSize.ForwardFlopsPerToken(architecture, alphabet.SizeWithEos, positions);
        return layers + output + unparameterised;
    }

    private static IEnumerable<DecodingPoint> Decode(Alphabet alphabet, NeuralArchitecture architecture, Device device, int[] contexts)
    {
        manual_seed(1);
        var model = new NeuralLanguageModel(NetworkFactory.Create(alphabet, architecture).MoveTo(device));
        var next = new double[alphabet.SizeWithEos];
        var state = model.InitialState;
        int position = 0;
        const int window = 64;
        var times = new double[window];
        foreach (int context in contexts.Order())
        {
            while (position < context)
                state = model.Advance(state, position++ % alphabet.Size);
            for (int i = 0; i < window; i++)
            {
                long start = Stopwatch.GetTimestamp();
                model.NextLogProbabilities(state, next);
                state = model.Advance(state, position++ % alphabet.Size);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            Array.Sort(times);
            yield return new DecodingPoint(architecture.ToString(), context, times[window / 2]);
        }
    }
}
