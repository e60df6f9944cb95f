using TorchSharp;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Layers;
using Workbench.Neural.Models;
using Workbench.Neural.Training;
using static TorchSharp.torch;

namespace Workbench.Neural.Tests;

/// <summary>Each knob of the trainer changes what it should: schedules, optimisers, label smoothing, dropout.</summary>
public sealed class TrainerKnobTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("workbench-knobs-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static readonly TrainingOptions Base = new() { Steps = 110, WarmupSteps = 10, LearningRate = 1.0, FinalLearningRateFraction = 0.1 };

    [Theory]
    // After 10 warm-up steps, progress runs over steps 10…109 (99 intervals).
    [InlineData(LearningRateSchedule.Constant, 10, 1.0)]
    [InlineData(LearningRateSchedule.Constant, 109, 1.0)]
    [InlineData(LearningRateSchedule.Linear, 10, 1.0)]
    [InlineData(LearningRateSchedule.Linear, 109, 0.1)]
    [InlineData(LearningRateSchedule.Cosine, 109, 0.1)]
    [InlineData(LearningRateSchedule.WarmupStableDecay, 79, 1.0)]
    [InlineData(LearningRateSchedule.WarmupStableDecay, 109, 0.1)]
    [InlineData(LearningRateSchedule.InverseSqrt, 39, 0.5)]
    [InlineData(LearningRateSchedule.InverseSqrt, 999, 0.1)]
    public void Schedules_follow_their_closed_forms(LearningRateSchedule schedule, long step, double expected)
    {
        var options = Base with { Schedule = schedule, Steps = step == 999 ? 2000 : 110 };
        Assert.Equal(expected, options.LearningRateAt(step), 12);
        Assert.Equal(0.1, options.LearningRateAt(0), 12);   // warm-up: (step + 1)/10 of the peak
    }

    [Fact]
    public void The_cosine_and_linear_midpoints_and_the_decay_window_are_where_they_should_be()
    {
        // Halfway through the decay (progress ½): cosine gives 0.1 + 0.9·½, linear the same; WSD decays only over the last 20%.
        var middle = 10 + 99 / 2.0;
        Assert.Equal(0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * (49.0 / 99))), (Base with { Schedule = LearningRateSchedule.Cosine }).LearningRateAt(59), 12);
        Assert.Equal(0.1 + 0.9 * (1 - 49.0 / 99), (Base with { Schedule = LearningRateSchedule.Linear }).LearningRateAt(59), 12);
        var wsd = Base with { Schedule = LearningRateSchedule.WarmupStableDecay };
        Assert.Equal(1.0, wsd.LearningRateAt((long)middle), 12);
        double progress = (99.0 - 10) / 99;
        Assert.Equal(0.1 + 0.9 * (1 - progress) / 0.2, wsd.LearningRateAt(99), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => (Base with { DecayFraction = 0 }).Validated());
        Assert.Throws<ArgumentOutOfRangeException>(() => (Base with { Momentum = 1 }).Validated());
        Assert.Throws<ArgumentOutOfRangeException>(() => (Base with { LabelSmoothing = 1 }).Validated());
        Assert.Throws<ArgumentOutOfRangeException>(() => (Base with { Dropout = -0.1 }).Validated());
    }

    /// <summary>One step of an optimiser on a fixed batch from a fixed initialisation: the parameters before, after, and their gradients.</summary>
    private static (float[] Before, float[] After, float[] Gradient) OneStep(OptimizerKind kind, double learningRate, double weightDecay, double momentum = 0)
    {
        manual_seed(9);
        var alphabet = Alphabet.FromCharacters("ab");
        using var network = NetworkFactory.Create(alphabet, NeuralArchitecture.Parse("elman:hidden=4,activation=tanh"));
        var options = new TrainingOptions { Optimizer = kind, LearningRate = learningRate, WeightDecay = weightDecay, Momentum = momentum, WarmupSteps = 0, ClipNorm = 1e9, Steps = 10 };
        using var optimizer = Optimizers.Create(network.parameters(), options);
        var batch = SymbolBatch.Create([[0, 1, 1], [1], []], alphabet.Eos, CPU);
        float[] Flat(IEnumerable<Tensor> tensors) => [.. tensors.SelectMany(t => t.detach().cpu().data<float>().ToArray())];
        var before = Flat(network.parameters());
        // The gradient at the initialisation, from the same loss the step uses.
        network.zero_grad();
        TensorFunctions.Loss(OutputProjection.Softmax, network.Scores(batch.Inputs), batch.Targets).masked_select(batch.Mask).mean().backward();
        var gradient = Flat(network.parameters().Select(p => p.grad!));
        Trainer.Step(network, optimizer, batch, options, 0, options.LearningRateAt(0));
        return (before, Flat(network.parameters()), gradient);
    }

    [Fact]
    public void Sgd_moves_by_the_gradient_adam_and_lion_by_its_sign()
    {
        const double rate = 1e-2;
        var (before, after, gradient) = OneStep(OptimizerKind.Sgd, rate, 0);
        for (int i = 0; i < before.Length; i++)
            Assert.Equal(before[i] - rate * gradient[i], after[i], 1e-6);
        // Adam's first step is −η·ĝ/(|ĝ| + ε) ≈ −η·sign(g); Lion's is −η·sign(g) exactly (zero momentum, (1 − β₁)g has g's sign).
        foreach (var kind in new[] { OptimizerKind.Adam, OptimizerKind.Lion })
        {
            (before, after, gradient) = OneStep(kind, rate, 0);
            for (int i = 0; i < before.Length; i++)
                if (Math.Abs(gradient[i]) > 1e-4)
                    Assert.Equal(before[i] - rate * Math.Sign(gradient[i]), after[i], kind == OptimizerKind.Lion ? 1e-6 : 2e-6);
        }
        // Decoupled weight decay shrinks every parameter by η·λ·p on top: Lion with λ = 10 against λ = 0.
        var (_, decayed, _) = OneStep(OptimizerKind.Lion, rate, 10);
        var (start, plain, _) = OneStep(OptimizerKind.Lion, rate, 0);
        for (int i = 0; i < start.Length; i++)
            Assert.Equal(plain[i] - rate * 10 * start[i], decayed[i], 1e-5);
    }

    [Fact]
    public void A_lion_run_killed_midway_resumes_to_the_same_numbers()
    {
        var architecture = NeuralArchitecture.Parse("lstm:hidden=8");
        var options = new TrainingOptions { Steps = 60, BatchSize = 16, LearningRate = 3e-3, WarmupSteps = 5, EvaluateEvery = 20, Seed = 4, Optimizer = OptimizerKind.Lion, Schedule = LearningRateSchedule.WarmupStableDecay };
        var data = SampledTrainingData.Create(TrainingTests.EvenAs(), seed: 4, maxLength: 50, heldOutSize: 100);
        var reference = Trainer.Run(architecture, data, options, Path.Combine(folder, "straight"), CPU);
        using var kill = new CancellationTokenSource();
        var killAt30 = new Progress(p => { if (p.Step == 30) kill.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => Trainer.Run(architecture, data, options, Path.Combine(folder, "killed"), CPU, killAt30, kill.Token));
        var resumed = Trainer.Run(architecture, data, options, Path.Combine(folder, "killed"), CPU);
        Assert.Equal(reference.Evaluations.Select(e => (e.Step, e.TrainingLoss, e.CrossEntropyPerString)), resumed.Evaluations.Select(e => (e.Step, e.TrainingLoss, e.CrossEntropyPerString)));
    }

    [Fact]
    public void Label_smoothing_converges_to_add_lambda_with_lambda_n_eps_over_V_one_minus_eps()
    {
        // A free bigram table of logits (contexts × Σ̄) trained on fixed counts with the smoothed loss reaches, per context seen
        // n times, (c_a + λ)/(n + Vλ) with λ = nε/(V(1 − ε)) (Malagutti et al. 2024), computed here from the counts alone.
        const double epsilon = 0.2;
        int[,] counts = { { 5, 0, 3 }, { 1, 1, 0 }, { 0, 0, 7 } };
        int contexts = counts.GetLength(0), size = counts.GetLength(1);
        var targets = new List<long>();
        var rows = new List<long>();
        for (int c = 0; c < contexts; c++)
            for (int a = 0; a < size; a++)
                for (int k = 0; k < counts[c, a]; k++)
                {
                    rows.Add(c);
                    targets.Add(a);
                }
        var logits = new TorchSharp.Modules.Parameter(zeros(contexts, size));
        var optimizer = optim.Adam([logits], 0.05);
        Tensor rowIndex = tensor(rows.ToArray()), targetIndex = tensor(targets.ToArray());
        for (int step = 0; step < 3000; step++)
        {
            optimizer.zero_grad();
            // The mean over examples weighs each context by its count, as a corpus does.
            TensorFunctions.Loss(OutputProjection.Softmax, logits.index_select(0, rowIndex), targetIndex, epsilon).mean().backward();
            optimizer.step();
        }
        var q = logits.detach().softmax(-1).data<float>().ToArray();
        for (int c = 0; c < contexts; c++)
        {
            int n = Enumerable.Range(0, size).Sum(a => counts[c, a]);
            double lambda = n * epsilon / (size * (1 - epsilon));
            for (int a = 0; a < size; a++)
                Assert.Equal((counts[c, a] + lambda) / (n + size * lambda), q[c * size + a], 3);
        }
        Assert.Throws<ArgumentException>(() => TensorFunctions.Loss(OutputProjection.Sparsemax, logits, targetIndex.narrow(0, 0, 3), 0.1));
    }

    [Fact]
    public void Dropout_zeroes_and_rescales_encodings_in_training_and_does_nothing_in_evaluation()
    {
        manual_seed(2);
        var encodings = ones(200, 50);
        var options = new TrainingOptions { Dropout = 0.5 };
        var dropped = Trainer.TrainingEncodings(encodings, options, training: true).data<float>().ToArray();
        Assert.All(dropped, v => Assert.True(v == 0 || Math.Abs(v - 2) < 1e-6));
        Assert.InRange(dropped.Count(v => v == 0) / 10_000.0, 0.45, 0.55);
        Assert.Equal(encodings.data<float>().ToArray(), Trainer.TrainingEncodings(encodings, options, training: false).data<float>().ToArray());
    }

    private sealed class Progress(Action<TrainingProgress> action) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => action(value);
    }
}
