using static TorchSharp.torch;

namespace Workbench.Neural.Models;

/// <summary>
/// A batch of strings as tensors for next-symbol prediction: inputs [B, T] right-padded with id 0,
/// targets [B, T+1] (yₜ₊₁, then EOS at position |y|, then padding) and a mask [B, T+1] that is true on
/// the |y| + 1 real predictions of each string.
/// </summary>
public sealed record SymbolBatch(Tensor Inputs, Tensor Targets, Tensor Mask, int Symbols)
{
    /// <summary>The most padded positions (strings × (longest + 1)) <see cref="Chunks"/> puts in one batch: at length 500, 32 strings.</summary>
    public const int MaxPositions = 16_384;

    /// <summary>
    /// Consecutive runs (start, count) of the strings for padded batches of at most maxStrings strings and at most
    /// <see cref="MaxPositions"/> padded positions (a longer string goes alone), so that long strings do not make a batch's
    /// activations, a transformer's attention above all (O(B·H·T²)), outgrow memory. O(n).
    /// </summary>
    public static IEnumerable<(int Start, int Count)> Chunks(IReadOnlyList<int[]> strings, int maxStrings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxStrings, 1);
        int start = 0, longest = 0;
        for (int i = 0; i < strings.Count; i++)
        {
            int widest = Math.Max(longest, strings[i].Length + 1), count = i - start;
            if (count > 0 && (count == maxStrings || (long)(count + 1) * widest > MaxPositions))
            {
                yield return (start, count);
                start = i;
                widest = strings[i].Length + 1;
            }
            longest = widest;
        }
        if (strings.Count > start)
            yield return (start, strings.Count - start);
    }

    /// <summary>
    /// The strings in batches for scoring, each with the strings' indices in the input: sorted by length (stably), then cut as
    /// <see cref="Chunks"/> cuts them, so that each batch pads only to about its own strings' length. Input order would pad every
    /// batch to its longest string, and the length tails of held-out samples make that several times the typical one; a
    /// transformer's attention pays O(B·H·T²) for it. O(n log n).
    /// </summary>
    public static IEnumerable<(int[] Indices, int[][] Strings)> LengthSortedChunks(IReadOnlyList<int[]> strings, int maxStrings)
    {
        int[] order = [.. Enumerable.Range(0, strings.Count).OrderBy(i => strings[i].Length)];
        int[][] sorted = [.. order.Select(i => strings[i])];
        foreach (var (start, count) in Chunks(sorted, maxStrings))
            yield return (order[start..(start + count)], sorted[start..(start + count)]);
    }

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
