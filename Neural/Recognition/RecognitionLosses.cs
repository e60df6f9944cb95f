using Workbench.Neural.Layers;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Workbench.Neural.Recognition;

/// <summary>
/// The FLaRe objective (Butoi et al. 2025, §3): the recognition binary cross-entropy averaged over the batch, plus
/// λ_LM × the language-modelling cross-entropy of the positives (per string averaged over its |y| + 1 predictions, then over the
/// positives), plus λ_NS × the next-symbol-set binary cross-entropy of the positives (averaged over Σ̄, then over the positions,
/// then over the positives). A coefficient of 0 leaves its head untrained.
/// </summary>
/// <param name="LanguageModeling">λ_LM ≥ 0.</param>
/// <param name="NextSymbols">λ_NS ≥ 0.</param>
public sealed record RecognitionLosses(double LanguageModeling = 0, double NextSymbols = 0)
{
    /// <summary>Checks the coefficients.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A coefficient is negative or not finite.</exception>
    public RecognitionLosses Validated()
    {
        foreach (var (value, name) in new[] { (LanguageModeling, nameof(LanguageModeling)), (NextSymbols, nameof(NextSymbols)) })
            if (!(value >= 0) || !double.IsFinite(value))
                throw new ArgumentOutOfRangeException(name, value, "a loss coefficient must be a finite number ≥ 0");
        return this;
    }

    /// <summary>The recognition cross-entropy of the batch alone (mean over its strings): what validation and early stopping follow.</summary>
    public static Tensor RecognitionCrossEntropy(RecognizerOutputs outputs, RecognitionBatch batch) =>
        binary_cross_entropy_with_logits(outputs.Recognition, batch.Labels);

    /// <summary>The whole objective on a batch (a scalar tensor).</summary>
    public Tensor Total(RecognizerOutputs outputs, RecognitionBatch batch, Architecture.OutputProjection projection)
    {
        Tensor total = RecognitionCrossEntropy(outputs, batch);
        if (batch.Positives == 0)
            return total;
        Tensor mask = batch.PositiveMask.to(total.dtype);
        Tensor predictions = mask.sum(1).clamp_min(1);
        Tensor positives = batch.Labels;
        if (LanguageModeling > 0)
        {
            Tensor perPosition = TensorFunctions.Loss(projection, outputs.NextSymbolScores, batch.Strings.Targets);
            total = total + LanguageModeling * ((perPosition * mask).sum(1) / predictions * positives).sum() / batch.Positives;
        }
        if (NextSymbols > 0)
        {
            Tensor perSymbol = binary_cross_entropy_with_logits(outputs.NextSymbolSetLogits, batch.NextSymbolSets, reduction: TorchSharp.torch.nn.Reduction.None);
            total = total + NextSymbols * ((perSymbol.mean([2]) * mask).sum(1) / predictions * positives).sum() / batch.Positives;
        }
        return total;
    }
}
