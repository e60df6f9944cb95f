using Workbench.Formal.Symbols;
using static TorchSharp.torch;

namespace Workbench.Neural.Constructions;

/// <summary>One depth of the precision experiment: whether each run read every popped symbol right, and where (1-based input position; 0 when never) the float64 run first went wrong.</summary>
public sealed record PrecisionPoint(int Depth, bool ExactCorrect, bool Float64Correct, int FirstWrongSymbol);

/// <summary>
/// How deep a stack the saturated-sigmoid RNN of <see cref="StackRnnConstruction"/> keeps in float64 (P6.9):
/// a machine pushes k random symbols on its first stack, then pops them, recording each popped symbol in
/// its state. The exact rational run always reads them back; the float64 TorchSharp network does until the
/// k digits no longer fit in a double's 53-bit significand and the error, multiplied by 10 at every pop,
/// reaches the thresholds σ(10x) and σ(10x − 2). O(k) steps per depth.
/// </summary>
public static class StackPrecision
{
    private const int PushZero = 0, PushOne = 1, PopSymbol = 2;

    /// <summary>
    /// The exerciser: state 0 after pushes, state 1 or 2 after popping symbol 0 or 1; inputs push 0, push 1, pop.
    /// </summary>
    public static TwoStackPda Exerciser()
    {
        var transitions = new TwoStackTransition?[3, 3, 3, 3];
        for (int q = 0; q < 3; q++)
            for (int c1 = 0; c1 < 3; c1++)
                for (int c2 = 0; c2 < 3; c2++)
                {
                    transitions[q, PushZero, c1, c2] = new TwoStackTransition(0, StackOperation.PushZero, StackOperation.Keep);
                    transitions[q, PushOne, c1, c2] = new TwoStackTransition(0, StackOperation.PushOne, StackOperation.Keep);
                    if (c1 != 0)
                        transitions[q, PopSymbol, c1, c2] = new TwoStackTransition(c1, StackOperation.Pop, StackOperation.Keep);
                }
        return new TwoStackPda(3, 3, 0, [true, true, true], transitions);
    }

    /// <summary>Runs depths 1…maxDepth with random stack contents (seeded) and reports, per depth, which runs read every pop right.</summary>
    public static IReadOnlyList<PrecisionPoint> Measure(int maxDepth, int seed)
    {
        var pda = Exerciser();
        var construction = new StackRnnConstruction(pda);
        using var network = construction.ToNetwork(new Alphabet(["push0", "push1", "pop"]));
        var random = new Random(seed);
        var points = new List<PrecisionPoint>();
        for (int depth = 1; depth <= maxDepth; depth++)
        {
            int[] input = [.. Enumerable.Range(0, depth).Select(_ => random.Next(2)), .. Enumerable.Repeat(PopSymbol, depth)];
            int[] expected = pda.Run(input).Select(c => c!.Value.State).ToArray();
            bool exact = construction.Run(input).Select(h => construction.Decode(h).State).SequenceEqual(expected.Select(q => (int?)q));
            var trace = PhasedRun.Trace(network, tensor(construction.Initial.Select(v => v.ToDouble()).ToArray(), dtype: ScalarType.Float64), input, StackRnnConstruction.Phases);
            int firstWrong = 1 + Enumerable.Range(0, input.Length).FirstOrDefault(i =>
            {
                int state = Enumerable.Range(0, 3).MaxBy(q => trace[i][construction.StateUnits[q]]);
                return state != expected[i] || trace[i][construction.StateUnits[state]] < 0.5;
            }, -1);
            points.Add(new PrecisionPoint(depth, exact, firstWrong == 0, firstWrong));
        }
        return points;
    }
}
