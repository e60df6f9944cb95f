using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Numerics;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P3.6 (the per-step lemma): in a softmax representation-based LM, p(EOS | ω) ≥ exp(−s‖h‖)/|Σ̄| with
/// h = enc(ω) and s = max_y ‖e(y) − e(EOS)‖; so a bounded encoder puts a floor under p(EOS), and P2.5
/// makes the model tight.
/// </summary>
public static class P3_6_SoftmaxEosFloor
{
    /// <summary>Random output embeddings (|Σ̄| ≤ 6, dimension ≤ 6) and encodings of random norm.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P3.6",
        "In a softmax LM p(ȳ | ω) = softmax(E·enc(ω)), p(EOS | ω) ≥ exp(−s‖enc(ω)‖)/|Σ̄| with s = max_y ‖e(y) − e(EOS)‖: a bounded encoder gives an EOS floor, hence tightness (with P2.5).",
        "§3.1 (tightness of representation-based LMs)",
        Arb.From(
            from symbols in Gen.Choose(2, 6)
            from dimension in Gen.Choose(1, 6)
            from embeddings in Gen.ArrayOf(Gen.ArrayOf(Numbers.Between(-3, 3), dimension), symbols)
            from encoding in Gen.ArrayOf(Numbers.Between(-5, 5), dimension)
            select (embeddings, encoding)),
        Check);

    private static void Check((double[][] Embeddings, double[] Encoding) instance)
    {
        var (embeddings, h) = instance;
        var eos = embeddings.Length - 1;
        double Norm(IEnumerable<double> v) => Math.Sqrt(v.Sum(x => x * x));
        var s = embeddings.Max(e => Norm(e.Zip(embeddings[eos], (a, b) => a - b)));
        var logits = embeddings.Select(e => e.Zip(h, (a, b) => a * b).Sum()).ToArray();
        var logEos = Math.Log(Softmax.Probabilities(logits)[eos]);
        var logFloor = -s * Norm(h) - Math.Log(embeddings.Length);
        Require.AtMost(logFloor, logEos, 1e-12, "log of the floor exp(−s‖h‖)/|Σ̄| against log p(EOS | ω)");
    }
}
