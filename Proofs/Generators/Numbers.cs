using FsCheck;
using FsCheck.Fluent;

namespace Workbench.Proofs.Generators;

/// <summary>Generators of numbers on a fine grid (10⁶ steps), so that instances print and replay exactly.</summary>
public static class Numbers
{
    private const int Steps = 1_000_000;

    /// <summary>A number in [lo, hi].</summary>
    public static Gen<double> Between(double lo, double hi) =>
        Gen.Choose(0, Steps).Select(i => lo + (hi - lo) * i / Steps);

    /// <summary>A deterministic stream of pseudo-random numbers derived from an instance, for inner sampling (Dirichlet points, perturbations).</summary>
    public static System.Random StreamFor(params double[] values)
    {
        var hash = new HashCode();
        foreach (var v in values) hash.Add(v);
        return new System.Random(hash.ToHashCode());
    }

    /// <summary>A uniform draw from the probability simplex Δⁿ⁻¹ (normalised exponential variates).</summary>
    public static double[] DirichletPoint(System.Random random, int n)
    {
        var point = new double[n];
        for (var i = 0; i < n; i++) point[i] = -Math.Log(1 - random.NextDouble());
        var sum = point.Sum();
        for (var i = 0; i < n; i++) point[i] /= sum;
        return point;
    }
}
