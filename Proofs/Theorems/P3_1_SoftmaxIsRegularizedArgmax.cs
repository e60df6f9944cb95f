using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Numerics;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>P3.1: softmax(x/τ) maximises pᵀx + τH(p) over the simplex, with optimal value τ·log Σ exp(xᵢ/τ).</summary>
public static class P3_1_SoftmaxIsRegularizedArgmax
{
    private const int Competitors = 300;

    /// <summary>The optimum against random simplex points and feasible perturbations, and its closed-form value.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P3.1",
        "Softmax is entropy-regularised argmax: softmax(x/τ) = argmax_{p∈Δ} pᵀx + τH(p), with optimal value τ·log Σᵢ exp(xᵢ/τ).",
        "§3.1 (softmax as a variational problem)",
        Arb.Zip(Vectors.Logits(2, 8, 5), Arb.From(Numbers.Between(0.05, 5))),
        Check);

    private static double Objective(double[] p, double[] x, double tau) =>
        p.Zip(x, (pi, xi) => pi * xi).Sum() + tau * DiscreteDistributions.Entropy(p);

    private static void Check((double[] X, double Tau) instance)
    {
        var (x, tau) = instance;
        var softmax = Softmax.Probabilities(x, tau);
        var optimum = Objective(softmax, x, tau);
        var closedForm = tau * LogSpace.SumExp(x.Select(v => v / tau).ToArray());
        Require.Close(closedForm, optimum, 1e-12, "objective at softmax vs τ·logsumexp(x/τ)");

        var random = Numbers.StreamFor([.. x, tau]);
        for (var i = 0; i < Competitors; i++)
        {
            var competitor = Numbers.DirichletPoint(random, x.Length);
            Require.AtMost(Objective(competitor, x, tau), optimum, 1e-12 * Math.Max(1, Math.Abs(optimum)), "objective at a random simplex point");
        }
        // Feasible perturbations p + ε(eᵢ − eⱼ) around the optimum.
        for (var i = 0; i < x.Length; i++)
            for (var j = 0; j < x.Length; j++)
            {
                if (i == j) continue;
                var step = 1e-4 * Math.Min(softmax[j], 1);
                var perturbed = (double[])softmax.Clone();
                perturbed[i] += step;
                perturbed[j] -= step;
                Require.AtMost(Objective(perturbed, x, tau), optimum, 1e-12 * Math.Max(1, Math.Abs(optimum)), $"objective after moving mass from {j} to {i}");
            }
    }
}
