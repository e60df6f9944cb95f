using TorchSharp;
using Workbench.Neural.Models;
using Workbench.Proofs.Generators;
using static TorchSharp.torch;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P6.4: the LSTM's cell path carries gradients multiplicatively through the forget gates:
/// ∂c_T/∂cₜ = ∏_s diag(f_s) when the gates do not feed back through h (recurrent weights zero), so its norm
/// is at least ∏_s min_i f_{s,i}, near 1 for a large forget bias, where an Elman RNN's Jacobian decays like
/// (γ‖U‖₂)^{T−t} (P6.3).
/// </summary>
public static class P6_4_ForgetGatesCarryGradients
{
    /// <summary>Random LSTMs with the recurrent weights cut and a random forget bias: finite differences against ∏ diag(f_s).</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P6.4",
        "Along the LSTM cell path ∂c_T/∂cₜ = ∏_s diag(f_s) (exact when the gates do not depend on h), so ‖∂c_T/∂cₜ‖₂ ≥ ∏_s min_i f_{s,i}: a large forget bias keeps gradients alive.",
        "§5.1.3 (LSTMs and vanishing gradients)",
        Networks.Of(10, "lstm:hidden=3", "lstm:hidden=5"),
        Check,
        defaultTrials: 30);

    private static void Check(NetworkInstance instance)
    {
        var network = (GatedRecurrentNetwork)instance.Build();
        int hidden = network.Architecture.Hidden;
        double forgetBias = 2 + instance.Seed % 5;
        var parameters = network.Lstm!.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        parameters["weight_hh_l0"].zero_();
        parameters["bias_ih_l0"].narrow(0, hidden, hidden).add_(forgetBias);
        int[] path = instance.Context;

        // The forget gates f_s = σ(W_if x_s + b_if + b_hf), independent of h once W_hh = 0 (gate order i, f, g, o).
        var product = ones(hidden, dtype: ScalarType.Float64);
        double productOfMinima = 1;
        foreach (int symbol in path)
        {
            var gate = (parameters["weight_ih_l0"].narrow(0, hidden, hidden).matmul(network.SymbolEmbeddings[symbol])
                + parameters["bias_ih_l0"].narrow(0, hidden, hidden) + parameters["bias_hh_l0"].narrow(0, hidden, hidden)).sigmoid();
            product *= gate;
            productOfMinima *= gate.min().ToDouble();
        }
        double[] expected = product.data<double>().ToArray();

        var h = randn(1, 1, hidden, dtype: ScalarType.Float64);
        var c = randn(1, 1, hidden, dtype: ScalarType.Float64);
        const double step = 1e-6;
        double largest = 0;
        for (int j = 0; j < hidden; j++)
        {
            var direction = zeros(1, 1, hidden, dtype: ScalarType.Float64);
            direction[0, 0, j] = step;
            double[] plus = network.Transition(h, c + direction, path).Cell.flatten().data<double>().ToArray();
            double[] minus = network.Transition(h, c - direction, path).Cell.flatten().data<double>().ToArray();
            for (int i = 0; i < hidden; i++)
            {
                double derivative = (plus[i] - minus[i]) / (2 * step);
                Require.Close(i == j ? expected[i] : 0, derivative, 1e-7, Invariant($"∂c_T[{i}]/∂cₜ[{j}] over {path.Length} steps against ∏ diag(f_s)"));
            }
            largest = Math.Max(largest, Math.Abs(expected[j]));
        }
        // ∏ diag(f_s) is diagonal: its spectral norm is its largest entry.
        Require.AtMost(productOfMinima, largest, 1e-12, "∏_s min_i f_{s,i} against ‖∂c_T/∂cₜ‖₂");
    }
}
