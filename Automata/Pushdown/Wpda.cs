using System.Collections.Immutable;
using Workbench.Formal.Errors;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Pushdown;

/// <summary>
/// A transition p —a, X → Y₁…Y_k→ q of a weighted pushdown automaton: in state <paramref name="From"/> with
/// <paramref name="Pop"/> on top of the stack, read <paramref name="Input"/> (or nothing, for
/// <see cref="Wpda.Epsilon"/>), replace the top by <paramref name="Push"/> (Push[0] ends on top) and move to
/// <paramref name="To"/>.
/// </summary>
public sealed record PdaTransition(int From, int Input, int Pop, int To, ImmutableArray<int> Push, double Weight);

/// <summary>
/// A real-weighted pushdown automaton (Q, Σ, Γ, δ, q₀, Z₀, ρ): a run starts in q₀ with Z₀ alone on the stack,
/// every transition pops exactly one symbol and pushes any number, and the run accepts when the stack is
/// empty, with the final weight ρ(q) of the state it ends in. A run's weight is the product of its
/// transitions' weights and its final weight; the weight of y sums over accepting runs reading y. It is
/// probabilistic when, for every (state, stack top) with transitions, their weights sum to 1 and final weights
/// are 0 or 1. Immutable. Notes §4.2 (pushdown automata; Butoi et al. 2022).
/// </summary>
public sealed class Wpda
{
    /// <summary>The input label of a transition that reads nothing.</summary>
    public const int Epsilon = -1;

    private readonly PdaTransition[][] _byTopAndState;

    /// <summary>Checks and stores the automaton.</summary>
    /// <exception cref="InvalidModelException">A transition names an unknown state, symbol or stack symbol, or has a weight that is negative or not finite.</exception>
    public Wpda(Alphabet terminals, IReadOnlyList<string> stackSymbols, int states, int initialState, int initialStack, double[] finalWeights, IEnumerable<PdaTransition> transitions)
    {
        Terminals = terminals;
        StackSymbols = stackSymbols;
        States = states;
        if ((uint)initialState >= (uint)states) throw new InvalidModelException($"The initial state {initialState} is not one of the {states} states.");
        if ((uint)initialStack >= (uint)stackSymbols.Count) throw new InvalidModelException($"The initial stack symbol {initialStack} is not one of the {stackSymbols.Count} stack symbols.");
        if (finalWeights.Length != states) throw new InvalidModelException($"Expected {states} final weights, got {finalWeights.Length}.");
        InitialState = initialState;
        InitialStack = initialStack;
        FinalWeights = finalWeights;
        var all = transitions.ToArray();
        foreach (var t in all)
        {
            if ((uint)t.From >= (uint)states || (uint)t.To >= (uint)states) throw new InvalidModelException($"The transition {Describe(t)} names a state outside 0..{states - 1}.");
            if (t.Input != Epsilon && !terminals.Contains(t.Input)) throw new InvalidModelException($"The transition {Describe(t)} reads a symbol outside Σ.");
            if ((uint)t.Pop >= (uint)stackSymbols.Count || t.Push.Any(s => (uint)s >= (uint)stackSymbols.Count)) throw new InvalidModelException($"The transition {Describe(t)} names an unknown stack symbol.");
            if (!(t.Weight >= 0) || !double.IsFinite(t.Weight)) throw new InvalidModelException($"The transition {Describe(t)} has weight {t.Weight}; weights must be finite and non-negative.");
        }
        Transitions = all;
        _byTopAndState = new PdaTransition[states * stackSymbols.Count][];
        var groups = all.ToLookup(t => t.From * stackSymbols.Count + t.Pop);
        for (var key = 0; key < _byTopAndState.Length; key++) _byTopAndState[key] = groups[key].ToArray();
    }

    /// <summary>Σ.</summary>
    public Alphabet Terminals { get; }

    /// <summary>Γ, the stack symbols by index.</summary>
    public IReadOnlyList<string> StackSymbols { get; }

    /// <summary>|Q|.</summary>
    public int States { get; }

    /// <summary>q₀.</summary>
    public int InitialState { get; }

    /// <summary>Z₀.</summary>
    public int InitialStack { get; }

    /// <summary>ρ(q) for every state.</summary>
    public IReadOnlyList<double> FinalWeights { get; }

    /// <summary>δ.</summary>
    public IReadOnlyList<PdaTransition> Transitions { get; }

    /// <summary>The transitions leaving <paramref name="state"/> with <paramref name="top"/> on the stack.</summary>
    public ReadOnlySpan<PdaTransition> TransitionsFrom(int state, int top) => _byTopAndState[state * StackSymbols.Count + top];

    /// <summary>The first (state, stack top) whose transitions do not sum to 1, or a final weight other than 0 or 1; null for a probabilistic PDA.</summary>
    public string? ProbabilisticProblem(double tolerance = 1e-9)
    {
        for (var q = 0; q < States; q++)
        {
            if (FinalWeights[q] is not (0 or 1)) return $"state {q} has final weight {FinalWeights[q]}, not 0 or 1";
            for (var x = 0; x < StackSymbols.Count; x++)
            {
                var group = TransitionsFrom(q, x);
                if (group.Length == 0) continue;
                var sum = 0.0;
                foreach (var t in group) sum += t.Weight;
                if (Math.Abs(sum - 1) > tolerance) return Invariant($"the transitions from state {q} with {StackSymbols[x]} on top sum to {sum:G12}, not 1");
            }
        }
        return null;
    }

    private string Describe(PdaTransition t) => Invariant($"{t.From} —{(t.Input == Epsilon ? "ε" : Terminals.Contains(t.Input) ? Terminals.NameOf(t.Input) : t.Input.ToString())}, pop {t.Pop}→ {t.To}");
}
