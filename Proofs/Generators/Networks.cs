using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Symbols;
using Workbench.Neural;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;
using static TorchSharp.torch;

namespace Workbench.Proofs.Generators;

/// <summary>A randomly initialised network, reproducible from its spec, alphabet size and libtorch seed.</summary>
public sealed record NetworkInstance(string Spec, int AlphabetSize, int Seed, int[] Context)
{
    /// <summary>Builds the network (float64) with libtorch seeded by <see cref="Seed"/>.</summary>
    public SequenceModel Build()
    {
        manual_seed(Seed);
        var alphabet = new Alphabet(Enumerable.Range(0, AlphabetSize).Select(i => ((char)('a' + i)).ToString()));
        return NetworkFactory.Create(alphabet, NeuralArchitecture.Parse(Spec) with { Double = true });
    }

    /// <summary>The network as a language model.</summary>
    public NeuralLanguageModel Model() => new(Build());

    /// <inheritdoc />
    public override string ToString() => Invariant($"{Spec} over {AlphabetSize} symbols, torch seed {Seed}, context [{string.Join(' ', Context)}]");
}

/// <summary>Generators of random networks for the neural theorems.</summary>
public static class Networks
{
    /// <summary>Networks of the given specs (one drawn per instance), |Σ| in 1..3 and a random context of length 0..maxContext.</summary>
    public static Arbitrary<NetworkInstance> Of(int maxContext, params string[] specs) => Arb.From(
        from spec in Gen.Elements(specs)
        from size in Gen.Choose(1, 3)
        from seed in Gen.Choose(0, int.MaxValue)
        from length in Gen.Choose(0, maxContext)
        from context in Gen.ArrayOf(Gen.Choose(0, size - 1), length)
        select new NetworkInstance(spec, size, seed, context));
}
