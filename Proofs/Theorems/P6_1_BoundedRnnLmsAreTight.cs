using Workbench.Formal.Symbols;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Neural.Tightness;
using Workbench.Proofs.Generators;
using static TorchSharp.torch;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P6.1: an RNN LM whose hidden states are bounded (tanh, sigmoid, LSTM, GRU) with a softmax output is
/// tight: ‖h‖ ≤ B gives p(EOS | ω) ≥ f &gt; 0 at every step, so P(|y| ≥ T) ≤ (1 − f)^T.
/// </summary>
public static class P6_1_BoundedRnnLmsAreTight
{
    /// <summary>Random networks: the certificate, the per-step floor on a random context, and the exact length tail.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P6.1",
        "Elman RNN LMs with bounded activations (and LSTMs, GRUs) with softmax outputs are tight: ‖hₜ‖ ≤ √D bounds p(EOS | ω) below by f > 0, so P(|y| ≥ T) ≤ (1 − f)^T.",
        "§5.1.2 (tightness of Elman RNN LMs), with P3.6",
        Networks.Of(12, "elman:hidden=4,activation=tanh", "elman:hidden=5,activation=sigmoid", "lstm:hidden=4", "gru:hidden=3,layers=2"),
        Check,
        defaultTrials: 25);

    private static void Check(NetworkInstance instance)
    {
        var model = instance.Model();
        var report = NeuralTightness.Analyze(model, new TightnessSampling(20, 100, instance.Seed));
        Require.That(report.Verdict == TightnessVerdict.Tight && report.Method == TightnessMethod.NormBoundCertificate,
            $"expected a tightness certificate, got {report} ({string.Join("; ", report.Evidence)})");
        var bound = EncoderNormBound.Of(model.Network);
        double floor = NeuralTightness.EosFloor(model.Network, bound.Bound);
        var state = ChainRule.StateAfter(model, instance.Context);
        using (no_grad())
            Require.AtMost(EncoderNormBound.Norm(state.Encoding), bound.Bound, 1e-12, "‖enc(ω)‖ against the a-priori bound");
        var next = new double[model.Alphabet.SizeWithEos];
        model.NextLogProbabilities(state, next);
        Require.AtMost(Math.Log(floor), next[model.Alphabet.Eos], 1e-12, "log f against log p(EOS | ω)");
        const int length = 4;
        double tail = Strings.UpTo(model.Alphabet.Size, length).Where(y => y.Length == length).Sum(y => Math.Exp(ChainRule.LogPrefixProbability(model, y)));
        Require.AtMost(tail, Math.Pow(1 - floor, length), 1e-12, "P(|y| ≥ 4) (summed over Σ⁴) against (1 − f)⁴");
    }
}
