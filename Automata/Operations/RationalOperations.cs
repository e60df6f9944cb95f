using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Operations;

/// <summary>
/// The rational operations on weighted languages: union (A ∪ B)(y) = A(y) ⊕ B(y), concatenation
/// (A·B)(y) = ⊕_{y = uv} A(u) ⊗ B(v), and Kleene closure A*(y) = ⊕_{n≥0} Aⁿ(y). Concatenation and
/// closure connect the machines by ε-arcs. Each is O(|Q| + |δ|). Notes §4.1 (weighted regular languages).
/// </summary>
public static class RationalOperations
{
    /// <summary>The disjoint union: A's states, then B's.</summary>
    public static Wfsa<T> Union<T>(Wfsa<T> a, Wfsa<T> b) where T : struct, ISemiring<T>
    {
        RequireSameAlphabet(a, b);
        var builder = new WfsaBuilder<T>(a.Alphabet).EnsureStates(a.StateCount + b.StateCount);
        Copy(a, builder, 0, keepInitial: true, keepFinal: true);
        Copy(b, builder, a.StateCount, keepInitial: true, keepFinal: true);
        return builder.Build();
    }

    /// <summary>A·B: each final state q of A gets ε-arcs of weight ρ_A(q) ⊗ λ_B(p) into every initial state p of B.</summary>
    public static Wfsa<T> Concatenate<T>(Wfsa<T> a, Wfsa<T> b) where T : struct, ISemiring<T>
    {
        RequireSameAlphabet(a, b);
        var builder = new WfsaBuilder<T>(a.Alphabet).EnsureStates(a.StateCount + b.StateCount);
        Copy(a, builder, 0, keepInitial: true, keepFinal: false);
        Copy(b, builder, a.StateCount, keepInitial: false, keepFinal: true);
        for (var q = 0; q < a.StateCount; q++)
        {
            if (a.FinalWeights[q].Equals(T.Zero)) continue;
            for (var p = 0; p < b.StateCount; p++)
                if (!b.InitialWeights[p].Equals(T.Zero))
                    builder.AddArc(q, Wfsa<T>.Epsilon, a.StateCount + p, T.Multiply(a.FinalWeights[q], b.InitialWeights[p]));
        }
        return builder.Build();
    }

    /// <summary>A*: a new initial and final state s (weight 1) with ε-arcs s → p of weight λ(p) and q → s of weight ρ(q).</summary>
    public static Wfsa<T> Closure<T>(Wfsa<T> a) where T : struct, ISemiring<T>
    {
        var builder = new WfsaBuilder<T>(a.Alphabet).EnsureStates(a.StateCount + 1);
        var hub = a.StateCount;
        Copy(a, builder, 0, keepInitial: false, keepFinal: false);
        builder.SetInitial(hub, T.One).SetFinal(hub, T.One);
        for (var q = 0; q < a.StateCount; q++)
        {
            if (!a.InitialWeights[q].Equals(T.Zero)) builder.AddArc(hub, Wfsa<T>.Epsilon, q, a.InitialWeights[q]);
            if (!a.FinalWeights[q].Equals(T.Zero)) builder.AddArc(q, Wfsa<T>.Epsilon, hub, a.FinalWeights[q]);
        }
        return builder.Build();
    }

    private static void Copy<T>(Wfsa<T> source, WfsaBuilder<T> builder, int offset, bool keepInitial, bool keepFinal) where T : struct, ISemiring<T>
    {
        for (var q = 0; q < source.StateCount; q++)
        {
            if (keepInitial) builder.SetInitial(offset + q, source.InitialWeights[q]);
            if (keepFinal) builder.SetFinal(offset + q, source.FinalWeights[q]);
            for (var e = source.ArcStart(q); e < source.ArcEnd(q); e++)
                builder.AddArc(offset + q, source.ArcLabels[e], offset + source.ArcTargets[e], source.ArcWeights[e]);
        }
    }

    internal static void RequireSameAlphabet<T>(Wfsa<T> a, Wfsa<T> b) where T : struct, ISemiring<T>
    {
        if (!a.Alphabet.Symbols.SequenceEqual(b.Alphabet.Symbols))
            throw new WorkbenchException($"The machines have different alphabets: {a.Alphabet} and {b.Alphabet}.");
    }
}
