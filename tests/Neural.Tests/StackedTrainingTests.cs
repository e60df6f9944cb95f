using Workbench.Automata.Core;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Storage;
using Workbench.Neural.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Workbench.Neural.Tests;

/// <summary>
/// Stacked training (issue 15, item 5): K runs trained as one batched model end with the numbers of the K unbatched runs,
/// resume per run after a kill, and refuse the shapes and options they cannot reproduce.
/// </summary>
public sealed class StackedTrainingTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("workbench-stacked-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>A one-state PFSA over {a, b, c}: every symbol 0.3, stop 0.1 (an alphabet larger than EvenAs's, so the stack pads).</summary>
    private static DeterministicPfsaLanguageModel<Real> ThreeSymbols()
    {
        var fsa = new WfsaBuilder<Real>(Alphabet.FromCharacters("abc")).EnsureStates(1)
            .SetInitial(0, Real.One).SetFinal(0, new Real(0.1))
            .AddArc(0, 0, 0, new Real(0.3)).AddArc(0, 1, 0, new Real(0.3)).AddArc(0, 2, 0, new Real(0.3))
            .Build();
        return new DeterministicPfsaLanguageModel<Real>(fsa);
    }

    private static readonly TrainingOptions Options = new()
    {
        Steps = 60, BatchSize = 8, LearningRate = 1e-2, WarmupSteps = 10, EvaluateEvery = 20, Seed = 1,
    };

    /// <summary>Three runs that differ in seed, learning rate, optimiser and source (alphabets of 2 and 3 symbols).</summary>
    private List<StackedJob> Jobs(string architecture, string name) =>
    [
        new(NeuralArchitecture.Parse(architecture), SampledTrainingData.Create(TrainingTests.EvenAs(), seed: 3, maxLength: 30, heldOutSize: 100), Options with { Seed = 3 }, Path.Combine(folder, name, "0")),
        new(NeuralArchitecture.Parse(architecture), SampledTrainingData.Create(ThreeSymbols(), seed: 4, maxLength: 30, heldOutSize: 100), Options with { Seed = 4, LearningRate = 3e-3, Optimizer = OptimizerKind.Sgd }, Path.Combine(folder, name, "1")),
        new(NeuralArchitecture.Parse(architecture), SampledTrainingData.Create(TrainingTests.EvenAs(), seed: 5, maxLength: 30, heldOutSize: 100), Options with { Seed = 5, LearningRate = 2e-2, Schedule = LearningRateSchedule.Constant }, Path.Combine(folder, name, "2")),
    ];

    private static IReadOnlyList<TrainingResult> Unbatched(IEnumerable<StackedJob> jobs, string suffix) =>
        [.. jobs.Select(job => Trainer.Run(job.Architecture, job.Data, job.Options, job.OutputDirectory + suffix, CPU))];

    [Theory]
    [InlineData("elman:hidden=6,activation=sigmoid,dtype=float64")]
    [InlineData("lstm:hidden=6,layers=2,dtype=float64")]
    [InlineData("gru:hidden=6,layers=2,dtype=float64")]
    [InlineData("rnn:hidden=6,layers=3,dtype=float64")]
    public void Stacked_encodings_are_each_networks_own_encodings(string architecture)
    {
        var spec = NeuralArchitecture.Parse(architecture);
        var networks = new[] { "ab", "abc" }.Select((letters, k) => { manual_seed(10 + k); return Models.NetworkFactory.Create(Alphabet.FromCharacters(letters), spec); }).ToArray();
        var symbols = new[] { tensor(new long[] { 0, 1, 1, 0, 1, 0, 0, 0 }).view(2, 4), tensor(new long[] { 2, 1, 0, 2, 0, 2, 1, 1 }).view(2, 4) };
        var stacked = Enumerable.Range(0, networks[0].Stackable!.EncoderWeights.Count)
            .Select(i => Models.StackedTensors.Stack([.. networks.Select(n => n.Stackable!.EncoderWeights[i])])).ToArray();
        Tensor encodings = networks[0].Stackable!.EncodeStacked(stacked, stack(symbols, 0));
        encodings.square().sum().backward();
        var stackedGradients = networks.Select(n => n.parameters().Select(p => p.grad?.clone()).ToArray()).ToArray();
        for (int k = 0; k < networks.Length; k++)
        {
            networks[k].zero_grad();
            Tensor own = networks[k].Encode(symbols[k]);
            double difference = (encodings[k] - own).abs().max().item<double>();
            Assert.True(difference < 1e-12, $"network {k}: the stacked encodings differ by {difference}");
            own.square().sum().backward();
            foreach (var (parameter, gradient) in networks[k].parameters().Zip(stackedGradients[k]))
            {
                double gap = parameter.grad is null ? gradient is null ? 0 : gradient.abs().max().item<double>() : (parameter.grad - gradient!).abs().max().item<double>();
                Assert.True(gap < 1e-12, $"network {k}: a gradient of shape [{string.Join(", ", parameter.shape)}] differs by {gap}");
            }
        }
    }

    [Theory]
    [InlineData("elman:hidden=12,activation=tanh,dtype=float64", 1e-9, 1e-9)]
    [InlineData("elman:hidden=12,activation=relu,tie=true,dtype=float64", 1e-9, 1e-9)]
    [InlineData("lstm:hidden=10,layers=2,dtype=float64", 1e-9, 1e-9)]
    [InlineData("gru:hidden=10,dtype=float64", 1e-9, 1e-9)]
    [InlineData("rnn:hidden=10,layers=2,dtype=float64", 1e-9, 1e-9)]
    [InlineData("elman:hidden=16,activation=tanh", 1e-4, 1e-3)] // float32: the batched products round differently
    [InlineData("lstm:hidden=16", 1e-4, 1e-3)]
    public void A_stack_ends_with_the_numbers_of_its_unbatched_runs(string architecture, double lossTolerance, double weightTolerance)
    {
        var jobs = Jobs(architecture, "stack");
        var stacked = StackedTrainer.Run(jobs, CPU);
        var alone = Unbatched(jobs, "-alone");
        for (int k = 0; k < jobs.Count; k++)
            AssertSameRun(alone[k], stacked[k], lossTolerance, weightTolerance);
    }

    [Fact]
    public void A_killed_stack_resumes_each_run_from_its_own_checkpoint()
    {
        var jobs = Jobs("lstm:hidden=8,dtype=float64", "killed");
        using var kill = new CancellationTokenSource();
        // Run 0 alone reaches step 20 first, so the stack starts with its runs at different steps; the kill comes at step 50 of run 2.
        Assert.Throws<OperationCanceledException>(() => Trainer.Run(jobs[0].Architecture, jobs[0].Data, jobs[0].Options, jobs[0].OutputDirectory, CPU,
            new TrainingTests.Callback(p => { if (p.Step == 25) kill.Cancel(); }), kill.Token));
        using var secondKill = new CancellationTokenSource();
        var killing = jobs.Select((job, k) => k == 2 ? job with { Progress = new TrainingTests.Callback(p => { if (p.Step == 50) secondKill.Cancel(); }) } : job).ToList();
        Assert.Throws<OperationCanceledException>(() => StackedTrainer.Run(killing, CPU, secondKill.Token));
        var resumed = StackedTrainer.Run(jobs, CPU);
        var alone = Unbatched(jobs, "-alone");
        for (int k = 0; k < jobs.Count; k++)
            AssertSameRun(alone[k], resumed[k], lossTolerance: 1e-9, weightTolerance: 1e-9);
    }

    [Fact]
    public void Runs_that_are_done_drop_out_and_early_stopping_stays_per_run()
    {
        var jobs = Jobs("elman:hidden=8,dtype=float64", "uneven");
        jobs[1] = jobs[1] with { Options = jobs[1].Options with { Steps = 20 } };
        jobs[2] = jobs[2] with { Options = jobs[2].Options with { Patience = 1, LearningRate = 0.5, Schedule = LearningRateSchedule.Constant } };
        var stacked = StackedTrainer.Run(jobs, CPU);
        var alone = Unbatched(jobs, "-alone");
        Assert.Equal(20, stacked[1].Evaluations[^1].Step);
        for (int k = 0; k < jobs.Count; k++)
        {
            Assert.Equal(alone[k].StoppedEarly, stacked[k].StoppedEarly);
            AssertSameRun(alone[k], stacked[k], lossTolerance: 1e-9, weightTolerance: 1e-9);
        }
    }

    [Theory]
    [InlineData("transformer:hidden=8,layers=1,heads=2", 0.0, "Transformer")]
    [InlineData("stackrnn:hidden=8", 0.0, "StackRnn")]
    [InlineData("lstm:hidden=8", 0.1, "dropout")]
    public void Shapes_and_options_a_stack_cannot_reproduce_are_refused(string architecture, double dropout, string reason)
    {
        var jobs = Jobs(architecture, "refused").Select(job => job with { Options = job.Options with { Dropout = dropout } }).ToList();
        var refusal = Assert.Throws<ArgumentException>(() => StackedTrainer.Run(jobs, CPU));
        Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(jobs[0].OutputDirectory), "a refused stack must not start any run");
    }

    [Fact]
    public void Different_architectures_and_sparsemax_over_unequal_alphabets_are_refused()
    {
        var jobs = Jobs("elman:hidden=8", "mixed");
        jobs[1] = jobs[1] with { Architecture = NeuralArchitecture.Parse("elman:hidden=9") };
        Assert.Contains("one architecture", Assert.Throws<ArgumentException>(() => StackedTrainer.Run(jobs, CPU)).Message, StringComparison.Ordinal);
        var sparse = Jobs("elman:hidden=8,output=sparsemax", "sparse");
        Assert.Contains("alphabets of 2 and 3", Assert.Throws<ArgumentException>(() => StackedTrainer.Run(sparse, CPU)).Message, StringComparison.Ordinal);
        var equalAlphabets = new List<StackedJob> { sparse[0], sparse[2] };
        var stacked = StackedTrainer.Run(equalAlphabets, CPU);
        var alone = Unbatched(equalAlphabets, "-alone");
        for (int k = 0; k < equalAlphabets.Count; k++)
            AssertSameRun(alone[k], stacked[k], lossTolerance: 1e-4, weightTolerance: 1e-3);
    }

    private void AssertSameRun(TrainingResult expected, TrainingResult actual, double lossTolerance, double weightTolerance)
    {
        Assert.Equal(expected.Evaluations.Select(e => e.Step), actual.Evaluations.Select(e => e.Step));
        Assert.Equal(expected.Evaluations.Select(e => e.Tokens), actual.Evaluations.Select(e => e.Tokens));
        foreach (var (e, a) in expected.Evaluations.Zip(actual.Evaluations))
        {
            output.WriteLine($"step {e.Step}: training loss {e.TrainingLoss:R} vs {a.TrainingLoss:R}, held-out CE/symbol {e.CrossEntropyPerSymbol:R} vs {a.CrossEntropyPerSymbol:R}");
            Assert.True(Math.Abs(e.TrainingLoss - a.TrainingLoss) <= lossTolerance, $"training loss {a.TrainingLoss} vs {e.TrainingLoss} at step {e.Step}");
            Assert.True(Math.Abs(e.CrossEntropyPerSymbol - a.CrossEntropyPerSymbol) <= lossTolerance, $"held-out CE {a.CrossEntropyPerSymbol} vs {e.CrossEntropyPerSymbol} at step {e.Step}");
        }
        using var expectedModel = ModelFile.Load(expected.ModelPath);
        using var actualModel = ModelFile.Load(actual.ModelPath);
        var actualParameters = actualModel.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in expectedModel.named_parameters())
        {
            double difference = (parameter - actualParameters[name]).abs().max().to(ScalarType.Float64).item<double>();
            Assert.True(difference <= weightTolerance, $"{name} differs by {difference}");
        }
    }
}
