using MathNet.Numerics.LinearAlgebra;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;
using Workbench.Neural.Tightness;
using Workbench.Proofs.Generators;
using static TorchSharp.torch;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P6.3: in an Elman RNN, ∂h_T/∂hₜ = ∏_s diag(σ′(z_s))·U, so ‖∂h_T/∂hₜ‖₂ ≤ (γ‖U‖₂)^{T−t} with γ = sup σ′
/// (¼ for the sigmoid, 1 for tanh): gradients vanish exponentially when γ‖U‖₂ &lt; 1.
/// </summary>
public static class P6_3_GradientNormBound
{
    /// <summary>Random tanh and sigmoid networks: the Jacobian by central differences against the bound.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P6.3",
        "Elman RNN Jacobians obey ‖∂h_T/∂hₜ‖₂ ≤ (γ‖U‖₂)^{T−t}, γ = sup σ′ (¼ sigmoid, 1 tanh): vanishing gradients when γ‖U‖₂ < 1.",
        "§5.1.2 (vanishing and exploding gradients)",
        Networks.Of(8, "elman:hidden=4,activation=tanh", "elman:hidden=3,activation=sigmoid", "elman:hidden=6,activation=tanh"),
        Check,
        defaultTrials: 40);

    private static void Check(NetworkInstance instance)
    {
        var network = (ElmanNetwork)instance.Build();
        int[] path = instance.Context;
        int hidden = network.Architecture.Hidden;
        double gamma = network.Architecture.Activation == Activation.Sigmoid ? 0.25 : 1;
        double spectral = EncoderNormBound.SpectralNorm(network.Recurrence);
        using var noGrad = no_grad();
        var start = randn(hidden, dtype: ScalarType.Float64);
        const double step = 1e-6;
        var jacobian = Matrix<double>.Build.Dense(hidden, hidden);
        for (int j = 0; j < hidden; j++)
        {
            var direction = zeros(hidden, dtype: ScalarType.Float64);
            direction[j] = step;
            double[] plus = Run(network, start + direction, path), minus = Run(network, start - direction, path);
            for (int i = 0; i < hidden; i++)
                jacobian[i, j] = (plus[i] - minus[i]) / (2 * step);
        }
        double norm = path.Length == 0 ? 1 : jacobian.L2Norm();
        double bound = Math.Pow(gamma * spectral, path.Length);
        Require.AtMost(norm, bound, 1e-8 * Math.Max(1, bound), Invariant($"‖∂h_T/∂hₜ‖₂ over {path.Length} steps against (γ‖U‖₂)^(T−t) with γ = {gamma}, ‖U‖₂ = {spectral:G6}"));
    }

    private static double[] Run(ElmanNetwork network, Tensor hidden, int[] path)
    {
        foreach (int symbol in path)
            hidden = network.Transition(hidden, symbol);
        return hidden.data<double>().ToArray();
    }
}
