using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Generators;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Generation;
using Workbench.Neural;
using Workbench.Neural.Architecture;
using Workbench.Neural.Constructions;
using static TorchSharp.torch;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P6.6 (Minsky; Lemma 5.2.2): every deterministic PFSA is a Heaviside Elman RNN LM with |Q|·|Σ| hidden
/// units whose hidden state is the one-hot code of (current state, last symbol).
/// </summary>
public static class P6_6_MinskyConstruction
{
    /// <summary>A random tight deterministic PFSA (≤ 32 states, ≤ 4 symbols), with a softmax or sparsemax output.</summary>
    public static Arbitrary<(int Seed, int States, int Symbols, int Arcs, bool Sparsemax)> Machines { get; } = Arb.From(
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from states in Gen.Choose(1, 32)
        from symbols in Gen.Choose(1, 4)
        from arcs in Gen.Choose(1, symbols)
        from sparsemax in Gen.Elements(false, true)
        select (seed, states, symbols, arcs, sparsemax));

    /// <summary>The construction on random machines: the one-hot invariant along samples and equal string probabilities.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P6.6",
        "Minsky: a deterministic PFSA is a Heaviside Elman RNN LM with |Q|·|Σ| units; hₜ is one-hot at (qₜ, yₜ) and p_RNN(y) = p_A(y) (softmax over log-weights, or sparsemax over probabilities).",
        "§5.2 (Lemma 5.2.2)",
        Machines,
        Check,
        defaultTrials: 30);

    private static void Check((int Seed, int States, int Symbols, int Arcs, bool Sparsemax) instance)
    {
        var random = new Random(instance.Seed);
        var pfsa = RandomAutomata.Pfsa(random, instance.States, instance.Symbols, instance.Arcs, deterministic: true);
        var automaton = new DeterministicPfsaLanguageModel<Formal.Semirings.Real>(pfsa);
        var network = MinskyConstruction.Compile(pfsa, instance.Sparsemax ? OutputProjection.Sparsemax : OutputProjection.Softmax);
        Require.That(network.Architecture.Hidden == pfsa.StateCount * pfsa.Alphabet.Size, "the hidden size is |Q|·|Σ|");
        var model = new NeuralLanguageModel(network);
        var samples = AncestralSampler.SampleMany(automaton, 8, instance.Seed, 30).Where(s => !s.Truncated).Select(s => s.Symbols);
        var arbitrary = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, random.Next(8)).Select(_ => random.Next(instance.Symbols)).ToArray());
        foreach (int[] y in samples.Concat(arbitrary))
        {
            double expected = automaton.LogProbability(y), actual = model.LogProbability(y);
            if (double.IsNegativeInfinity(expected))
                Require.That(Math.Exp(actual) == 0, $"p_A({string.Join(' ', y)}) = 0 but the RNN gives log p = {actual}");
            else
                Require.Close(expected, actual, 1e-8, $"log p of [{string.Join(' ', y)}]");
            if (double.IsNegativeInfinity(expected))
                continue;
            var state = model.InitialState;
            int q = 0;
            foreach (int symbol in y)
            {
                state = model.Advance(state, symbol);
                q = pfsa.ArcTargets[pfsa.FindArc(q, symbol)];
                using var noGrad = no_grad();
                double[] h = state.Encoding.data<double>().ToArray();
                int unit = MinskyConstruction.Unit(q, symbol, instance.Symbols);
                Require.That(h.Select((v, i) => v == (i == unit ? 1 : 0)).All(b => b), $"hₜ is not the one-hot vector of (q = {q}, y = {symbol})");
            }
        }
    }
}
