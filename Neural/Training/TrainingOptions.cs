namespace Workbench.Neural.Training;

/// <summary>
/// The knobs of a training run: AdamW with linear warm-up and cosine decay, gradient clipping, periodic
/// evaluation on the held-out set (which also writes the checkpoint) and early stopping.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Optimiser steps in total.</summary>
    public int Steps { get; init; } = 1000;

    /// <summary>Strings per batch.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>Steps of linear warm-up from 0 to the peak.</summary>
    public int WarmupSteps { get; init; } = 50;

    /// <summary>The cosine decays from the peak to this fraction of it at the last step.</summary>
    public double FinalLearningRateFraction { get; init; } = 0.1;

    /// <summary>AdamW's decoupled weight decay.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Gradients are rescaled to at most this global ℓ2 norm.</summary>
    public double ClipNorm { get; init; } = 1.0;

    /// <summary>Steps between evaluations (and checkpoints).</summary>
    public int EvaluateEvery { get; init; } = 100;

    /// <summary>Evaluations without a held-out improvement before stopping; 0 never stops early.</summary>
    public int Patience { get; init; }

    /// <summary>Seed of the initialisation and of the data order.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The learning rate at a step: linear warm-up, then cosine decay to the final fraction.</summary>
    public double LearningRateAt(long step)
    {
        if (step < WarmupSteps)
            return LearningRate * (step + 1) / WarmupSteps;
        double progress = Steps <= WarmupSteps ? 1 : (double)(step - WarmupSteps) / Math.Max(1, Steps - 1 - WarmupSteps);
        double cosine = 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, progress)));
        return LearningRate * (FinalLearningRateFraction + (1 - FinalLearningRateFraction) * cosine);
    }

    /// <summary>Checks that every knob is in range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A knob is out of range.</exception>
    public TrainingOptions Validated()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Steps, 1, nameof(Steps));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LearningRate, nameof(LearningRate));
        ArgumentOutOfRangeException.ThrowIfNegative(WarmupSteps, nameof(WarmupSteps));
        ArgumentOutOfRangeException.ThrowIfNegative(WeightDecay, nameof(WeightDecay));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ClipNorm, nameof(ClipNorm));
        ArgumentOutOfRangeException.ThrowIfLessThan(EvaluateEvery, 1, nameof(EvaluateEvery));
        ArgumentOutOfRangeException.ThrowIfNegative(Patience, nameof(Patience));
        if (FinalLearningRateFraction is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(FinalLearningRateFraction), FinalLearningRateFraction, "must be in [0, 1]");
        return this;
    }
}

/// <summary>What a running training reports after each step.</summary>
public sealed record TrainingProgress(long Step, long Steps, double Loss, double? KlPerSymbol, double TokensPerSecond, TimeSpan Remaining);

/// <summary>Training stopped because the loss or the gradient stopped being a finite number.</summary>
public sealed class TrainingDivergedException(string message) : Formal.Errors.WorkbenchException(message);
