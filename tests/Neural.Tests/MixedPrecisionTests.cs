using TorchSharp;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Layers;
using Workbench.Neural.Models;
using Workbench.Neural.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Workbench.Neural.Tests;

/// <summary>
/// bfloat16 mixed precision: the passes run in bfloat16, the update lands on float32 master weights, and a run with it ends
/// near the float32 run of the same seed (and resumes exactly, like any run).
/// </summary>
public sealed class MixedPrecisionTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("workbench-mixed-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static float[] Flat(IEnumerable<Tensor> tensors) => [.. tensors.SelectMany(t => t.detach().to(ScalarType.Float32).cpu().data<float>().ToArray())];

    [Fact]
    public void An_sgd_step_applies_the_bfloat16_gradient_to_float32_master_weights()
    {
        var alphabet = Alphabet.FromCharacters("abc");
        var architecture = NeuralArchitecture.Parse("lstm:hidden=8");
        manual_seed(11);
        using var network = NetworkFactory.Create(alphabet, architecture);
        var batch = SymbolBatch.Create([[0, 1, 2, 2, 1], [2], [], [1, 0]], alphabet.Eos, CPU);
        Tensor Loss(SequenceModel model) =>
            TensorFunctions.Loss(OutputProjection.Softmax, model.Scores(batch.Inputs).to(ScalarType.Float32), batch.Targets).masked_select(batch.Mask).mean();

        // The gradient an independent bfloat16 network with the same weights computes, and the float32 one.
        using var reference = NetworkFactory.Create(alphabet, architecture);
        reference.load_state_dict(network.state_dict());
        reference.to(ScalarType.BFloat16);
        Loss(reference).backward();
        float[] lowGradient = Flat(reference.parameters().Select(p => p.grad!));
        network.zero_grad();
        Loss(network).backward();
        float[] fullGradient = Flat(network.parameters().Select(p => p.grad!));
        network.zero_grad();

        const double rate = 1e-3;
        var options = new TrainingOptions { Optimizer = OptimizerKind.Sgd, Momentum = 0, LearningRate = rate, WeightDecay = 0, WarmupSteps = 0, ClipNorm = 1e9, Steps = 10 };
        using var optimizer = Optimizers.Create(network.parameters(), options);
        using var copy = new MixedPrecisionCopy(network, ScalarType.BFloat16);
        float[] before = Flat(network.parameters());
        Trainer.Step(network, optimizer, batch, options, 0, options.LearningRateAt(0), copy);
        float[] after = Flat(network.parameters());

        Assert.All(network.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.All(copy.Working.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        int belowResolution = 0;
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i] - (float)(rate * lowGradient[i]), after[i], 1e-7f);
            // bfloat16 keeps 8 significant bits: a step below half an ulp of the weight would vanish in a bfloat16 weight.
            if (lowGradient[i] != 0 && rate * Math.Abs(lowGradient[i]) < Math.Abs(before[i]) * Math.Pow(2, -9) && after[i] != before[i])
                belowResolution++;
        }
        Assert.True(belowResolution > before.Length / 2, $"only {belowResolution} of {before.Length} updates were below bfloat16's resolution and kept");

        // The passes really ran in bfloat16: the gradient is near the float32 one but not equal to it.
        double difference = Math.Sqrt(lowGradient.Zip(fullGradient, (l, f) => (double)(l - f) * (l - f)).Sum());
        double norm = Math.Sqrt(fullGradient.Sum(f => (double)f * f));
        output.WriteLine($"relative gradient difference bfloat16 vs float32: {difference / norm:E3}");
        Assert.InRange(difference / norm, 1e-4, 5e-2);
    }

    [Fact]
    public void A_bfloat16_run_ends_near_the_float32_run_of_its_seed_and_resumes_exactly()
    {
        var architecture = NeuralArchitecture.Parse("lstm:hidden=16");
        var data = SampledTrainingData.Create(TrainingTests.EvenAs(), seed: 7, maxLength: 200, heldOutSize: 1000);
        var full = new TrainingOptions { Steps = 240, BatchSize = 32, LearningRate = 1e-2, WarmupSteps = 20, EvaluateEvery = 80, Seed = 7 };
        var mixed = full with { Precision = TrainingPrecision.BFloat16 };
        var fullRun = Trainer.Run(architecture, data, full, Path.Combine(folder, "full"), CPU);
        var mixedRun = Trainer.Run(architecture, data, mixed, Path.Combine(folder, "mixed"), CPU);
        double fullKl = fullRun.Evaluations[^1].KlPerSymbol!.Value, mixedKl = mixedRun.Evaluations[^1].KlPerSymbol!.Value;
        output.WriteLine($"KL per symbol after 240 steps: float32 {fullKl:F5}, bfloat16 mixed {mixedKl:F5}");
        Assert.NotEqual(fullRun.Evaluations[^1].TrainingLoss, mixedRun.Evaluations[^1].TrainingLoss);
        Assert.True(mixedKl < 0.03, $"the bfloat16 run's KL per symbol {mixedKl} is not below 0.03 nats");
        Assert.True(Math.Abs(mixedKl - fullKl) < 0.01, $"bfloat16 {mixedKl} and float32 {fullKl} are more than 0.01 nats apart");

        string interrupted = Path.Combine(folder, "interrupted");
        using var kill = new CancellationTokenSource();
        var killAtStep100 = new Progress(step => { if (step == 100) kill.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => Trainer.Run(architecture, data, mixed, interrupted, CPU, killAtStep100, kill.Token));
        var resumed = Trainer.Run(architecture, data, mixed, interrupted, CPU);
        Assert.Equal(mixedRun.Evaluations.Select(e => (e.Step, e.TrainingLoss, e.CrossEntropyPerString)), resumed.Evaluations.Select(e => (e.Step, e.TrainingLoss, e.CrossEntropyPerString)));
    }

    [Fact]
    public void The_copy_takes_the_buffers_and_leaves_the_generator_where_it_was()
    {
        var alphabet = Alphabet.FromCharacters("ab");
        using var network = NetworkFactory.Create(alphabet, NeuralArchitecture.Parse("elman:hidden=4"));
        using (no_grad())
            ((ElmanNetwork)network).InitialHidden.fill_(0.25);
        manual_seed(21);
        Tensor expected = rand(8);
        manual_seed(21);
        using var copy = new MixedPrecisionCopy(network, ScalarType.BFloat16);
        Assert.True(rand(8).allclose(expected, rtol: 0, atol: 0), "building the copy moved libtorch's generator");
        Assert.Equal(0.25f, ((ElmanNetwork)copy.Working).InitialHidden.to(ScalarType.Float32).data<float>().ToArray()[0]);
        Assert.Throws<ArgumentNullException>(() => new MixedPrecisionCopy(null!, ScalarType.BFloat16));
    }

    [Fact]
    public void Recognizer_training_refuses_mixed_precision()
    {
        var alphabet = Alphabet.FromCharacters("ab");
        var example = new Recognition.RecognitionExample([0, 1], true, null);
        var exception = Assert.Throws<ArgumentException>(() => Recognition.RecognizerTrainer.Run(
            NeuralArchitecture.Parse("lstm:hidden=4"), alphabet, [example], [example], new Recognition.RecognitionLosses(),
            new TrainingOptions { Precision = TrainingPrecision.BFloat16 }, folder, CPU));
        Assert.Contains("mixed precision", exception.Message, StringComparison.Ordinal);
    }

    private sealed class Progress(Action<long> action) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => action(value.Step);
    }
}
