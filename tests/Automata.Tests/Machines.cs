using Workbench.Automata.Core;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Tests;

/// <summary>Small hand-built machines with closed-form answers.</summary>
internal static class Machines
{
    public static readonly Alphabet Ab = Alphabet.FromCharacters("ab");

    /// <summary>One state looping on a with probability p and stopping with 1 − p: p(aⁿ) = pⁿ(1 − p).</summary>
    public static Wfsa<T> Geometric<T>(double p) where T : struct, ISemiring<T>, IRealWeight<T> =>
        new WfsaBuilder<T>(Ab).EnsureStates(1)
            .SetInitial(0, T.FromReal(1)).SetFinal(0, T.FromReal(1 - p))
            .AddArc(0, 0, 0, T.FromReal(p))
            .Build();

    /// <summary>
    /// State 0 loops on a (0.5), stops (0.25) or moves on b (0.25) to state 1, a trap looping on b forever:
    /// the finite strings carry Z = 0.25/(1 − 0.5) = 0.5.
    /// </summary>
    public static Wfsa<Real> LeakyPfsa() =>
        new WfsaBuilder<Real>(Ab).EnsureStates(2)
            .SetInitial(0, Real.One).SetFinal(0, new Real(0.25))
            .AddArc(0, 0, 0, new Real(0.5)).AddArc(0, 1, 1, new Real(0.25))
            .AddArc(1, 1, 1, Real.One)
            .Build();

    /// <summary>A single state with a self-loop of weight w and final weight f: Z = f/(1 − w) for w &lt; 1.</summary>
    public static Wfsa<T> Loop<T>(double w, double f) where T : struct, ISemiring<T>, IRealWeight<T> =>
        new WfsaBuilder<T>(Ab).EnsureStates(1)
            .SetInitial(0, T.FromReal(1)).SetFinal(0, T.FromReal(f))
            .AddArc(0, 0, 0, T.FromReal(w))
            .Build();
}
