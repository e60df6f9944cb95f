using Workbench.Neural.Architecture;
using Workbench.Neural.Models;

namespace Workbench.Neural.Tightness;

/// <summary>A proof that a ReLU Elman LM leaks mass: the path aaa… keeps a positive probability.</summary>
/// <param name="Symbol">The symbol a of the escape path.</param>
/// <param name="From">The step T from which the geometric tail bound holds.</param>
/// <param name="LeakLowerBound">A lower bound on the probability of the infinite path a^ω, hence on the leaked mass.</param>
/// <param name="Explanation">The argument, with its numbers.</param>
public sealed record EscapeCertificate(int Symbol, int From, double LeakLowerBound, string Explanation);

/// <summary>
/// Looks for a symbol a along which a ReLU Elman softmax LM provably never stops with probability
/// &gt; 0 (the mechanism of P6.2). If U ≥ 0 entrywise and, at some step T of the path aᵗ, the increment
/// δ = h_{T+1} − h_T satisfies δ ≥ 0 and Uδ ≥ δ, then by induction every later increment is ≥ δ (active
/// units stay active), so h_t ≥ h_T + (t − T)δ. If moreover every other output row (EOS included) has
/// w_y = e_y − e_a ≤ 0 and w_y·δ &lt; 0, then 1 − p(a | aᵗ) ≤ Σ_y exp(w_y·h_T + b_y − b_a)·exp(w_y·δ)^{t−T},
/// whose sum over t ≥ T is ε; when ε &lt; 1, P(a^ω) ≥ π(a^T)·(1 − ε) &gt; 0. Floating-point evaluation of the
/// inequalities; O(T·D²) for a path of T steps.
/// </summary>
public static class ReluEscapeCertificate
{
    /// <summary>The certificate, or null when none is found within maxSteps steps of any symbol's path.</summary>
    public static EscapeCertificate? Find(ElmanNetwork network, int maxSteps = 10_000)
    {
        if (network.Architecture.Activation != Activation.Relu || network.Architecture.Output != OutputProjection.Softmax)
            return null;
        ElmanWeights weights = network.Weights();
        int hidden = weights.Initial.Length;
        if (weights.Recurrence.Cast<double>().Any(u => u < 0))
            return null;
        for (int a = 0; a < network.Alphabet.Size; a++)
        {
            int[] others = Enumerable.Range(0, network.Alphabet.SizeWithEos).Where(y => y != a).ToArray();
            double[][] directions = others.Select(y => Enumerable.Range(0, hidden).Select(j => weights.Output[y, j] - weights.Output[a, j]).ToArray()).ToArray();
            if (directions.Any(w => w.Any(x => x > 0)))
                continue;
            double[] drive = Enumerable.Range(0, hidden).Select(j => weights.Input[a, j] + weights.Bias[j]).ToArray();
            double[] h = (double[])weights.Initial.Clone();
            double logPrefix = 0;
            for (int t = 0; t < maxSteps && double.IsFinite(logPrefix); t++)
            {
                double[] next = Relu(Add(Multiply(weights.Recurrence, h), drive));
                double[] delta = Subtract(next, h);
                double[] growth = Multiply(weights.Recurrence, delta);
                double[] slopes = directions.Select(w => Dot(w, delta)).ToArray();
                if (delta.All(d => d >= 0) && growth.Zip(delta).All(p => p.First >= p.Second) && slopes.All(s => s < 0))
                {
                    double epsilon = others.Select((y, k) => Math.Exp(Dot(directions[k], h) + weights.OutputBias[y] - weights.OutputBias[a]) / (1 - Math.Exp(slopes[k]))).Sum();
                    if (epsilon < 1)
                    {
                        double leak = Math.Exp(logPrefix) * (1 - epsilon);
                        return new EscapeCertificate(a, t, leak, Invariant(
                            $"escape path {network.Alphabet.NameOf(a)}^ω: U ≥ 0; from step T = {t} the increment δ ≥ 0 has Uδ ≥ δ, so hₜ grows at least linearly; every other output row has e_y − e_a ≤ 0 with (e_y − e_a)·δ < 0, so Σ_(t≥T) (1 − p(a | aᵗ)) ≤ ε = {epsilon:G6} < 1 and the leaked mass is ≥ π(a^T)·(1 − ε) = {leak:G6} (P6.2)"));
                    }
                }
                logPrefix += LogSoftmaxAt(weights, h, a);
                h = next;
            }
        }
        return null;
    }

    private static double LogSoftmaxAt(ElmanWeights weights, double[] h, int symbol)
    {
        int outputs = weights.Output.GetLength(0);
        var logits = new double[outputs];
        for (int y = 0; y < outputs; y++)
            logits[y] = weights.OutputBias[y] + Enumerable.Range(0, h.Length).Sum(j => weights.Output[y, j] * h[j]);
        double max = logits.Max();
        return logits[symbol] - max - Math.Log(logits.Sum(l => Math.Exp(l - max)));
    }

    private static double[] Multiply(double[,] matrix, double[] x) =>
        Enumerable.Range(0, matrix.GetLength(0)).Select(i => Enumerable.Range(0, x.Length).Sum(j => matrix[i, j] * x[j])).ToArray();

    private static double[] Add(double[] x, double[] y) => x.Zip(y, (a, b) => a + b).ToArray();

    private static double[] Subtract(double[] x, double[] y) => x.Zip(y, (a, b) => a - b).ToArray();

    private static double[] Relu(double[] x) => x.Select(v => Math.Max(0, v)).ToArray();

    private static double Dot(double[] x, double[] y) => x.Zip(y, (a, b) => a * b).Sum();
}
