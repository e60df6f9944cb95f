using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Generators;
using Workbench.Automata.Grammars;
using Workbench.Formal.Semirings;

namespace Workbench.Proofs.Generators;

/// <summary>A random CNF PCFG described by its parameters and seed.</summary>
public sealed record PcfgInstance(int Seed, int Nonterminals, int Terminals, int BinaryRules, double BinaryMass)
{
    /// <summary>The grammar.</summary>
    public Cfg<Real> Build() => RandomGrammars.CnfPcfg(new Random(Seed), Nonterminals, Terminals, BinaryRules, BinaryMass);

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"PCFG(seed {Seed}, |N| = {Nonterminals}, |Σ| = {Terminals}, {BinaryRules} binary rules, binary mass {BinaryMass:G4})");
}

/// <summary>Generators of PCFG instances (|N| ≤ 4, |Σ| ≤ 3).</summary>
public static class GrammarInstances
{
    /// <summary>Random CNF PCFGs with binary mass drawn from <paramref name="masses"/>.</summary>
    public static Arbitrary<PcfgInstance> Pcfgs(Gen<double> masses) =>
        Arb.From(
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from nonterminals in Gen.Choose(1, 4)
            from terminals in Gen.Choose(1, 3)
            from binary in Gen.Choose(1, 3)
            from mass in masses
            select new PcfgInstance(seed, nonterminals, terminals, binary, mass),
            instance => instance.Nonterminals > 1 ? [instance with { Nonterminals = instance.Nonterminals - 1 }] : []);

    /// <summary>Random CNF PCFGs paired with a seed for sampling from them.</summary>
    public static Arbitrary<(PcfgInstance Instance, int Seed)> PcfgsWithSeed(Gen<double> masses) =>
        Arb.From(
            from instance in Pcfgs(masses).Generator
            from seed in Gen.Choose(0, int.MaxValue - 1)
            select (instance, seed));

    /// <summary>Random CNF PCFGs paired with a random string over their terminals of length ≤ <paramref name="maxLength"/>.</summary>
    public static Arbitrary<(PcfgInstance Instance, int[] Y)> PcfgsWithString(Gen<double> masses, int maxLength) =>
        Arb.From(
            from instance in Pcfgs(masses).Generator
            from y in Tables.RandomString(instance.Terminals, maxLength)
            select (instance, y));

    /// <summary>Binary masses away from criticality: ρ(M) ≈ 2·mass, kept outside [0.9, 1.1].</summary>
    public static Gen<double> AwayFromCriticality { get; } = Gen.OneOf(Numbers.Between(0.05, 0.42), Numbers.Between(0.58, 0.9));
}
