using Workbench.Proofs.Generators;
using static TorchSharp.torch;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P7.4: without positional encodings attention is permutation-equivariant, so a one-layer causal
/// transformer's encoding of the last position is the same for every ordering of the symbols before
/// it: it sees their multiset, not their order.
/// </summary>
public static class P7_4_NoPositionalEncodingIsPermutationInvariant
{
    /// <summary>Random one-layer NoPE transformers and random permutations of random contexts.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P7.4",
        "Without positional encodings soft attention is permutation-equivariant: a one-layer causal transformer gives the last position the same encoding under any permutation of the symbols before it.",
        "§5.3 (positional encodings)",
        Networks.Of(12,
            "transformer:hidden=8,layers=1,heads=2,pe=none,ln=pre",
            "transformer:hidden=6,layers=1,heads=3,pe=none,ln=post"),
        Check,
        defaultTrials: 40);

    private static void Check(NetworkInstance instance)
    {
        var network = instance.Build();
        long[] context = instance.Context.Select(s => (long)s).ToArray();
        long[] permuted = (long[])context.Clone();
        if (permuted.Length > 1)
            new Random(instance.Seed).Shuffle(permuted.AsSpan(0, permuted.Length - 1)); // the query's own symbol stays last
        using var noGrad = no_grad();
        double[] Last(long[] symbols) => network.Encode(tensor(symbols, dtype: ScalarType.Int64).view(1, -1))[0, -1].data<double>().ToArray();
        double[] original = Last(context), shuffled = Last(permuted);
        for (int i = 0; i < original.Length; i++)
            Require.Close(original[i], shuffled[i], 1e-12, Invariant($"coordinate {i} of the last encoding after permuting the context"));
    }
}
