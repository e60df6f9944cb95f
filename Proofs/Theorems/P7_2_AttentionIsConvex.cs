using TorchSharp;
using Workbench.Neural.Architecture;
using Workbench.Neural.Layers;
using Workbench.Proofs.Generators;
using static TorchSharp.torch;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P7.2: attention weights are a distribution over the visible (earlier or equal) positions, so each
/// attended vector lies in the convex hull of the visible value vectors — for soft, hard and sparsemax attention.
/// </summary>
public static class P7_2_AttentionIsConvex
{
    /// <summary>Random attention layers on random inputs.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P7.2",
        "Causal attention weights are ≥ 0, sum to 1 and vanish on future positions; every attended vector lies coordinate-wise within the visible values' range (convex hull).",
        "§5.3 (attention as a convex combination)",
        Networks.Of(20,
            "transformer:hidden=8,heads=2,attention=soft",
            "transformer:hidden=8,heads=2,attention=hard",
            "transformer:hidden=8,heads=4,kv=2,attention=sparsemax,pe=alibi",
            "transformer:hidden=6,heads=3,kv=1,attention=soft,pe=rope"),
        Check,
        defaultTrials: 40);

    private static void Check(NetworkInstance instance)
    {
        manual_seed(instance.Seed);
        var architecture = NeuralArchitecture.Parse(instance.Spec) with { Double = true };
        using var attention = new CausalSelfAttention(architecture);
        attention.to(ScalarType.Float64);
        using var noGrad = no_grad();
        int count = instance.Context.Length + 1, heads = architecture.Heads, group = heads / architecture.KeyValueHeads;
        var result = attention.Forward(randn(1, count, architecture.Hidden, dtype: ScalarType.Float64) * 3, 0, null);
        double[] weights = result.Weights.contiguous().data<double>().ToArray();
        double[] values = result.Values.contiguous().data<double>().ToArray();
        int headSize = architecture.Hidden / heads;
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < count; i++)
            {
                double sum = 0;
                var attended = new double[headSize];
                for (int j = 0; j < count; j++)
                {
                    double w = weights[(h * count + i) * count + j];
                    Require.That(w >= 0, Invariant($"weight {w} of head {h}, query {i}, key {j} is negative"));
                    Require.That(j <= i || w == 0, Invariant($"query {i} attends to the future position {j} with weight {w}"));
                    sum += w;
                    for (int k = 0; k < headSize; k++)
                        attended[k] += w * values[((h / group) * count + j) * headSize + k];
                }
                Require.Close(1, sum, 1e-12, Invariant($"the weights of head {h}, query {i} sum"));
                for (int k = 0; k < headSize; k++)
                {
                    var visible = Enumerable.Range(0, i + 1).Select(j => values[((h / group) * count + j) * headSize + k]).ToArray();
                    Require.AtMost(visible.Min(), attended[k], 1e-12, "attended coordinate against the visible minimum");
                    Require.AtMost(attended[k], visible.Max(), 1e-12, "attended coordinate against the visible maximum");
                }
            }
    }
}
