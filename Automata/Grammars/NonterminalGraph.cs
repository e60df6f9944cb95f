using QuikGraph;
using QuikGraph.Algorithms;
using Workbench.Automata.Graphs;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars;

/// <summary>
/// The nonterminal dependency graph of a grammar, X → Y for every Y on a right-hand side of X, as a QuikGraph
/// <see cref="AdjacencyGraph{TVertex, TEdge}"/>: the strongly connected components that the Newton treesum and the
/// termination decision work through, sinks first (QuikGraph's Tarjan, then a topological sort of the condensation),
/// and irreducibility for Booth–Thompson. Grammars have at most thousands of nonterminals, where QuikGraph's general
/// algorithms cost nothing that matters; automata with 10⁶ states keep the compressed-row Tarjan of
/// <see cref="StronglyConnectedComponents"/>. O(|G|) to build. Notes §4.2.
/// </summary>
public sealed class NonterminalGraph
{
    private readonly AdjacencyGraph<int, SEdge<int>> _graph;

    private NonterminalGraph(AdjacencyGraph<int, SEdge<int>> graph) => _graph = graph;

    /// <summary>The graph of <paramref name="grammar"/>: one vertex per nonterminal, one edge per distinct pair X → Y.</summary>
    public static NonterminalGraph Of<T>(Cfg<T> grammar) where T : struct, ISemiring<T>
    {
        var graph = new AdjacencyGraph<int, SEdge<int>>(allowParallelEdges: false);
        graph.AddVertexRange(Enumerable.Range(0, grammar.Nonterminals.Count));
        foreach (var rule in grammar.Rules)
            foreach (var symbol in rule.Rhs)
                if (!symbol.IsTerminal) graph.AddEdge(new SEdge<int>(rule.Lhs, symbol.Id));
        return new NonterminalGraph(graph);
    }

    /// <summary>The nonterminals on the right-hand sides of X's rules, each once.</summary>
    public IEnumerable<int> Successors(int x) => _graph.OutEdges(x).Select(e => e.Target);

    /// <summary>
    /// The strongly connected components numbered sinks first: every edge goes from a component to one with an equal or
    /// smaller number, so each component can be solved after the ones it depends on. O(|N| + |E|).
    /// </summary>
    public StronglyConnectedComponents Components()
    {
        var n = _graph.VertexCount;
        var found = new Dictionary<int, int>();
        var count = _graph.StronglyConnectedComponents(found);
        // The condensation is acyclic; its topological order lists sources first, so its reverse lists sinks first.
        var condensation = new AdjacencyGraph<int, SEdge<int>>(allowParallelEdges: false);
        condensation.AddVertexRange(Enumerable.Range(0, count));
        foreach (var edge in _graph.Edges)
            if (found[edge.Source] != found[edge.Target]) condensation.AddEdge(new SEdge<int>(found[edge.Source], found[edge.Target]));
        var rank = new int[count];
        var order = condensation.TopologicalSort().Reverse().ToArray();
        for (var i = 0; i < order.Length; i++) rank[order[i]] = i;
        var componentOf = Enumerable.Range(0, n).Select(x => rank[found[x]]).ToArray();
        var buckets = Enumerable.Range(0, count).Select(_ => new List<int>()).ToArray();
        for (var x = 0; x < n; x++) buckets[componentOf[x]].Add(x);
        var members = buckets.Select(b => b.ToArray()).ToArray();
        return new StronglyConnectedComponents(componentOf, members);
    }
}
