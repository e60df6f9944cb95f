using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Operations;

/// <summary>
/// Weighted composition (A ∘ B)(x, z) = ⊕_y A(x, y) ⊗ B(y, z) of transducers whose middle tapes share an alphabet (matched by
/// symbol name). States are triples (p, q, f) built from the initial pair outwards. Without care, an ε written by A and an ε
/// read by B could be paired in several orders and counted more than once; the filter state f (Mohri, Pereira &amp; Riley's
/// ε-filter) allows one order only: 0 after a matching move or both ε together; 1 after A moved alone on an ε output (then
/// B may not move alone until a match); 2 after B moved alone on an ε input (then A may not). O(|Q_A||Q_B|·3) states and
/// O(|δ_A||δ_B|) arcs in the worst case, refused beyond a state budget.
/// </summary>
public static class Composition
{
    /// <summary>The default budget of composed states.</summary>
    public const int DefaultStateBudget = 1_000_000;

    /// <summary>A ∘ B.</summary>
    /// <exception cref="WorkbenchException">A's output alphabet and B's input alphabet differ.</exception>
    /// <exception cref="BudgetExceededException">More than <paramref name="stateBudget"/> states.</exception>
    public static Wfst<T> Compose<T>(Wfst<T> a, Wfst<T> b, int stateBudget = DefaultStateBudget) where T : struct, ISemiring<T>
    {
        if (!a.OutputAlphabet.Symbols.SequenceEqual(b.InputAlphabet.Symbols))
            throw new WorkbenchException($"Composition needs A's output alphabet {a.OutputAlphabet} to be B's input alphabet {b.InputAlphabet}.");
        var ids = new Dictionary<(int P, int Q, int F), int>();
        var queue = new Queue<(int P, int Q, int F)>();
        var initial = new List<T>();
        var final = new List<T>();
        var arcs = new List<List<FstArc<T>>>();
        int StateOf(int p, int q, int f)
        {
            if (ids.TryGetValue((p, q, f), out var id)) return id;
            if (ids.Count >= stateBudget) throw new BudgetExceededException($"The composition exceeds the budget of {stateBudget} states.");
            ids[(p, q, f)] = id = ids.Count;
            initial.Add(T.Zero);
            final.Add(T.Multiply(a.FinalWeights[p], b.FinalWeights[q]));
            arcs.Add([]);
            queue.Enqueue((p, q, f));
            return id;
        }
        for (var p = 0; p < a.StateCount; p++)
            for (var q = 0; q < b.StateCount; q++)
            {
                var weight = T.Multiply(a.InitialWeights[p], b.InitialWeights[q]);
                if (!weight.Equals(T.Zero)) initial[StateOf(p, q, 0)] = weight;
            }
        while (queue.TryDequeue(out var state))
        {
            var (p, q, f) = state;
            var from = ids[state];
            foreach (var x in a.ArcsOf(p))
            {
                if (x.Output == Wfst<T>.Epsilon)
                {
                    // A moves alone on an ε output (B stays): from filter states 0 and 1.
                    if (f != 2) arcs[from].Add(new FstArc<T>(x.Input, Wfst<T>.Epsilon, StateOf(x.Target, q, 1), x.Weight));
                    // Both move on ε together: from 0 only.
                    if (f == 0)
                        foreach (var y in b.ArcsOf(q))
                            if (y.Input == Wfst<T>.Epsilon) arcs[from].Add(new FstArc<T>(x.Input, y.Output, StateOf(x.Target, y.Target, 0), T.Multiply(x.Weight, y.Weight)));
                    continue;
                }
                foreach (var y in b.ArcsOf(q))
                    if (y.Input == x.Output) arcs[from].Add(new FstArc<T>(x.Input, y.Output, StateOf(x.Target, y.Target, 0), T.Multiply(x.Weight, y.Weight)));
            }
            // B moves alone on an ε input (A stays): from filter states 0 and 2.
            if (f != 1)
                foreach (var y in b.ArcsOf(q))
                    if (y.Input == Wfst<T>.Epsilon) arcs[from].Add(new FstArc<T>(Wfst<T>.Epsilon, y.Output, StateOf(p, y.Target, 2), y.Weight));
        }
        return new Wfst<T>(a.InputAlphabet, b.OutputAlphabet, [.. initial], [.. final], arcs);
    }
}
