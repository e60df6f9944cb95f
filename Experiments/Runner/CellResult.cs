using Workbench.Formal.Estimation;

namespace Workbench.Experiments.Runner;

/// <summary>Length generalisation on one bin of string lengths.</summary>
/// <param name="Min">Shortest length in the bin.</param>
/// <param name="Max">Longest length in the bin.</param>
/// <param name="Strings">Strings of the language drawn in the bin (fewer than asked when the bin is rare).</param>
/// <param name="ExcessSurprisalPerSymbol">
/// E[log p(y) − log q(y)]/E[|y| + 1] over y ~ p restricted to the bin: the per-symbol KL contribution of
/// the bin (the model's extra surprisal per symbol), with its 95% interval; null for an empty bin.
/// </param>
public sealed record LengthBinResult(int Min, int Max, int Strings, Estimate? ExcessSurprisalPerSymbol);

/// <summary>A recognizer's accuracy on the test strings of one bin of lengths.</summary>
/// <param name="Min">Shortest length in the bin.</param>
/// <param name="Max">Longest length in the bin.</param>
/// <param name="Strings">Test strings in the bin.</param>
/// <param name="Accuracy">The share classified correctly.</param>
public sealed record RecognitionBinResult(int Min, int Max, int Strings, double Accuracy);

/// <summary>
/// What a recognizer cell measures (the FLaRe protocol): accuracy on the test strings of every length up to the test
/// limit (FLaRe's headline number), on the validation set that selected the saved recognizer, and by length bin.
/// </summary>
/// <param name="TestAccuracy">The share of all test strings classified correctly.</param>
/// <param name="TestStrings">How many test strings there were.</param>
/// <param name="TestPositives">How many of them are in the language.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation set at the saved recognizer.</param>
/// <param name="Bins">Test accuracy by the spec's length bins.</param>
/// <param name="LanguageModeling">λ_LM of the objective (0: the LM head, whose KL the cell also reports, was not trained).</param>
/// <param name="NextSymbols">λ_NS of the objective.</param>
public sealed record RecognitionResult(double TestAccuracy, int TestStrings, int TestPositives, double ValidationAccuracy, IReadOnlyList<RecognitionBinResult> Bins,
    double LanguageModeling, double NextSymbols);

/// <summary>
/// Everything measured on one cell, written as the cell's result.json and read back by reports.
/// Cross-entropies are in nats; "per symbol" divides by the mean number of predictions |y| + 1. Held-out
/// strings are samples of the language's distribution itself (not capped at the training length), so
/// the KL estimates are of KL(p ‖ q); the learning curves in metrics.jsonl use held-out strings drawn
/// like the training strings.
/// </summary>
public sealed record CellResult
{
    /// <summary>The language's name.</summary>
    public required string Language { get; init; }

    /// <summary>Its Chomsky level.</summary>
    public required string Level { get; init; }

    /// <summary>The architecture's name (minsky or source for baselines).</summary>
    public required string Architecture { get; init; }

    /// <summary>The network spec (null for the source sanity cell).</summary>
    public string? Model { get; init; }

    /// <summary>The seed.</summary>
    public required int Seed { get; init; }

    /// <summary>Trained, constructed or sanity.</summary>
    public required string Kind { get; init; }

    /// <summary>Exact entropy of the source per string.</summary>
    public required double? SourceEntropyPerString { get; init; }

    /// <summary>Held-out cross-entropy per string.</summary>
    public required double CrossEntropyPerString { get; init; }

    /// <summary>Held-out cross-entropy per symbol.</summary>
    public required double CrossEntropyPerSymbol { get; init; }

    /// <summary>KL(p ‖ q) per string by the Rao–Blackwellised estimator: the mean over held-out y ~ p of Σₜ KL(p(· | y&lt;ₜ) ‖ q(· | y&lt;ₜ)) (EOS included).</summary>
    public required Estimate KlPerString { get; init; }

    /// <summary>KL per symbol (the per-string estimate over the mean number of predictions).</summary>
    public required Estimate KlPerSymbol { get; init; }

    /// <summary>KL per string as cross-entropy − exact entropy; its interval is the cross-entropy's.</summary>
    public required Estimate? KlFromEntropy { get; init; }

    /// <summary>Length generalisation by bin.</summary>
    public required IReadOnlyList<LengthBinResult> LengthBins { get; init; }

    /// <summary>Share of the model's own finished samples that the recogniser accepts (null when every sample was cut by the cap).</summary>
    public required double? SupportAccuracy { get; init; }

    /// <summary>How many of the model's samples the length cap (4 × the training length) cut; they are left out of <see cref="SupportAccuracy"/>.</summary>
    public int SupportTruncated { get; init; }

    /// <summary>Share of held-out strings on which the model's next-symbol set (probability above 0.01) equals the language's at every prefix (Bhattamishra et al. 2020).</summary>
    public required double NextSymbolSetAccuracy { get; init; }

    /// <summary>The trained model's tightness verdict.</summary>
    public required string Tightness { get; init; }

    /// <summary>How the verdict was reached.</summary>
    public required string TightnessMethod { get; init; }

    /// <summary>Training steps run (0 for baselines).</summary>
    public long Steps { get; init; }

    /// <summary>The peak learning rate of training (0 for baselines).</summary>
    public double LearningRate { get; init; }

    /// <summary>Whether the cell is one rate of a learning-rate sweep (which its folder name then carries).</summary>
    public bool Swept { get; init; }

    /// <summary>Whether training stopped because the held-out KL had not improved for <see cref="TrainingSpec.Patience"/> evaluations.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>For a recognizer cell (a spec with <see cref="ExperimentSpec.Recognition"/>), its accuracies; null for a language model.</summary>
    public RecognitionResult? Recognition { get; init; }

    /// <summary>Training symbols seen.</summary>
    public long Tokens { get; init; }

    /// <summary>Wall-clock seconds of the run that finished the cell (training resumed from a checkpoint counts only its last part).</summary>
    public double Seconds { get; init; }
}
