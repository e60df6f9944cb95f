namespace Workbench.Neural.Training;

/// <summary>How the learning rate moves after the linear warm-up.</summary>
public enum LearningRateSchedule
{
    /// <summary>The peak rate throughout.</summary>
    Constant,
    /// <summary>Linear decay from the peak to the final fraction at the last step.</summary>
    Linear,
    /// <summary>Cosine decay from the peak to the final fraction (the default).</summary>
    Cosine,
    /// <summary>Warm-up, stable at the peak, then a linear decay to the final fraction over the last <see cref="TrainingOptions.DecayFraction"/> of the steps (Hu et al. 2024).</summary>
    WarmupStableDecay,
    /// <summary>peak · √(warm-up / step) after the warm-up (Vaswani et al. 2017), never below the final fraction.</summary>
    InverseSqrt,
}

/// <summary>
/// The knobs of a training run: the optimiser (AdamW by default; SGD with momentum, Adam, Lion), a linear warm-up and a
/// schedule (cosine by default), optionally cut on a held-out plateau, gradient clipping, label smoothing, dropout on the encodings, periodic evaluation on the
/// held-out set (which also writes the checkpoint) and early stopping.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>The optimiser.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;

    /// <summary>SGD's momentum (ignored by the other optimisers).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>The schedule after the warm-up.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Cosine;

    /// <summary>The share of the steps that warm-up–stable–decay spends decaying.</summary>
    public double DecayFraction { get; init; } = 0.2;

    /// <summary>
    /// Label smoothing ε: the cross-entropy's target is (1 − ε)·onehot + ε/|Σ̄|. Its minimiser for a context seen n times is
    /// add-λ smoothing with λ = nε/(|Σ̄|(1 − ε)) (P3.13; Malagutti et al. 2024). Softmax outputs only.
    /// </summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Dropout on the encodings before the output layer during training (inverted dropout; evaluation uses none).</summary>
    public double Dropout { get; init; }

    /// <summary>The arithmetic of the forward and backward passes (the weights and the update stay in the network's precision).</summary>
    public TrainingPrecision Precision { get; init; } = TrainingPrecision.Full;

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

    /// <summary>
    /// Cuts the rate on a held-out plateau (Butoi et al. 2025 use 5 with a constant schedule; PyTorch's ReduceLROnPlateau): once
    /// more than this many evaluations in a row have not improved on the best held-out loss since the last improvement or
    /// cut, every later rate of the schedule is multiplied by <see cref="LearningRateDecayFactor"/> once more. 0 never cuts.
    /// </summary>
    public int LearningRatePatience { get; init; }

    /// <summary>What each plateau cut multiplies the rate by (in (0, 1); FLaRe: 0.5).</summary>
    public double LearningRateDecayFactor { get; init; } = 0.5;

    /// <summary>Seed of the initialisation and of the data order.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The learning rate at a step after plateau cuts that left the scale plateauScale (<see cref="TrainingPosition.LearningRateScale"/>).</summary>
    public double LearningRateAt(long step, double plateauScale) => plateauScale * LearningRateAt(step);

    /// <summary>The learning rate at a step: linear warm-up from 0 to the peak, then the schedule (before any plateau cut).</summary>
    public double LearningRateAt(long step)
    {
        if (step < WarmupSteps)
            return LearningRate * (step + 1) / WarmupSteps;
        double progress = Steps <= WarmupSteps ? 1 : Math.Min(1, (double)(step - WarmupSteps) / Math.Max(1, Steps - 1 - WarmupSteps));
        double floor = FinalLearningRateFraction;
        double fraction = Schedule switch
        {
            LearningRateSchedule.Constant => 1,
            LearningRateSchedule.Linear => floor + (1 - floor) * (1 - progress),
            LearningRateSchedule.Cosine => floor + (1 - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress)),
            LearningRateSchedule.WarmupStableDecay => progress <= 1 - DecayFraction ? 1 : floor + (1 - floor) * (1 - progress) / DecayFraction,
            LearningRateSchedule.InverseSqrt => Math.Max(floor, Math.Sqrt(Math.Max(1, WarmupSteps) / (double)(step + 1))),
            _ => throw new InvalidOperationException(Invariant($"schedule {Schedule}")),
        };
        return LearningRate * fraction;
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
        ArgumentOutOfRangeException.ThrowIfNegative(LearningRatePatience, nameof(LearningRatePatience));
        if (LearningRateDecayFactor is <= 0 or >= 1 || double.IsNaN(LearningRateDecayFactor))
            throw new ArgumentOutOfRangeException(nameof(LearningRateDecayFactor), LearningRateDecayFactor, "must be in (0, 1)");
        if (Momentum is < 0 or >= 1 || double.IsNaN(Momentum))
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "must be in [0, 1)");
        if (DecayFraction is <= 0 or > 1 || double.IsNaN(DecayFraction))
            throw new ArgumentOutOfRangeException(nameof(DecayFraction), DecayFraction, "must be in (0, 1]");
        if (LabelSmoothing is < 0 or >= 1 || double.IsNaN(LabelSmoothing))
            throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), LabelSmoothing, "must be in [0, 1)");
        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout))
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "must be in [0, 1)");
        if (!Enum.IsDefined(Optimizer) || !Enum.IsDefined(Schedule) || !Enum.IsDefined(Precision))
            throw new ArgumentOutOfRangeException(nameof(Optimizer), "an unknown optimiser, schedule or precision");
        if (FinalLearningRateFraction is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(FinalLearningRateFraction), FinalLearningRateFraction, "must be in [0, 1]");
        return this;
    }
}

/// <summary>What a running training reports after each step.</summary>
public sealed record TrainingProgress(long Step, long Steps, double Loss, double? KlPerSymbol, double TokensPerSecond, TimeSpan Remaining);

/// <summary>Training stopped because the loss or the gradient stopped being a finite number.</summary>
public sealed class TrainingDivergedException(string message) : Formal.Errors.WorkbenchException(message);
