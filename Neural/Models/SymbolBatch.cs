using static TorchSharp.torch;

namespace Workbench.Neural.Models;

/// <summary>
/// A batch of strings as tensors for next-symbol prediction: inputs [B, T] right-padded with id 0,
/// targets [B, T+1] (yₜ₊₁, then EOS at position |y|, then padding) and a mask [B, T+1] that is true on
/// the |y| + 1 real predictions of each string.
/// </summary>
public sealed record SymbolBatch(Tensor Inputs, Tensor Targets, Tensor Mask, int Symbols)
{
    /// <summary>Builds the batch on a device. eos is the alphabet's EOS id. O(B·T).</summary>
    public static SymbolBatch Create(IReadOnlyList<int[]> strings, int eos, Device device)
    {
        int batch = strings.Count;
        int longest = strings.Count == 0 ? 0 : strings.Max(s => s.Length);
        var inputs = new long[batch * longest];
        var targets = new long[batch * (longest + 1)];
        var mask = new bool[batch * (longest + 1)];
        int symbols = 0;
        for (int row = 0; row < batch; row++)
        {
            int[] symbolsOfRow = strings[row];
            for (int t = 0; t < symbolsOfRow.Length; t++)
            {
                inputs[row * longest + t] = symbolsOfRow[t];
                targets[row * (longest + 1) + t] = symbolsOfRow[t];
                mask[row * (longest + 1) + t] = true;
            }
            targets[row * (longest + 1) + symbolsOfRow.Length] = eos;
            mask[row * (longest + 1) + symbolsOfRow.Length] = true;
            symbols += symbolsOfRow.Length + 1;
        }
        return new SymbolBatch(
            tensor(inputs, dtype: ScalarType.Int64, device: device).view(batch, longest),
            tensor(targets, dtype: ScalarType.Int64, device: device).view(batch, longest + 1),
            tensor(mask, device: device).view(batch, longest + 1),
            symbols);
    }
}
