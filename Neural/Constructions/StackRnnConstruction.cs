using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;

namespace Workbench.Neural.Constructions;

/// <summary>
/// A saturated-sigmoid Elman RNN, hₜ = σ(U hₜ₋₁ + V_{yₜ} + b) with σ(z) = min(1, max(0, z)) and rational
/// weights, that simulates a <see cref="TwoStackPda"/> (notes §5.2, P6.9; Siegelmann &amp; Sontag). A stack
/// s₁…s_k (s₁ on top) is the number Σᵢ dᵢ 10⁻ⁱ with digit 1 for symbol 0 and 3 for symbol 1: push d is
/// x ↦ x/10 + d/10, pop is x ↦ 10x − d, σ(10x) says "not empty" and σ(10x − 2) "the top is 1". Each input
/// symbol is read for four steps, one per unit group of a pipeline D → A → B → C → D: A copies the state
/// and stacks and reads the tops and the input, B has one unit per transition (an AND of state, input and
/// top classes), C forms the gated candidates of every stack operation (σ(value + 10·gate − 10)) and the
/// next state, D sums them. Every group is zero outside its step, so no unit needs holding. Exact in
/// rational arithmetic; in floating point the pops multiply rounding errors by 10 each, so the reachable
/// stack depth is bounded by the precision (about 15 digits for float64).
/// </summary>
public sealed class StackRnnConstruction
{
    /// <summary>RNN steps per input symbol.</summary>
    public const int Phases = 4;

    private static readonly int[] Digits = [1, 3];
    private readonly List<(int Column, Rational Weight)>[] recurrence;
    private readonly Rational[] bias;
    private readonly int[] inputUnit;
    private readonly int[] dState, dStack;
    private readonly int aliveD;

    /// <summary>Builds the network for a machine. O(|Q|·|Σ|·9) transition units.</summary>
    public StackRnnConstruction(TwoStackPda pda)
    {
        Pda = pda;
        var units = new List<string>();
        int Add(string name)
        {
            units.Add(name);
            return units.Count - 1;
        }
        int[] Group(string prefix, int count) => Enumerable.Range(0, count).Select(i => Add(Invariant($"{prefix}{i}"))).ToArray();

        int[] alive = Group("alive", 4); // D, A, B, C
        aliveD = alive[0];
        dState = Group("D.state", pda.States);
        dStack = Group("D.stack", 2);
        int[] aState = Group("A.state", pda.States), aStack = Group("A.stack", 2), aNonEmpty = Group("A.nonempty", 2), aTopOne = Group("A.top1", 2);
        inputUnit = Group("A.input", pda.InputSymbols);
        var transitionUnits = new List<(int Unit, int State, int Input, int FirstTop, int SecondTop, TwoStackTransition Transition)>();
        for (int q = 0; q < pda.States; q++)
            for (int a = 0; a < pda.InputSymbols; a++)
                for (int c1 = 0; c1 < 3; c1++)
                    for (int c2 = 0; c2 < 3; c2++)
                        if (pda.Transition(q, a, c1, c2) is { } t)
                            transitionUnits.Add((Add(Invariant($"B.δ({q},{a},{c1},{c2})")), q, a, c1, c2, t));
        int[] bStack = Group("B.stack", 2);
        int[] cState = Group("C.state", pda.States);
        // Candidates per stack: keep, push 0, push 1, pop digit 1, pop digit 3.
        int[][] cCandidate = [Group("C.first", 5), Group("C.second", 5)];

        Hidden = units.Count;
        UnitNames = units;
        recurrence = Enumerable.Range(0, Hidden).Select(_ => new List<(int, Rational)>()).ToArray();
        bias = Enumerable.Repeat(Rational.Zero, Hidden).ToArray();
        void Weight(int to, int from, Rational value) => recurrence[to].Add((from, value));
        Rational R(long numerator, long denominator = 1) => Rational.Of(numerator, denominator);

        for (int i = 0; i < 4; i++)
            Weight(alive[(i + 1) % 4], alive[i], R(1));
        for (int q = 0; q < pda.States; q++)
        {
            Weight(aState[q], dState[q], R(1));
            Weight(dState[q], cState[q], R(1));
        }
        for (int k = 0; k < 2; k++)
        {
            Weight(aStack[k], dStack[k], R(1));
            Weight(aNonEmpty[k], dStack[k], R(10));
            Weight(aTopOne[k], dStack[k], R(10));
            bias[aTopOne[k]] = R(-2);
            Weight(bStack[k], aStack[k], R(1));
            foreach (int candidate in cCandidate[k])
                Weight(dStack[k], candidate, R(1));
        }
        for (int a = 0; a < pda.InputSymbols; a++)
        {
            Weight(inputUnit[a], aliveD, R(1));
            bias[inputUnit[a]] = R(-1);
        }
        foreach (var (unit, q, a, c1, c2, t) in transitionUnits)
        {
            Weight(unit, aState[q], R(1));
            Weight(unit, inputUnit[a], R(1));
            bias[unit] = R(-3);
            foreach (var (k, top) in new[] { (0, c1), (1, c2) })
            {
                // The top class as a 0/1 value: empty = 1 − E, symbol 0 = E − T, symbol 1 = T.
                if (top == 0)
                {
                    bias[unit] = Rational.Add(bias[unit], R(1));
                    Weight(unit, aNonEmpty[k], R(-1));
                }
                else if (top == 1)
                {
                    Weight(unit, aNonEmpty[k], R(1));
                    Weight(unit, aTopOne[k], R(-1));
                }
                else
                    Weight(unit, aTopOne[k], R(1));
                StackOperation operation = k == 0 ? t.First : t.Second;
                int slot = operation switch
                {
                    StackOperation.Keep => 0,
                    StackOperation.PushZero => 1,
                    StackOperation.PushOne => 2,
                    _ => top == 1 ? 3 : 4,
                };
                Weight(cCandidate[k][slot], unit, R(10));
            }
            Weight(cState[t.Target], unit, R(1));
        }
        for (int k = 0; k < 2; k++)
        {
            int[] c = cCandidate[k];
            Weight(c[0], bStack[k], R(1));
            bias[c[0]] = R(-10);
            for (int symbol = 0; symbol < 2; symbol++)
            {
                Weight(c[1 + symbol], bStack[k], R(1, 10));
                bias[c[1 + symbol]] = Rational.Add(R(Digits[symbol], 10), R(-10));
                Weight(c[3 + symbol], bStack[k], R(10));
                bias[c[3 + symbol]] = R(-Digits[symbol] - 10);
            }
        }
        Initial = Enumerable.Repeat(Rational.Zero, Hidden).ToArray();
        Initial[aliveD] = Rational.One;
        Initial[dState[pda.Start]] = Rational.One;
    }

    /// <summary>The machine simulated.</summary>
    public TwoStackPda Pda { get; }

    /// <summary>D, the number of hidden units.</summary>
    public int Hidden { get; }

    /// <summary>A readable name per unit (group and role).</summary>
    public IReadOnlyList<string> UnitNames { get; }

    /// <summary>h₀: the D group holds the start state and two empty stacks.</summary>
    public Rational[] Initial { get; }

    /// <summary>One exact step hₜ = σ(U hₜ₋₁ + V_y + b). O(nonzero weights) rational operations.</summary>
    public Rational[] Step(Rational[] hidden, int symbol)
    {
        var next = new Rational[Hidden];
        for (int unit = 0; unit < Hidden; unit++)
        {
            Rational z = bias[unit];
            foreach (var (column, weight) in recurrence[unit])
                if (!hidden[column].Equals(Rational.Zero))
                    z = Rational.Add(z, Rational.Multiply(weight, hidden[column]));
            if (Array.IndexOf(inputUnit, unit) == symbol)
                z = Rational.Add(z, Rational.One);
            next[unit] = z.CompareTo(Rational.Zero) <= 0 ? Rational.Zero : z.CompareTo(Rational.One) >= 0 ? Rational.One : z;
        }
        return next;
    }

    /// <summary>Runs the input (each symbol for <see cref="Phases"/> steps) exactly and returns h after every symbol.</summary>
    public IReadOnlyList<Rational[]> Run(ReadOnlySpan<int> input)
    {
        var trace = new List<Rational[]>(input.Length);
        Rational[] h = Initial;
        foreach (int symbol in input)
        {
            for (int phase = 0; phase < Phases; phase++)
                h = Step(h, symbol);
            trace.Add(h);
        }
        return trace;
    }

    /// <summary>Whether the network accepts: after the input, the D group's state is accepting.</summary>
    public bool Accepts(ReadOnlySpan<int> input)
    {
        Rational[] h = input.IsEmpty ? Initial : Run(input)[^1];
        return Enumerable.Range(0, Pda.States).Any(q => Pda.Accepting[q] && h[dState[q]].Equals(Rational.One));
    }

    /// <summary>
    /// The configuration a D-phase hidden vector encodes: the state (null if no state unit is 1, i.e.
    /// rejected) and both stacks bottom first, decoded digit by digit.
    /// </summary>
    public (int? State, int[] First, int[] Second) Decode(IReadOnlyList<Rational> hidden)
    {
        int[] active = Enumerable.Range(0, Pda.States).Where(q => hidden[dState[q]].Equals(Rational.One)).ToArray();
        return (active.Length == 1 ? active[0] : null, DecodeStack(hidden[dStack[0]]), DecodeStack(hidden[dStack[1]]));
    }

    /// <summary>The number Σᵢ dᵢ 10⁻ⁱ of a stack given bottom first (top = s₁ has the first digit).</summary>
    public static Rational EncodeStack(IReadOnlyList<int> bottomFirst)
    {
        Rational x = Rational.Zero;
        foreach (int symbol in bottomFirst)
            x = Rational.Add(Rational.Divide(x, Rational.Of(10)), Rational.Of(Digits[symbol], 10));
        return x;
    }

    /// <summary>Reads the digits of x back into a stack (bottom first).</summary>
    /// <exception cref="ArgumentException">x is not the code of a stack.</exception>
    public static int[] DecodeStack(Rational x)
    {
        var topFirst = new List<int>();
        while (!x.Equals(Rational.Zero))
        {
            Rational shifted = Rational.Multiply(x, Rational.Of(10));
            int symbol = Array.FindIndex(Digits, d => shifted.CompareTo(Rational.Of(d)) >= 0 && shifted.CompareTo(Rational.Of(d + 1)) < 0);
            if (symbol < 0 || topFirst.Count > 100_000)
                throw new ArgumentException(Invariant($"{x} is not the code of a stack"));
            topFirst.Add(symbol);
            x = Rational.Subtract(shifted, Rational.Of(Digits[symbol]));
        }
        topFirst.Reverse();
        return topFirst.ToArray();
    }

    /// <summary>The same network as a float64 TorchSharp Elman RNN with saturated-sigmoid units (output layer zero).</summary>
    public ElmanNetwork ToNetwork(Alphabet alphabet)
    {
        var u = new double[Hidden, Hidden];
        var v = new double[alphabet.Size, Hidden];
        for (int unit = 0; unit < Hidden; unit++)
            foreach (var (column, weight) in recurrence[unit])
                u[unit, column] += weight.ToDouble();
        for (int a = 0; a < Pda.InputSymbols; a++)
            v[a, inputUnit[a]] = 1;
        var architecture = new NeuralArchitecture { Kind = NetworkKind.Elman, Hidden = Hidden, Activation = Activation.SaturatedSigmoid, Double = true };
        return ElmanNetwork.FromWeights(alphabet, architecture, new ElmanWeights(
            u, v, bias.Select(b => b.ToDouble()).ToArray(), Initial.Select(h => h.ToDouble()).ToArray(),
            new double[alphabet.SizeWithEos, Hidden], new double[alphabet.SizeWithEos]));
    }

    /// <summary>The D group's state units (one per PDA state).</summary>
    public IReadOnlyList<int> StateUnits => dState;
}
