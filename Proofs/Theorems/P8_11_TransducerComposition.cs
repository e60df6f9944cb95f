using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Generators;
using Workbench.Automata.Operations;
using Workbench.Formal.Symbols;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P8.11: weighted composition is relational composition, (A ∘ B)(x, z) = Σ_y A(x, y)·B(y, z), also when both machines
/// have ε on either tape (the ε-filter counts each pairing of ε-moves once). Tokenizers are transducers, and the decoder
/// κ composed with a token model gives its character model (Automata.Tests checks that, and OpenFst's fstcompose).
/// </summary>
public static class P8_11_TransducerComposition
{
    private static readonly Alphabet X = Alphabet.FromCharacters("ab"), Y = Alphabet.FromCharacters("cd"), Z = Alphabet.FromCharacters("ef");

    /// <summary>Random acyclic transducers with ε on either tape, so both relations can be enumerated.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P8.11",
        "Composition of weighted transducers with ε on either tape equals the relational composition Σ_y A(x, y)·B(y, z) of their enumerated relations, pair by pair.",
        "notes Part 2 (tokenization as transduction); Mohri, Pereira & Riley 2002",
        Arb.From(
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from first in Gen.Choose(1, 5)
            from second in Gen.Choose(1, 5)
            select (Seed: seed, First: first, Second: second)),
        Check);

    private static void Check((int Seed, int First, int Second) instance)
    {
        var random = new Random(instance.Seed);
        var a = RandomTransducers.Acyclic(random, instance.First, X, Y);
        var b = RandomTransducers.Acyclic(random, instance.Second, Y, Z);
        var expected = RandomTransducers.Compose(RandomTransducers.Relation(a), RandomTransducers.Relation(b));
        var actual = RandomTransducers.Relation(Composition.Compose(a, b));
        foreach (var key in expected.Keys.Union(actual.Keys))
            Require.Close(expected.GetValueOrDefault(key), actual.GetValueOrDefault(key), 1e-10 * Math.Max(1, expected.GetValueOrDefault(key)), $"(A ∘ B)({key.Input}, {key.Output})");
    }
}
