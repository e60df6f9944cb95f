using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Core;

/// <summary>An arc of a transducer: read <paramref name="Input"/>, write <paramref name="Output"/> (either may be ε), go to <paramref name="Target"/>.</summary>
public readonly record struct FstArc<T>(int Input, int Output, int Target, T Weight) where T : struct, ISemiring<T>;

/// <summary>
/// A weighted finite-state transducer over the semiring <typeparamref name="T"/>: states 0..|Q|−1 with initial and final
/// weights, and arcs that read a symbol of the input alphabet and write one of the output alphabet, either of them ε
/// (<see cref="Epsilon"/>). It weighs a pair (x, y) by the sum over its paths reading x and writing y. Immutable.
/// O(|Q| + |δ|) memory. Notes §4.1; Mohri, Pereira &amp; Riley 2002.
/// </summary>
public sealed class Wfst<T> where T : struct, ISemiring<T>
{
    /// <summary>The label of ε on either tape.</summary>
    public const int Epsilon = -1;

    private readonly T[] _initial;
    private readonly T[] _final;
    private readonly FstArc<T>[][] _arcs;

    /// <summary>Checks and stores the transducer.</summary>
    /// <exception cref="InvalidModelException">An arc names a state or symbol that does not exist, or the weight arrays have the wrong length.</exception>
    public Wfst(Alphabet input, Alphabet output, T[] initial, T[] final, IReadOnlyList<IReadOnlyList<FstArc<T>>> arcs)
    {
        InputAlphabet = input;
        OutputAlphabet = output;
        if (initial.Length != final.Length || arcs.Count != initial.Length)
            throw new InvalidModelException($"A transducer needs one initial weight, one final weight and one arc list per state ({initial.Length}, {final.Length}, {arcs.Count}).");
        for (var q = 0; q < arcs.Count; q++)
            foreach (var arc in arcs[q])
            {
                if ((uint)arc.Target >= (uint)initial.Length) throw new InvalidModelException($"An arc of state {q} goes to state {arc.Target}, which does not exist.");
                if (arc.Input != Epsilon && !input.Contains(arc.Input)) throw new InvalidModelException($"An arc of state {q} reads symbol {arc.Input}, outside the input alphabet.");
                if (arc.Output != Epsilon && !output.Contains(arc.Output)) throw new InvalidModelException($"An arc of state {q} writes symbol {arc.Output}, outside the output alphabet.");
            }
        _initial = [.. initial];
        _final = [.. final];
        _arcs = [.. arcs.Select(a => a.ToArray())];
    }

    /// <summary>The input alphabet.</summary>
    public Alphabet InputAlphabet { get; }

    /// <summary>The output alphabet.</summary>
    public Alphabet OutputAlphabet { get; }

    /// <summary>|Q|.</summary>
    public int StateCount => _initial.Length;

    /// <summary>The number of arcs.</summary>
    public int ArcCount => _arcs.Sum(a => a.Length);

    /// <summary>λ.</summary>
    public ReadOnlySpan<T> InitialWeights => _initial;

    /// <summary>ρ.</summary>
    public ReadOnlySpan<T> FinalWeights => _final;

    /// <summary>The arcs that leave <paramref name="state"/>.</summary>
    public ReadOnlySpan<FstArc<T>> ArcsOf(int state) => _arcs[state];

    /// <summary>The identity transducer of an acceptor: every arc reads and writes its label.</summary>
    public static Wfst<T> Identity(Wfsa<T> fsa)
    {
        var arcs = new List<FstArc<T>>[fsa.StateCount];
        for (var q = 0; q < fsa.StateCount; q++)
        {
            arcs[q] = [];
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++) arcs[q].Add(new FstArc<T>(fsa.ArcLabels[e], fsa.ArcLabels[e], fsa.ArcTargets[e], fsa.ArcWeights[e]));
        }
        return new Wfst<T>(fsa.Alphabet, fsa.Alphabet, fsa.InitialWeights.ToArray(), fsa.FinalWeights.ToArray(), arcs);
    }

    /// <summary>T⁻¹: the tapes swapped. O(|δ|).</summary>
    public Wfst<T> Inverse() =>
        new(OutputAlphabet, InputAlphabet, _initial, _final, [.. _arcs.Select(a => (IReadOnlyList<FstArc<T>>)[.. a.Select(x => x with { Input = x.Output, Output = x.Input })])]);

    /// <summary>The acceptor of the input tape (Σ_y T(x, y) as the weight of x). O(|δ|).</summary>
    public Wfsa<T> ProjectInput() => Project(input: true);

    /// <summary>The acceptor of the output tape (Σ_x T(x, y) as the weight of y). O(|δ|).</summary>
    public Wfsa<T> ProjectOutput() => Project(input: false);

    private Wfsa<T> Project(bool input)
    {
        var builder = new WfsaBuilder<T>(input ? InputAlphabet : OutputAlphabet).EnsureStates(StateCount);
        for (var q = 0; q < StateCount; q++)
        {
            builder.SetInitial(q, _initial[q]).SetFinal(q, _final[q]);
            foreach (var arc in _arcs[q]) builder.AddArc(q, input ? arc.Input : arc.Output, arc.Target, arc.Weight);
        }
        return builder.Build();
    }
}
