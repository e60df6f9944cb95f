using TorchSharp;
using Workbench.Formal.LanguageModels;
using Workbench.Neural.Models;
using Workbench.Neural.Tightness;
using Workbench.Proofs.Generators;
using static TorchSharp.torch;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P7.1: a softmax transformer LM is tight: its encodings are bounded (by the final layer norm,
/// ‖enc‖ ≤ ‖γ‖_∞√d + ‖β‖, or without layer norm by propagating the embedding bound through the convex
/// attention, the residuals and the feed-forward layers), so P3.6 puts a floor under p(EOS | ω).
/// </summary>
public static class P7_1_SoftAttentionTransformersAreTight
{
    /// <summary>Random transformers: every prefix of a context up to length 200 respects B and the EOS floor.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P7.1",
        "Transformer LMs with soft attention are tight: the encoder is bounded (‖enc(ω)‖ ≤ B for all ω), so p(EOS | ω) ≥ f > 0 (P3.6).",
        "§5.3 (tightness of transformer LMs)",
        Networks.Of(200,
            "transformer:hidden=8,layers=2,heads=2,pe=sinusoidal,ln=pre",
            "transformer:hidden=8,layers=2,heads=2,pe=sinusoidal,ln=post",
            "transformer:hidden=6,layers=1,heads=3,pe=rope,ln=pre",
            "transformer:hidden=8,layers=2,heads=4,kv=1,pe=alibi,ln=post",
            "transformer:hidden=8,layers=2,heads=2,pe=sinusoidal,ln=none"),
        Check,
        defaultTrials: 25);

    private static void Check(NetworkInstance instance)
    {
        var model = instance.Model();
        SequenceModel network = model.Network;
        var report = NeuralTightness.Analyze(model, new TightnessSampling(20, 100, instance.Seed));
        Require.That(report.Verdict == TightnessVerdict.Tight, $"expected a tightness certificate, got {report}");
        double bound = EncoderNormBound.Of(network).Bound, floor = NeuralTightness.EosFloor(network, bound);
        using var noGrad = no_grad();
        var symbols = tensor(instance.Context.Select(s => (long)s).ToArray(), dtype: ScalarType.Int64).view(1, -1);
        double largest = network.Encode(symbols).norm(dim: -1).max().ToDouble();
        Require.AtMost(largest, bound, 1e-12, Invariant($"the largest ‖enc(y≤ₜ)‖ over {instance.Context.Length + 1} prefixes against B"));
        double lowestEos = network.LogProbabilities(symbols)[0, TensorIndex.Colon, network.Alphabet.Eos].min().ToDouble();
        Require.AtMost(Math.Log(floor), lowestEos, 1e-12, "log f against the smallest log p(EOS | y≤ₜ)");
    }
}
