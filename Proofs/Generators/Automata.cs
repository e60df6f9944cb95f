using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Core;
using Workbench.Automata.Generators;
using Workbench.Formal.Semirings;

namespace Workbench.Proofs.Generators;

/// <summary>A random WFSA described by its parameters and seed, so it prints short and shrinks by size.</summary>
public sealed record WfsaInstance(int Seed, int States, int AlphabetSize, int ArcsPerState, double SpectralRadius)
{
    /// <summary>The machine.</summary>
    public Wfsa<Real> Build() => RandomAutomata.Wfsa(new Random(Seed), States, AlphabetSize, ArcsPerState, SpectralRadius);

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"WFSA(seed {Seed}, {States} states, |Σ| = {AlphabetSize}, {ArcsPerState} arcs/state, ρ ≈ {SpectralRadius:G4})");
}

/// <summary>A random PFSA described by its parameters and seed.</summary>
public sealed record PfsaInstance(int Seed, int States, int AlphabetSize, int ArcsPerState, bool Deterministic, int TrapStates)
{
    /// <summary>The machine.</summary>
    public Wfsa<Real> Build() => RandomAutomata.Pfsa(new Random(Seed), States, AlphabetSize, ArcsPerState, Deterministic, TrapStates);

    /// <inheritdoc />
    public override string ToString() =>
        $"PFSA(seed {Seed}, {States} states, |Σ| = {AlphabetSize}, {ArcsPerState} arcs/state{(Deterministic ? ", deterministic" : "")}{(TrapStates > 0 ? $", {TrapStates} trap states" : "")})";
}

/// <summary>Generators of random automata small enough for brute-force comparisons.</summary>
public static class AutomataInstances
{
    /// <summary>WFSAs with ≤ <paramref name="maxStates"/> states, |Σ| ≤ 3, ≤ 3 arcs per state and spectral radius in [lo, hi].</summary>
    public static Arbitrary<WfsaInstance> Wfsas(int maxStates, double lowRadius, double highRadius) =>
        Arb.From(
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from states in Gen.Choose(1, maxStates)
            from size in Gen.Choose(1, 3)
            from arcs in Gen.Choose(1, 3)
            from radius in Numbers.Between(lowRadius, highRadius)
            select new WfsaInstance(seed, states, size, arcs, radius),
            instance => Smaller(instance.States).Select(s => instance with { States = s })
                .Concat(Smaller(instance.ArcsPerState).Select(a => instance with { ArcsPerState = a })));

    /// <summary>PFSAs with ≤ <paramref name="maxStates"/> states, |Σ| ≤ 3, 1–3 arcs per state, deterministic or not, with or without traps.</summary>
    public static Arbitrary<PfsaInstance> Pfsas(int maxStates, bool allowTraps) =>
        Arb.From(
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from states in Gen.Choose(1, maxStates)
            from size in Gen.Choose(1, 3)
            from deterministic in Gen.Elements(false, true)
            from arcs in Gen.Choose(1, deterministic ? size : 3)
            from traps in allowTraps ? Gen.Choose(0, 2) : Gen.Constant(0)
            select new PfsaInstance(seed, states, size, arcs, deterministic, traps),
            instance => Smaller(instance.States).Select(s => instance with { States = s })
                .Concat(Smaller(instance.TrapStates, 0).Select(t => instance with { TrapStates = t })));

    private static IEnumerable<int> Smaller(int value, int minimum = 1) =>
        value > minimum ? [minimum, (value + minimum) / 2, value - 1] : [];
}
