using Workbench.Automata.Core;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Workbench.Neural.Tests;

public sealed class TrainingTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("workbench-training-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>
    /// A tight deterministic PFSA over {a, b} whose support is the strings with an even number of a's:
    /// state 0 (even) stops with 0.3, reads a (0.3) to state 1 or b (0.4) back; state 1 (odd) reads a (0.6) back
    /// to 0 or b (0.4). Its entropy is exact, so training measures KL against it.
    /// </summary>
    internal static DeterministicPfsaLanguageModel<Real> EvenAs()
    {
        var alphabet = Alphabet.FromCharacters("ab");
        var fsa = new WfsaBuilder<Real>(alphabet).EnsureStates(2)
            .SetInitial(0, Real.One).SetFinal(0, new Real(0.3))
            .AddArc(0, 0, 1, new Real(0.3)).AddArc(0, 1, 0, new Real(0.4))
            .AddArc(1, 0, 0, new Real(0.6)).AddArc(1, 1, 1, new Real(0.4))
            .Build();
        return new DeterministicPfsaLanguageModel<Real>(fsa);
    }

    private static readonly TrainingOptions Short = new()
    {
        Steps = 300, BatchSize = 32, LearningRate = 1e-2, WarmupSteps = 20, EvaluateEvery = 100, Seed = 7,
    };

    [Fact]
    public void An_lstm_learns_a_tight_pfsa_source_to_a_small_kl()
    {
        var data = SampledTrainingData.Create(EvenAs(), seed: 7, maxLength: 200, heldOutSize: 2000);
        var result = Trainer.Run(NeuralArchitecture.Parse("lstm:hidden=16"), data, Short, folder, CPU);
        foreach (var record in result.Evaluations)
            output.WriteLine($"step {record.Step}: CE/symbol {record.CrossEntropyPerSymbol:F4}, KL/symbol {record.KlPerSymbol}");
        var final = result.Evaluations[^1];
        Assert.Equal(300, final.Step);
        Assert.NotNull(final.SourceEntropyPerString);
        Assert.True(final.KlPerSymbol!.Upper < 0.02, $"KL per symbol {final.KlPerSymbol} is not below 0.02 nats");
        Assert.True(File.Exists(result.ModelPath));
    }

    [Fact]
    public void Held_out_strings_are_samples_of_the_source_not_of_the_training_cap()
    {
        // Training at --max-length 2 sees p(· | |y| ≤ 2); KL is measured on samples of p itself, so the source scored
        // against itself gives a per-symbol KL of exactly 0 (the capped held-out set gave log P(|y| ≤ 2) < 0 before).
        var source = EvenAs();
        var data = SampledTrainingData.Create(source, seed: 5, maxLength: 2, heldOutSize: 400);
        Assert.All(data.Batch(0, 200), y => Assert.True(y.Length <= 2));
        Assert.Contains(data.HeldOut, y => y.Length > 2);
        var differences = data.HeldOut.Select(y => source.LogProbability(y) - source.LogProbability(y)).ToArray();
        var perSymbol = Workbench.Formal.Estimation.Estimate.OfRatio(differences, data.HeldOut.Select(y => y.Length + 1.0).ToArray(), 5);
        Assert.Equal(0, perSymbol.Value);
    }

    [Fact]
    public void A_killed_run_resumes_from_its_checkpoint_and_ends_with_the_uninterrupted_numbers()
    {
        var architecture = NeuralArchitecture.Parse("transformer:hidden=16,layers=1,heads=2");
        var options = Short with { Steps = 90, EvaluateEvery = 30 };
        var data = SampledTrainingData.Create(EvenAs(), seed: 3, maxLength: 200, heldOutSize: 300);
        string straight = Path.Combine(folder, "straight"), interrupted = Path.Combine(folder, "interrupted");
        var reference = Trainer.Run(architecture, data, options, straight, CPU);

        using var kill = new CancellationTokenSource();
        var killAtStep45 = new Callback(progress => { if (progress.Step == 45) kill.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => Trainer.Run(architecture, data, options, interrupted, CPU, killAtStep45, kill.Token));
        Assert.Single(Trainer.ReadEvaluations(Path.Combine(interrupted, Trainer.MetricsFile), long.MaxValue));
        var resumed = Trainer.Run(architecture, data, options, interrupted, CPU);

        Assert.Equal(reference.Evaluations.Count, resumed.Evaluations.Count);
        foreach (var (expected, actual) in reference.Evaluations.Zip(resumed.Evaluations))
        {
            Assert.Equal(expected.Step, actual.Step);
            Assert.Equal(expected.Tokens, actual.Tokens);
            Assert.Equal(expected.CrossEntropyPerString, actual.CrossEntropyPerString);
            Assert.Equal(expected.KlPerString!.Value, actual.KlPerString!.Value);
            Assert.Equal(expected.TrainingLoss, actual.TrainingLoss);
        }
    }

    [Fact]
    public void A_diverging_loss_is_reported_with_its_step()
    {
        var data = SampledTrainingData.Create(EvenAs(), seed: 1, maxLength: 200, heldOutSize: 10);
        var options = Short with { LearningRate = 1e30, WarmupSteps = 0, ClipNorm = 1e30, WeightDecay = 0 };
        var error = Assert.Throws<TrainingDivergedException>(() => Trainer.Run(NeuralArchitecture.Parse("elman:hidden=8,activation=relu"), data, options, folder, CPU));
        Assert.Matches("at step [0-9]+", error.Message);
    }

    internal sealed class Callback(Action<TrainingProgress> action) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => action(value);
    }
}
