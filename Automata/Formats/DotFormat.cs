using System.Text;
using Workbench.Automata.Core;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Formats;

/// <summary>
/// Graphviz DOT for drawing an automaton (<c>dot -Tsvg</c>): states as circles labelled with their final
/// weight when it is non-zero (double circles), arcs labelled <c>symbol/weight</c>, and an arrow into each
/// initial state labelled with its weight. Weights print as probabilities, to 4 significant digits. O(|Q| + |δ|).
/// </summary>
public static class DotFormat
{
    /// <summary>The DOT text.</summary>
    public static string Write<T>(Wfsa<T> fsa) where T : struct, ISemiring<T>, IRealWeight<T>
    {
        var dot = new StringBuilder("digraph wfsa {\n  rankdir=LR;\n  node [shape=circle, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\"];\n");
        for (var q = 0; q < fsa.StateCount; q++)
        {
            var final = T.ToReal(fsa.FinalWeights[q]);
            dot.Append(final > 0
                ? Invariant($"  {q} [shape=doublecircle, label=\"{q}/{final:G4}\"];\n")
                : Invariant($"  {q} [label=\"{q}\"];\n"));
            var initial = T.ToReal(fsa.InitialWeights[q]);
            if (initial > 0)
                dot.Append(Invariant($"  start{q} [shape=point];\n  start{q} -> {q} [label=\"{initial:G4}\"];\n"));
        }
        for (var q = 0; q < fsa.StateCount; q++)
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
            {
                var label = fsa.ArcLabels[e] == Wfsa<T>.Epsilon ? "ε" : Escape(fsa.Alphabet.NameOf(fsa.ArcLabels[e]));
                dot.Append(Invariant($"  {q} -> {fsa.ArcTargets[e]} [label=\"{label}/{T.ToReal(fsa.ArcWeights[e]):G4}\"];\n"));
            }
        return dot.Append("}\n").ToString();
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
