using Workbench.Neural.Architecture;
using Workbench.Neural.Training;
using static TorchSharp.torch;

namespace Workbench.Neural.Tests;

/// <summary>
/// Plateau cuts of the learning rate (Butoi et al. 2025's "halve the rate after 5 checkpoints without improvement", PyTorch's
/// ReduceLROnPlateau with threshold 0): the rule on hand-worked loss sequences, and a training run whose recorded rates follow
/// the rule, cut at least once, and resume after a kill to the same numbers.
/// </summary>
public sealed class PlateauCutTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("workbench-plateau-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    // Patience 2, factor 0.5, worked by hand: the first evaluation improves; the third stalled one in a row cuts and restarts
    // the count; an improvement restarts it too; ties do not improve.
    [Theory]
    [InlineData(new[] { 1.0, 1.1, 1.2, 1.3 }, new[] { 1.0, 1.0, 1.0, 0.5 }, new[] { 0, 1, 2, 0 })]
    [InlineData(new[] { 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0 }, new[] { 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25 }, new[] { 0, 1, 2, 0, 1, 2, 0 })]
    [InlineData(new[] { 3.0, 4.0, 4.0, 2.0, 5.0, 5.0, 1.0, 5.0 }, new[] { 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0 }, new[] { 0, 1, 2, 0, 1, 2, 0, 1 })]
    [InlineData(new[] { 2.0, 3.0, 3.0, 3.0, 1.0, 3.0, 3.0, 3.0 }, new[] { 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25 }, new[] { 0, 1, 2, 0, 0, 1, 2, 0 })]
    public void The_rate_is_cut_once_more_than_patience_evaluations_in_a_row_stall(double[] heldOut, double[] scales, int[] onPlateau)
    {
        var options = new TrainingOptions { LearningRatePatience = 2, LearningRateDecayFactor = 0.5 };
        var position = TrainingPosition.Start;
        for (int k = 0; k < heldOut.Length; k++)
        {
            position = position.AfterEvaluation(heldOut[k], options);
            Assert.Equal(scales[k], position.LearningRateScale);
            Assert.Equal(onPlateau[k], position.EvaluationsOnPlateau);
        }
    }

    [Fact]
    public void Without_a_plateau_patience_the_rate_is_never_cut_and_early_stopping_counts_as_before()
    {
        var position = TrainingPosition.Start;
        foreach (double loss in new[] { 1.0, 2, 2, 2, 2, 2, 2, 2 })
            position = position.AfterEvaluation(loss, new TrainingOptions());
        Assert.Equal(1.0, position.LearningRateScale);
        Assert.Equal(7, position.EvaluationsSinceBest);
        Assert.Equal(1.0, position.BestHeldOut);
    }

    [Theory]
    [InlineData(-1, 0.5)]
    [InlineData(5, 0.0)]
    [InlineData(5, 1.0)]
    [InlineData(5, double.NaN)]
    public void Out_of_range_plateau_knobs_are_refused(int patience, double factor) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { LearningRatePatience = patience, LearningRateDecayFactor = factor }.Validated());

    [Fact]
    public void A_training_run_cuts_its_rate_on_plateaus_by_the_rule_and_resumes_after_a_kill_to_the_same_numbers()
    {
        var architecture = NeuralArchitecture.Parse("lstm:hidden=8");
        var options = new TrainingOptions
        {
            Steps = 80, BatchSize = 8, LearningRate = 0.05, WarmupSteps = 0, EvaluateEvery = 2, Seed = 5, Schedule = LearningRateSchedule.Constant,
            LearningRatePatience = 1, LearningRateDecayFactor = 0.5,
        };
        var data = SampledTrainingData.Create(TrainingTests.EvenAs(), seed: 5, maxLength: 50, heldOutSize: 100);
        var straight = Trainer.Run(architecture, data, options, Path.Combine(folder, "straight"), CPU).Evaluations;

        var cutSteps = AssertRatesFollowTheRule(straight.Select(e => (e.Step, e.LearningRate, e.CrossEntropyPerSymbol)), peak: 0.05, patience: 1, factor: 0.5);
        Assert.True(cutSteps.Count >= 2, $"the run cut its rate {cutSteps.Count} times; the test needs plateaus to check the rule");
        long firstCutStep = cutSteps[0];

        // Killed after the first cut and resumed, the run continues at the cut rate.
        using var kill = new CancellationTokenSource();
        var killAfterCut = new TrainingTests.Callback(p => { if (p.Step == firstCutStep + 3) kill.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => Trainer.Run(architecture, data, options, Path.Combine(folder, "killed"), CPU, killAfterCut, kill.Token));
        var resumed = Trainer.Run(architecture, data, options, Path.Combine(folder, "killed"), CPU).Evaluations;
        Assert.Equal(straight.Select(e => (e.Step, e.LearningRate, e.TrainingLoss, e.CrossEntropyPerSymbol)), resumed.Select(e => (e.Step, e.LearningRate, e.TrainingLoss, e.CrossEntropyPerSymbol)));
    }

    [Fact]
    public void A_metrics_line_torn_by_a_kill_is_left_out_and_a_damaged_complete_line_is_refused_by_line()
    {
        var data = SampledTrainingData.Create(TrainingTests.EvenAs(), seed: 6, maxLength: 20, heldOutSize: 20);
        var options = new TrainingOptions { Steps = 20, BatchSize = 4, WarmupSteps = 0, EvaluateEvery = 10, Seed = 6 };
        string run = Path.Combine(folder, "torn"), metrics = Path.Combine(run, Trainer.MetricsFile);
        var straight = Trainer.Run(NeuralArchitecture.Parse("elman:hidden=4"), data, options, run, CPU).Evaluations;
        string text = File.ReadAllText(metrics);
        File.WriteAllText(metrics, text + text[..(text.IndexOf('\n') / 2)]);
        Assert.Equal(straight.Select(e => e.Step), Trainer.ReadEvaluations(metrics, long.MaxValue).Select(e => e.Step));
        File.WriteAllText(metrics, text + "{\"step\": oops}\n");
        var error = Assert.Throws<Formal.Errors.ParseException>(() => Trainer.ReadEvaluations(metrics, long.MaxValue));
        Assert.Contains(metrics + ":3:", error.Message);
    }

    /// <summary>
    /// Replays the rule on a run's records (step, recorded rate, held-out loss), with its own bookkeeping: each record's rate
    /// must be the peak times factor per cut before it. Returns the steps of the evaluations that cut.
    /// </summary>
    internal static List<long> AssertRatesFollowTheRule(IEnumerable<(long Step, double Rate, double HeldOut)> records, double peak, int patience, double factor)
    {
        double best = double.PositiveInfinity, scale = 1;
        int stalled = 0;
        var cuts = new List<long>();
        foreach (var (step, rate, heldOut) in records)
        {
            Assert.Equal(peak * scale, rate, 15);
            if (heldOut < best)
                (best, stalled) = (heldOut, 0);
            else if (++stalled > patience)
            {
                (scale, stalled) = (scale * factor, 0);
                cuts.Add(step);
            }
        }
        return cuts;
    }
}
