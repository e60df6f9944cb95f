using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Numerics;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>P3.5: sparsemax is the Euclidean projection onto the simplex: the identity on Δ, threshold form, exact zeros.</summary>
public static class P3_5_SparsemaxIsProjection
{
    private const int Competitors = 300;

    /// <summary>Identity on distributions, the KKT conditions, optimality against random simplex points, exact zeros.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P3.5",
        "Sparsemax is the Euclidean projection onto the simplex: the identity on Δ, of the form zᵢ = max(xᵢ − θ, 0), closer to x than any other point of Δ, and able to output exact zeros.",
        "§3.1 (sparsemax)",
        Arb.Zip(Vectors.Logits(1, 8, 3), Vectors.Distributions(1, 8, allowZeros: true)),
        Check);

    private static double SquaredDistance(double[] a, double[] b) => a.Zip(b, (u, v) => (u - v) * (u - v)).Sum();

    private static void Check((double[] X, double[] P) instance)
    {
        var (x, p) = instance;
        var (identity, _) = Sparsemax.Project(p);
        for (var i = 0; i < p.Length; i++) Require.Close(p[i], identity[i], 1e-12, $"sparsemax(p)[{i}] for p ∈ Δ");

        var (z, theta) = Sparsemax.Project(x);
        Require.Close(1, z.Sum(), 1e-12, "Σ sparsemax(x)");
        for (var i = 0; i < x.Length; i++)
        {
            Require.That(z[i] >= 0, $"sparsemax(x)[{i}] = {z[i]} < 0");
            if (z[i] > 0) Require.Close(theta, x[i] - z[i], 1e-12, $"xᵢ − zᵢ = θ on the support (i = {i})");
            else Require.AtMost(x[i], theta, 1e-12, $"xᵢ ≤ θ off the support (i = {i})");
        }
        var distance = SquaredDistance(z, x);
        var random = Numbers.StreamFor(x);
        for (var k = 0; k < Competitors; k++)
            Require.AtMost(distance, SquaredDistance(Numbers.DirichletPoint(random, x.Length), x), 1e-12, "‖z − x‖² against a random point of Δ");

        // A gap of more than 1 between the top score and the rest leaves exactly one non-zero.
        var top = Array.IndexOf(x, x.Max());
        var separated = x.Select((v, i) => i == top ? v + 1.5 : v).ToArray();
        var (sparse, _) = Sparsemax.Project(separated);
        Require.That(sparse[top] == 1 && sparse.Count(v => v == 0) == x.Length - 1, "sparsemax of a score 1.5 above the rest is not exactly one-hot");
    }
}
