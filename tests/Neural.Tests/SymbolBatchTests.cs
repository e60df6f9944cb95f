using Workbench.Neural.Models;

namespace Workbench.Neural.Tests;

/// <summary>Batches of long strings stay within a bound on padded positions.</summary>
public sealed class SymbolBatchTests
{
    [Fact]
    public void Chunks_cover_the_strings_in_order_within_both_bounds_and_only_a_too_long_string_goes_alone()
    {
        var random = new Random(8);
        for (int trial = 0; trial < 200; trial++)
        {
            int[][] strings = [.. Enumerable.Range(0, random.Next(0, 300)).Select(_ => new int[random.Next(0, random.Next(2) == 0 ? 40 : 20_000)])];
            int maxStrings = random.Next(1, 130), next = 0;
            foreach (var (start, count) in SymbolBatch.Chunks(strings, maxStrings))
            {
                Assert.Equal(next, start);
                Assert.InRange(count, 1, maxStrings);
                long positions = (long)count * strings.Skip(start).Take(count).Max(y => y.Length + 1);
                Assert.True(count == 1 || positions <= SymbolBatch.MaxPositions, $"{count} strings, {positions} padded positions");
                // Greedy: the next string would have broken a bound.
                if (start + count < strings.Length)
                    Assert.True(count == maxStrings || (count + 1L) * strings.Skip(start).Take(count + 1).Max(y => y.Length + 1) > SymbolBatch.MaxPositions);
                next = start + count;
            }
            Assert.Equal(strings.Length, next);
        }
    }

    [Fact]
    public void Length_sorted_chunks_hold_every_index_once_in_length_order_within_both_bounds()
    {
        var random = new Random(9);
        for (int trial = 0; trial < 200; trial++)
        {
            int[][] strings = [.. Enumerable.Range(0, random.Next(0, 300)).Select(_ => new int[random.Next(0, random.Next(2) == 0 ? 40 : 20_000)])];
            int maxStrings = random.Next(1, 130);
            var chunks = SymbolBatch.LengthSortedChunks(strings, maxStrings).ToArray();
            foreach (var (indices, chunk) in chunks)
                Assert.Equal(indices.Select(i => strings[i]), chunk);
            int[] order = [.. chunks.SelectMany(chunk => chunk.Indices)];
            Assert.Equal(Enumerable.Range(0, strings.Length), order.Order());
            for (int k = 1; k < order.Length; k++)
                Assert.True(strings[order[k - 1]].Length <= strings[order[k]].Length, $"position {k} is out of length order");
            foreach (var (_, chunk) in chunks)
            {
                Assert.InRange(chunk.Length, 1, maxStrings);
                long positions = (long)chunk.Length * chunk.Max(y => y.Length + 1);
                Assert.True(chunk.Length == 1 || positions <= SymbolBatch.MaxPositions, $"{chunk.Length} strings, {positions} padded positions");
            }
        }
    }
}
