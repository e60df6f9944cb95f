using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Generators;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Semirings;
using Workbench.Neural;
using Workbench.Neural.Architecture;
using Workbench.Neural.Constructions;
using Workbench.Neural.Models;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P6.5 (Lemma 5.2.1): a Heaviside Elman RNN LM reaches finitely many hidden states (⊆ {0,1}^D), and the
/// deterministic PFSA on them, with weights read off the output layer, is the same LM.
/// </summary>
public static class P6_5_HeavisideRnnsAreDeterministicPfsas
{
    /// <summary>Random Heaviside RNNs with small integer weights (D ≤ 8, |Σ| ≤ 3).</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P6.5",
        "A Heaviside RNN LM reaches at most 2^D hidden states; the deterministic PFSA on them with weights proj(E h)_y is weakly equivalent to it.",
        "§5.2 (Lemma 5.2.1)",
        Arb.From(
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from hidden in Gen.Choose(1, 8)
            from symbols in Gen.Choose(1, 3)
            select (seed, hidden, symbols)),
        Check,
        defaultTrials: 40);

    private static void Check((int Seed, int Hidden, int Symbols) instance)
    {
        var (seed, hidden, symbols) = instance;
        var random = new Random(seed);
        double[,] Integers(int rows, int columns) => Fill(rows, columns, () => random.Next(-2, 3));
        var weights = new ElmanWeights(
            Integers(hidden, hidden), Integers(symbols, hidden), Enumerable.Range(0, hidden).Select(_ => (double)random.Next(-2, 2)).ToArray(),
            Enumerable.Range(0, hidden).Select(_ => (double)random.Next(2)).ToArray(),
            Fill(symbols + 1, hidden, () => 2 * random.NextDouble() - 1), Enumerable.Range(0, symbols + 1).Select(_ => random.NextDouble()).ToArray());
        var architecture = new NeuralArchitecture { Kind = NetworkKind.Elman, Hidden = hidden, Activation = Activation.Heaviside, Double = true };
        var network = ElmanNetwork.FromWeights(RandomAutomata.Letters(symbols), architecture, weights);
        var pfsa = HeavisideExtraction.Extract(network);
        Require.That(pfsa.StateCount <= 1 << hidden, Invariant($"{pfsa.StateCount} reachable hidden states exceed 2^D = {1 << hidden}"));
        Require.That(pfsa.IsDeterministic, "the extracted automaton is deterministic");
        var automaton = new DeterministicPfsaLanguageModel<Real>(pfsa);
        var model = new NeuralLanguageModel(network);
        for (int i = 0; i < 20; i++)
        {
            int[] y = Enumerable.Range(0, random.Next(10)).Select(_ => random.Next(symbols)).ToArray();
            Require.Close(model.LogProbability(y), automaton.LogProbability(y), 1e-12, $"log p of [{string.Join(' ', y)}]");
        }
    }

    private static double[,] Fill(int rows, int columns, Func<double> value)
    {
        var matrix = new double[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                matrix[i, j] = value();
        return matrix;
    }
}
