using Workbench.Neural.Models;
using static TorchSharp.torch;

namespace Workbench.Neural.Constructions;

/// <summary>
/// Runs a recogniser network that reads every input symbol for a fixed number of steps (the phases of a
/// unit-group pipeline), in float64 without gradients.
/// </summary>
internal static class PhasedRun
{
    /// <summary>The hidden vector after every input symbol, starting from h.</summary>
    public static IReadOnlyList<double[]> Trace(ElmanNetwork network, Tensor start, ReadOnlySpan<int> input, int phases)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var trace = new List<double[]>(input.Length);
        Tensor h = start;
        foreach (int symbol in input)
        {
            for (int phase = 0; phase < phases; phase++)
                h = network.Transition(h, symbol);
            trace.Add(h.data<double>().ToArray());
        }
        return trace;
    }

    /// <summary>The hidden vector after the input and then extraSteps more steps (on symbol 0), as read-out time for acceptance units.</summary>
    public static double[] Final(ElmanNetwork network, ReadOnlySpan<int> input, int phases, int extraSteps)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor h = network.InitialHidden;
        foreach (int symbol in input)
            for (int phase = 0; phase < phases; phase++)
                h = network.Transition(h, symbol);
        for (int step = 0; step < extraSteps; step++)
            h = network.Transition(h, 0);
        return h.data<double>().ToArray();
    }
}
