using Workbench.Neural.Architecture;

namespace Workbench.Experiments.Runner;

/// <summary>
/// The order in which the workers of one grid claim its cells: the costliest units of work first (longest processing time
/// first), so that what is left when the first worker runs out of work is cheap and the workers finish close together.
/// Cells taken in grid order can leave one worker training the last transformer while the others sit idle. A unit is a
/// cell, or the cells one stack trains together (<see cref="RunnerOptions.Stack"/>), formed as the runner forms them. The
/// order only decides which worker runs what and when; every cell's numbers are the same in any order.
/// </summary>
public static class ClaimOrder
{
    /// <summary>
    /// The positions of cells in claim order: the units, by estimated cost (<see cref="Cost"/>, a stack costing the sum of its
    /// cells), costliest first and stably, so that units of equal cost keep their grid order; within a unit, grid order.
    /// stackKeys[i] is cell i's stack key (null: it trains alone), and stack the most cells of one stack. O(n log n + n·stack).
    /// </summary>
    public static int[] Of(IReadOnlyList<Cell> cells, IReadOnlyList<string?> stackKeys, int stack)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stack, 1);
        var units = new List<List<int>>();
        var placed = new bool[cells.Count];
        for (int i = 0; i < cells.Count; i++)
        {
            if (placed[i])
                continue;
            var unit = new List<int> { i };
            for (int j = i + 1; stackKeys[i] is not null && j < cells.Count && unit.Count < stack; j++)
            {
                if (!placed[j] && stackKeys[j] == stackKeys[i])
                {
                    unit.Add(j);
                    placed[j] = true;
                }
            }
            units.Add(unit);
        }
        return [.. units.OrderByDescending(unit => unit.Sum(i => Cost(cells[i]))).SelectMany(unit => unit)];
    }

    /// <summary>
    /// A cell's estimated cost relative to an Elman cell of hidden size 32: the kind's weight (<see cref="KindWeight"/>) ×
    /// hidden × layers / 32 for a trained cell, and 0 for the constructed and sanity cells, which take a fraction of a
    /// second. Only its order is used: every trained cell of a grid has the spec's steps and batch size.
    /// </summary>
    public static double Cost(Cell cell)
    {
        if (cell.Kind != CellKind.Trained || cell.Model is null)
            return 0;
        var architecture = NeuralArchitecture.Parse(cell.Model);
        return KindWeight(architecture.Kind) * architecture.Hidden * architecture.Layers / 32.0;
    }

    /// <summary>
    /// A cell's seconds per layer of width 32 against an Elman cell's, from the cells of experiments/default.json on 2 CPU
    /// cores (docs/neural.md: Elman 1.1 s, LSTM 1.5 s, a two-layer transformer 5.6 s) and the stack RNN of the Delétang sweep,
    /// whose stack update is a dozen operations per time step; libtorch's tanh RNN is weighted as an Elman cell (not measured).
    /// </summary>
    private static double KindWeight(NetworkKind kind) => kind switch
    {
        NetworkKind.Elman or NetworkKind.Rnn => 1,
        NetworkKind.Lstm or NetworkKind.Gru => 1.4,
        NetworkKind.Transformer => 2.6,
        _ => 5,
    };
}
