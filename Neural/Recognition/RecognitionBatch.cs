using Workbench.Neural.Models;
using static TorchSharp.torch;

namespace Workbench.Neural.Recognition;

/// <summary>
/// A batch of labelled strings as tensors: the strings' <see cref="SymbolBatch"/>, their lengths [B], the labels [B] (1 for a
/// positive), a mask [B, T+1] of the real predictions of the positives only, and the next-symbol-set targets [B, T+1, |Σ̄|]
/// (zeros on negatives and padding).
/// </summary>
public sealed record RecognitionBatch(SymbolBatch Strings, Tensor Lengths, Tensor Labels, Tensor PositiveMask, Tensor NextSymbolSets, int Positives)
{
    /// <summary>Builds the batch on a device, in the given floating dtype. O(B·T·|Σ̄|).</summary>
    public static RecognitionBatch Create(IReadOnlyList<RecognitionExample> examples, int eos, ScalarType dtype, Device device)
    {
        SymbolBatch strings = SymbolBatch.Create(examples.Select(e => e.Symbols).ToArray(), eos, device);
        long positions = strings.Targets.shape[1];
        int size = eos + 1;
        var sets = new float[examples.Count * positions * size];
        var positiveRows = new bool[examples.Count * positions];
        for (int row = 0; row < examples.Count; row++)
        {
            RecognitionExample example = examples[row];
            if (!example.Positive)
                continue;
            for (int t = 0; t <= example.Symbols.Length; t++)
            {
                positiveRows[row * positions + t] = true;
                if (example.NextSymbols is { } next)
                    for (int a = 0; a < size; a++)
                        sets[(row * positions + t) * size + a] = next[t][a] ? 1 : 0;
            }
        }
        return new RecognitionBatch(
            strings,
            tensor(examples.Select(e => (long)e.Symbols.Length).ToArray(), dtype: ScalarType.Int64, device: device),
            tensor(examples.Select(e => e.Positive ? 1f : 0f).ToArray(), device: device).to(dtype),
            tensor(positiveRows, device: device).view(examples.Count, positions),
            tensor(sets, device: device).view(examples.Count, positions, size).to(dtype),
            examples.Count(e => e.Positive));
    }
}
