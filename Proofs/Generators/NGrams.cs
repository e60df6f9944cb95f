using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Generators;
using Workbench.Automata.NGrams;

namespace Workbench.Proofs.Generators;

/// <summary>A random n-gram LM described by its parameters and seed.</summary>
public sealed record NGramInstance(int Seed, int Order, int AlphabetSize, double ZeroShare)
{
    /// <summary>The model.</summary>
    public NGramModel Build() => RandomNGrams.Model(new Random(Seed), Order, AlphabetSize, ZeroShare);

    /// <inheritdoc />
    public override string ToString() => $"{Order}-gram(seed {Seed}, |Σ| = {AlphabetSize}, zero share {ZeroShare:G3})";
}

/// <summary>Generators of n-gram instances (n ≤ 4, |Σ| ≤ 3).</summary>
public static class NGramInstances
{
    /// <summary>Random n-grams; <paramref name="maxZeroShare"/> bounds the share of zeroed conditionals.</summary>
    public static Arbitrary<NGramInstance> Models(double maxZeroShare) =>
        Arb.From(
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from order in Gen.Choose(1, 4)
            from size in Gen.Choose(1, 3)
            from zeros in Numbers.Between(0, maxZeroShare)
            select new NGramInstance(seed, order, size, zeros),
            instance => instance.Order > 1 ? [instance with { Order = instance.Order - 1 }] : []);
}
