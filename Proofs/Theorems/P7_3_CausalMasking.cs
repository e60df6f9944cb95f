using Workbench.Proofs.Generators;
using static TorchSharp.torch;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P7.3: with causal masking (and for RNNs by construction) the encoding of y≤ₜ depends only on y≤ₜ, so
/// the network is a valid autoregressive model and can be run incrementally.
/// </summary>
public static class P7_3_CausalMasking
{
    /// <summary>Random networks: two strings sharing a prefix get bitwise equal encodings on that prefix.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P7.3",
        "Causal masking makes hₜ depend only on y≤ₜ: changing the suffix leaves every earlier encoding bitwise unchanged.",
        "§5.3 (masked self-attention)",
        Networks.Of(16,
            "transformer:hidden=8,layers=2,heads=2,pe=sinusoidal",
            "transformer:hidden=8,layers=2,heads=2,pe=learned,attention=sparsemax,maxlength=40",
            "transformer:hidden=8,layers=1,heads=2,pe=alibi,attention=hard,ln=post",
            "elman:hidden=5", "lstm:hidden=4,layers=2"),
        Check,
        defaultTrials: 30);

    private static void Check(NetworkInstance instance)
    {
        var network = instance.Build();
        int prefix = instance.Context.Length;
        var random = new Random(instance.Seed);
        long[] Extend() => [.. instance.Context.Select(s => (long)s), .. Enumerable.Range(0, 6).Select(_ => (long)random.Next(instance.AlphabetSize))];
        using var noGrad = no_grad();
        var first = network.Encode(tensor(Extend()).view(1, -1)).narrow(1, 0, prefix + 1).contiguous().data<double>().ToArray();
        var second = network.Encode(tensor(Extend()).view(1, -1)).narrow(1, 0, prefix + 1).contiguous().data<double>().ToArray();
        Require.That(first.SequenceEqual(second), "the encodings of the shared prefix differ between two continuations");
    }
}
