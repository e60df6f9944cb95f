using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Numerics;
using Workbench.Formal.Semirings;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;

namespace Workbench.Neural.Constructions;

/// <summary>
/// The converse of Minsky's construction (notes §5.2, Lemma 5.2.1): a Heaviside Elman RNN LM has hidden
/// states in {0, 1}^D, so breadth-first search from h₀ over hₜ = H(U hₜ₋₁ + V_y + b) reaches finitely
/// many; they are the states of a deterministic PFSA whose arcs carry p(y | h) and whose final weights are
/// p(EOS | h), both read from the network's output layer. The PFSA is weakly equivalent to the RNN.
/// O(|reachable|·|Σ|·D²) time.
/// </summary>
public static class HeavisideExtraction
{
    /// <summary>The deterministic PFSA of the network's reachable hidden states (state 0 is h₀).</summary>
    /// <exception cref="InvalidModelException">The network is not a Heaviside Elman RNN, or more than maxStates hidden states are reachable.</exception>
    public static Wfsa<Real> Extract(ElmanNetwork network, int maxStates = 1 << 16)
    {
        if (network.Architecture.Activation != Activation.Heaviside)
            throw new InvalidModelException(Invariant($"only Heaviside networks have finitely many hidden states; this one uses {network.Architecture.Activation}"));
        ElmanWeights weights = network.Weights();
        int hidden = weights.Initial.Length, symbols = network.Alphabet.Size;
        if (weights.Initial.Any(v => v is not (0 or 1)))
            throw new InvalidModelException("h₀ must be a 0/1 vector for the hidden states to stay in {0, 1}^D");
        var index = new Dictionary<string, int>();
        var found = new List<double[]>();
        int Visit(double[] h)
        {
            string key = string.Concat(h.Select(v => v > 0 ? '1' : '0'));
            if (index.TryGetValue(key, out int known))
                return known;
            if (found.Count == maxStates)
                throw new InvalidModelException(Invariant($"more than {maxStates} hidden states are reachable; raise the limit (at most 2^{hidden})"));
            index[key] = found.Count;
            found.Add(h);
            return found.Count - 1;
        }
        Visit(weights.Initial);
        var arcs = new List<(int Source, int Label, int Target, double Weight)>();
        var finals = new List<double>();
        for (int state = 0; state < found.Count; state++)
        {
            double[] h = found[state];
            double[] distribution = OutputDistribution(network.Architecture.Output, weights, h);
            finals.Add(distribution[symbols]);
            for (int y = 0; y < symbols; y++)
                if (distribution[y] > 0)
                    arcs.Add((state, y, Visit(Next(weights, h, y)), distribution[y]));
        }
        var builder = new WfsaBuilder<Real>(network.Alphabet).EnsureStates(found.Count).SetInitial(0, Real.One);
        for (int state = 0; state < found.Count; state++)
            builder.SetFinal(state, new Real(finals[state]));
        foreach (var (source, label, target, weight) in arcs)
            builder.AddArc(source, label, target, new Real(weight));
        return builder.Build();
    }

    private static double[] Next(ElmanWeights weights, double[] h, int symbol)
    {
        int hidden = h.Length;
        var next = new double[hidden];
        for (int i = 0; i < hidden; i++)
        {
            double z = weights.Input[symbol, i] + weights.Bias[i];
            for (int j = 0; j < hidden; j++)
                z += weights.Recurrence[i, j] * h[j];
            next[i] = z > 0 ? 1 : 0;
        }
        return next;
    }

    private static double[] OutputDistribution(OutputProjection projection, ElmanWeights weights, double[] h)
    {
        int outputs = weights.OutputBias.Length;
        var scores = new double[outputs];
        for (int y = 0; y < outputs; y++)
        {
            scores[y] = weights.OutputBias[y];
            for (int j = 0; j < h.Length; j++)
                if (h[j] != 0)
                    scores[y] += weights.Output[y, j] * h[j];
        }
        return projection == OutputProjection.Sparsemax ? Sparsemax.Project(scores).Probabilities : Softmax.Probabilities(scores);
    }
}
