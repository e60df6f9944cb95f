using Workbench.Automata.Core;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Graphs;

/// <summary>
/// The strongly connected components of an automaton's graph, numbered in reverse topological order
/// of the condensation (every arc goes from a component to one with an equal or smaller number), which
/// is the order in which backward values can be solved component by component.
/// </summary>
/// <param name="ComponentOf">The component of each state.</param>
/// <param name="Members">The states of each component.</param>
public sealed record StronglyConnectedComponents(int[] ComponentOf, int[][] Members)
{
    /// <summary>The number of components.</summary>
    public int Count => Members.Length;

    /// <summary>Tarjan's algorithm without recursion, so deep graphs cannot overflow the stack. O(|Q| + |δ|).</summary>
    public static StronglyConnectedComponents Of<T>(Wfsa<T> fsa) where T : struct, ISemiring<T>
    {
        var offsets = new int[fsa.StateCount + 1];
        for (var q = 0; q < fsa.StateCount; q++) offsets[q + 1] = fsa.ArcEnd(q);
        return Of(offsets, fsa.ArcTargets.ToArray());
    }

    /// <summary>The components of a graph in compressed rows: the successors of i are targets[offsets[i]..offsets[i+1]).</summary>
    public static StronglyConnectedComponents Of(int[] offsets, int[] targets)
    {
        var n = offsets.Length - 1;
        var index = new int[n];
        var lowLink = new int[n];
        var onStack = new bool[n];
        Array.Fill(index, -1);
        var componentOf = new int[n];
        var members = new List<int[]>();
        var stack = new Stack<int>();
        var callStack = new Stack<(int State, int NextArc)>();
        var counter = 0;
        for (var root = 0; root < n; root++)
        {
            if (index[root] >= 0) continue;
            callStack.Push((root, offsets[root]));
            index[root] = lowLink[root] = counter++;
            stack.Push(root);
            onStack[root] = true;
            while (callStack.Count > 0)
            {
                var (q, arc) = callStack.Pop();
                if (arc < offsets[q + 1])
                {
                    callStack.Push((q, arc + 1));
                    var target = targets[arc];
                    if (index[target] < 0)
                    {
                        index[target] = lowLink[target] = counter++;
                        stack.Push(target);
                        onStack[target] = true;
                        callStack.Push((target, offsets[target]));
                    }
                    else if (onStack[target]) lowLink[q] = Math.Min(lowLink[q], index[target]);
                    continue;
                }
                if (lowLink[q] == index[q])
                {
                    var component = new List<int>();
                    int member;
                    do
                    {
                        member = stack.Pop();
                        onStack[member] = false;
                        componentOf[member] = members.Count;
                        component.Add(member);
                    } while (member != q);
                    members.Add([.. component]);
                }
                if (callStack.TryPeek(out var parent)) lowLink[parent.State] = Math.Min(lowLink[parent.State], lowLink[q]);
            }
        }
        return new StronglyConnectedComponents(componentOf, [.. members]);
    }
}
