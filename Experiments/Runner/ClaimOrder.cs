using Workbench.Neural.Architecture;

namespace Workbench.Experiments.Runner;

/// <summary>
/// The order in which the workers of one grid claim its cells: the costliest first (longest processing time first), so
/// that the cells left when the first worker runs out of work are cheap ones and the workers finish close together. Cells
/// taken in grid order can leave one worker training the last transformer while the others sit idle. The order only
/// decides which worker runs what and when; every cell's numbers are the same in any order.
/// </summary>
public static class ClaimOrder
{
    /// <summary>
    /// The positions of cells, costliest first, stably (cells of equal estimated cost keep their grid order, so the cells of
    /// one stack stay together). Trained cells come before the constructed and sanity cells, which take a fraction of a
    /// second; among trained cells, those of the costlier kind per step (<see cref="KindRank"/>) first, then the wider and
    /// deeper networks. O(n log n).
    /// </summary>
    public static int[] Of(IReadOnlyList<Cell> cells)
    {
        var costs = cells.Select(Cost).ToArray();
        return [.. Enumerable.Range(0, cells.Count).OrderByDescending(i => costs[i])];
    }

    /// <summary>
    /// A cell's place in the order as a comparable key: (trained?, kind rank, hidden × layers). Not a time: only its order
    /// is used.
    /// </summary>
    private static (int Trained, int Kind, long Width) Cost(Cell cell)
    {
        if (cell.Kind != CellKind.Trained || cell.Model is null)
            return (0, 0, 0);
        var architecture = NeuralArchitecture.Parse(cell.Model);
        return (1, KindRank(architecture.Kind), (long)architecture.Hidden * architecture.Layers);
    }

    /// <summary>
    /// The kinds by the cost of a training step at the grids' sizes on a CPU, cheapest 0 (docs/neural.md): the Elman RNN (one
    /// hand-written cell), LSTM and GRU (libtorch's fused recurrence), the transformer (attention over every prefix), and the
    /// memory-augmented RNNs, whose stack or tape update is a dozen operations per time step.
    /// </summary>
    private static int KindRank(NetworkKind kind) => kind switch
    {
        NetworkKind.Elman => 0,
        NetworkKind.Lstm or NetworkKind.Gru => 1,
        NetworkKind.Transformer => 2,
        _ => 3,
    };
}
