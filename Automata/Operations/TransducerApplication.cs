using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Operations;

/// <summary>
/// A transducer applied to one input string: the weighted set {(y, T(x, y))} of the outputs it writes on x, by following
/// every path that reads x (OpenFst's compose with a linear acceptor, then enumerating the output projection). Exponential
/// in the worst case, so it stops at a path budget; an ε-input cycle on a path that reads x means infinitely many paths,
/// which is refused. For checking a transducer on short strings (the encoder transducers of the tokenizers).
/// </summary>
public static class TransducerApplication
{
    /// <summary>The default budget of complete and partial paths followed.</summary>
    public const int DefaultPathBudget = 1_000_000;

    /// <summary>Each output y with T(x, y) ≠ 0 and its weight, outputs as output-alphabet ids.</summary>
    /// <exception cref="WorkbenchException">An ε-input cycle is reachable while reading <paramref name="input"/>.</exception>
    /// <exception cref="BudgetExceededException">More than <paramref name="pathBudget"/> paths.</exception>
    public static IReadOnlyDictionary<string, (int[] Output, T Weight)> Apply<T>(Wfst<T> transducer, IReadOnlyList<int> input, int pathBudget = DefaultPathBudget)
        where T : struct, ISemiring<T>
    {
        var results = new Dictionary<string, (int[] Output, T Weight)>(StringComparer.Ordinal);
        var output = new List<int>();
        var onEpsilonChain = new HashSet<(int State, int Position)>();
        var paths = 0;
        void Follow(int state, int position, T weight)
        {
            if (++paths > pathBudget) throw new BudgetExceededException($"Applying the transducer to a string of {input.Count} symbols follows more than {pathBudget:N0} paths.");
            if (position == input.Count && !transducer.FinalWeights[state].Equals(T.Zero))
            {
                var complete = T.Multiply(weight, transducer.FinalWeights[state]);
                var key = string.Join(" ", output);
                results[key] = results.TryGetValue(key, out var found) ? (found.Output, T.Add(found.Weight, complete)) : ([.. output], complete);
            }
            foreach (var arc in transducer.ArcsOf(state))
            {
                var reads = arc.Input != Wfst<T>.Epsilon;
                if (reads && (position == input.Count || arc.Input != input[position])) continue;
                if (!reads && !onEpsilonChain.Add((arc.Target, position)))
                    throw new WorkbenchException($"The transducer has an ε-input cycle through state {arc.Target}: it writes infinitely many outputs on this input.");
                if (arc.Output != Wfst<T>.Epsilon) output.Add(arc.Output);
                Follow(arc.Target, reads ? position + 1 : position, T.Multiply(weight, arc.Weight));
                if (arc.Output != Wfst<T>.Epsilon) output.RemoveAt(output.Count - 1);
                if (!reads) onEpsilonChain.Remove((arc.Target, position));
            }
        }
        for (var q = 0; q < transducer.StateCount; q++)
            if (!transducer.InitialWeights[q].Equals(T.Zero))
            {
                onEpsilonChain.Add((q, 0));
                Follow(q, 0, transducer.InitialWeights[q]);
                onEpsilonChain.Remove((q, 0));
            }
        return results;
    }
}
