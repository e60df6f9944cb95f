using Workbench.Formal.Symbols;
using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Generators;
using Workbench.Automata.NGrams;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Numerics;
using Workbench.Formal.Semirings;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P4.11: the neural n-gram LM of Bengio et al. (2003) sees only the last n − 1 symbols, so it has at most
/// one conditional per history and is a finite-state LM: tabulating it gives a deterministic PFSA with the
/// same string probabilities.
/// </summary>
public static class P4_11_NeuralNGramIsFiniteState
{
    /// <summary>Random MLP n-grams (embeddings, one tanh layer, softmax over Σ̄): the network's chain rule against its tabulated PFSA on Σ^{≤5}.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P4.11",
        "The neural n-gram LM (embeddings of the last n − 1 symbols → tanh layer → softmax over Σ̄) is finite-state: tabulated over its ≤ Σ_{k<n}|Σ|^k histories it is a deterministic PFSA with the same string probabilities.",
        "§4.1 (neural n-gram LMs, Bengio et al. 2003)",
        Arb.From(
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from order in Gen.Choose(1, 4)
            from size in Gen.Choose(1, 3)
            select (seed, order, size)),
        Check);

    private static void Check((int Seed, int Order, int AlphabetSize) instance)
    {
        var (seed, order, size) = instance;
        var alphabet = RandomAutomata.Letters(size);
        var network = new NeuralNGram(new Random(seed), order, size, dimension: 3, hidden: 4);
        var table = new NGramModel(alphabet, order, NGramEstimation.AllHistories(alphabet, order).Select(h => (h, network.Conditional(h))));
        var pfsa = new DeterministicPfsaLanguageModel<Real>(table.ToDeterministicPfsa());
        Require.That(pfsa.Automaton.StateCount <= Enumerable.Range(0, order).Sum(k => (int)Math.Pow(size, k)), "too many states");
        foreach (var y in Strings.UpTo(size, 5))
        {
            // The network's chain rule, feeding it the last n − 1 symbols of BOS^{n−1}·y at every step.
            int[] padded = [.. Enumerable.Repeat(alphabet.Bos, order - 1), .. y];
            var log = 0.0;
            for (var t = 0; t <= y.Length; t++)
                log += Math.Log(network.Conditional(padded[t..(t + order - 1)])[t < y.Length ? y[t] : alphabet.Eos]);
            Require.Close(log, pfsa.LogProbability(y), 1e-10, $"log p({alphabet.Format(y)})");
        }
    }

    /// <summary>p(· | h) = softmax(W₂ tanh(W₁ [e(h₁); …; e(hₙ₋₁)] + b₁) + b₂), with BOS embedded like a symbol.</summary>
    private sealed class NeuralNGram
    {
        private readonly double[][] _embeddings;
        private readonly double[,] _w1;
        private readonly double[] _b1;
        private readonly double[,] _w2;
        private readonly double[] _b2;
        private readonly int _size;

        public NeuralNGram(Random random, int order, int size, int dimension, int hidden)
        {
            double Draw() => 2 * random.NextDouble() - 1;
            _size = size;
            _embeddings = Enumerable.Range(0, size + 2).Select(_ => Enumerable.Range(0, dimension).Select(_ => Draw()).ToArray()).ToArray();
            var input = (order - 1) * dimension;
            _w1 = new double[hidden, input];
            _b1 = Enumerable.Range(0, hidden).Select(_ => Draw()).ToArray();
            _w2 = new double[size + 1, hidden];
            _b2 = Enumerable.Range(0, size + 1).Select(_ => Draw()).ToArray();
            for (var i = 0; i < hidden; i++)
                for (var j = 0; j < input; j++) _w1[i, j] = Draw();
            for (var i = 0; i < size + 1; i++)
                for (var j = 0; j < hidden; j++) _w2[i, j] = 3 * Draw();
        }

        public double[] Conditional(int[] history)
        {
            var x = history.SelectMany(s => _embeddings[s]).ToArray();
            var h = new double[_b1.Length];
            for (var i = 0; i < h.Length; i++)
            {
                var sum = _b1[i];
                for (var j = 0; j < x.Length; j++) sum += _w1[i, j] * x[j];
                h[i] = Math.Tanh(sum);
            }
            var logits = new double[_size + 1];
            for (var i = 0; i < logits.Length; i++)
            {
                logits[i] = _b2[i];
                for (var j = 0; j < h.Length; j++) logits[i] += _w2[i, j] * h[j];
            }
            return Softmax.Probabilities(logits);
        }
    }
}
