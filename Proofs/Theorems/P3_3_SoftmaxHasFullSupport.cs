using FsCheck;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P3.3: softmax has full support, so a softmax language model with finite weights gives every string a positive
/// probability: every next-symbol distribution, and hence every log p(y), is finite. Zeros need −∞ logits or sparsemax.
/// </summary>
public static class P3_3_SoftmaxHasFullSupport
{
    /// <summary>Random Elman, LSTM, GRU and transformer LMs with softmax outputs, on random strings.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P3.3",
        "Softmax has full support: a representation-based LM with finite weights and a softmax output gives every next symbol, and so every string, positive probability (log p(y) > −∞).",
        "§3.1 (softmax; representation-based LMs)",
        Networks.Of(12, "elman:hidden=4,activation=tanh", "lstm:hidden=4", "gru:hidden=3", "transformer:hidden=8,layers=1,heads=2", "elman:hidden=6,activation=relu"),
        Check, defaultTrials: 40);

    private static void Check(NetworkInstance instance)
    {
        var model = instance.Model();
        var next = new double[model.Alphabet.SizeWithEos];
        var state = model.InitialState;
        foreach (var symbol in instance.Context.Append(-1))
        {
            model.NextLogProbabilities(state, next);
            for (var a = 0; a < next.Length; a++)
                Require.That(double.IsFinite(next[a]), $"p({(a == model.Alphabet.Eos ? "EOS" : model.Alphabet.NameOf(a))} | prefix) has log {next[a]}");
            if (symbol < 0) break;
            state = model.Advance(state, symbol);
        }
        var logProbability = model.LogProbability(instance.Context);
        Require.That(double.IsFinite(logProbability), $"log p(y) = {logProbability}");
    }
}
