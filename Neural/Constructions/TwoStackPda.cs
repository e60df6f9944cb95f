namespace Workbench.Neural.Constructions;

/// <summary>What a transition does to one stack (stack symbols are 0 and 1).</summary>
public enum StackOperation
{
    /// <summary>Leave the stack as it is.</summary>
    Keep,
    /// <summary>Push symbol 0.</summary>
    PushZero,
    /// <summary>Push symbol 1.</summary>
    PushOne,
    /// <summary>Pop the top symbol (the transition exists only when the stack is not empty).</summary>
    Pop,
}

/// <summary>A transition: the next state and what happens to each stack.</summary>
public sealed record TwoStackTransition(int Target, StackOperation First, StackOperation Second);

/// <summary>
/// A deterministic real-time two-stack pushdown automaton over a binary stack alphabet: in state q, on
/// input a, with stack tops c₁, c₂ ∈ {empty, 0, 1}, it takes the transition δ(q, a, c₁, c₂) or, where δ is
/// undefined, rejects. It accepts when the input is read and the state is accepting. Two stacks make
/// such machines as strong as Turing machines once ε-moves are allowed (notes §5.2, P6.9); this reference
/// implementation is what the saturated-sigmoid RNN of <see cref="StackRnnConstruction"/> is checked against.
/// </summary>
public sealed class TwoStackPda
{
    private readonly TwoStackTransition?[,,,] transitions;

    /// <summary>A machine with δ given as [state, input, top₁, top₂] (tops: 0 empty, 1 symbol 0, 2 symbol 1).</summary>
    /// <exception cref="ArgumentException">A transition pops an empty stack or leads outside the states.</exception>
    public TwoStackPda(int states, int inputSymbols, int start, bool[] accepting, TwoStackTransition?[,,,] transitions)
    {
        if (transitions.GetLength(0) != states || transitions.GetLength(1) != inputSymbols || transitions.GetLength(2) != 3 || transitions.GetLength(3) != 3)
            throw new ArgumentException("δ must be indexed [state, input, top₁ (3), top₂ (3)]", nameof(transitions));
        if (accepting.Length != states || start < 0 || start >= states)
            throw new ArgumentException("the start state and accepting flags must match the states");
        for (int q = 0; q < states; q++)
            for (int a = 0; a < inputSymbols; a++)
                for (int c1 = 0; c1 < 3; c1++)
                    for (int c2 = 0; c2 < 3; c2++)
                        if (transitions[q, a, c1, c2] is { } t)
                        {
                            if (t.Target < 0 || t.Target >= states)
                                throw new ArgumentException(Invariant($"δ({q}, {a}, {c1}, {c2}) leads to state {t.Target}"));
                            if ((t.First == StackOperation.Pop && c1 == 0) || (t.Second == StackOperation.Pop && c2 == 0))
                                throw new ArgumentException(Invariant($"δ({q}, {a}, {c1}, {c2}) pops an empty stack"));
                        }
        States = states;
        InputSymbols = inputSymbols;
        Start = start;
        Accepting = accepting;
        this.transitions = transitions;
    }

    /// <summary>|Q|.</summary>
    public int States { get; }

    /// <summary>|Σ|.</summary>
    public int InputSymbols { get; }

    /// <summary>q₀.</summary>
    public int Start { get; }

    /// <summary>F, as one flag per state.</summary>
    public IReadOnlyList<bool> Accepting { get; }

    /// <summary>δ(q, a, top₁, top₂), or null (reject).</summary>
    public TwoStackTransition? Transition(int state, int input, int firstTop, int secondTop) => transitions[state, input, firstTop, secondTop];

    /// <summary>
    /// Runs the machine and returns the configuration after every input symbol (null once it rejected);
    /// stacks are listed bottom first (the top is the last entry). O(|input|) steps.
    /// </summary>
    public IReadOnlyList<(int State, int[] First, int[] Second)?> Run(ReadOnlySpan<int> input)
    {
        var trace = new List<(int, int[], int[])?>(input.Length);
        int state = Start;
        var first = new List<int>();
        var second = new List<int>();
        bool alive = true;
        foreach (int symbol in input)
        {
            if (alive && Transition(state, symbol, Top(first), Top(second)) is { } t)
            {
                Apply(first, t.First);
                Apply(second, t.Second);
                state = t.Target;
            }
            else
                alive = false;
            trace.Add(alive ? (state, first.ToArray(), second.ToArray()) : null);
        }
        return trace;
    }

    /// <summary>Whether the machine accepts the input.</summary>
    public bool Accepts(ReadOnlySpan<int> input)
    {
        if (input.IsEmpty)
            return Accepting[Start];
        return Run(input)[^1] is { } last && Accepting[last.State];
    }

    /// <summary>A random machine: each δ entry is a random transition (pops only on non-empty stacks) or, with probability reject, undefined.</summary>
    public static TwoStackPda Random(Random random, int states, int inputSymbols, double reject = 0.1)
    {
        var transitions = new TwoStackTransition?[states, inputSymbols, 3, 3];
        StackOperation Operation(int top) => (StackOperation)random.Next(top == 0 ? 3 : 4);
        for (int q = 0; q < states; q++)
            for (int a = 0; a < inputSymbols; a++)
                for (int c1 = 0; c1 < 3; c1++)
                    for (int c2 = 0; c2 < 3; c2++)
                        if (random.NextDouble() >= reject)
                            transitions[q, a, c1, c2] = new TwoStackTransition(random.Next(states), Operation(c1), Operation(c2));
        bool[] accepting = Enumerable.Range(0, states).Select(_ => random.Next(2) == 1).ToArray();
        return new TwoStackPda(states, inputSymbols, 0, accepting, transitions);
    }

    private static int Top(List<int> stack) => stack.Count == 0 ? 0 : 1 + stack[^1];

    private static void Apply(List<int> stack, StackOperation operation)
    {
        switch (operation)
        {
            case StackOperation.PushZero: stack.Add(0); break;
            case StackOperation.PushOne: stack.Add(1); break;
            case StackOperation.Pop: stack.RemoveAt(stack.Count - 1); break;
        }
    }
}
