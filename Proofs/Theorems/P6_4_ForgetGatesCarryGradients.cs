using TorchSharp;
using Workbench.Neural.Models;
using Workbench.Proofs.Generators;
using static TorchSharp.torch;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P6.4: the LSTM's cell path carries gradients multiplicatively through the forget gates. The Jacobian ∂c_T/∂cₜ is
/// the cell-path product D = ∏_s diag(f_s) (the forget gates along the actual trajectory) plus the paths through h,
/// which vanish with the recurrent weights: exactly D when they are zero, and ‖∂c_T/∂cₜ − D‖ = O(ε) when they are
/// scaled by ε. ‖D‖₂ ≥ ∏_s min_i f_{s,i}, near 1 for a large forget bias, where an Elman RNN's Jacobian decays like
/// (γ‖U‖₂)^{T−t} (P6.3).
/// </summary>
public static class P6_4_ForgetGatesCarryGradients
{
    /// <summary>Random LSTMs with a random forget bias and their recurrent weights scaled by 0, 0.1 and 0.01: finite differences against D.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P6.4",
        "Along the LSTM cell path ∂c_T/∂cₜ = ∏_s diag(f_s) plus paths through h that vanish linearly with the recurrent weights (exact when they are zero), so ‖∂c_T/∂cₜ‖₂ ≈ ‖∏ diag(f_s)‖₂ ≥ ∏_s min_i f_{s,i}: a large forget bias keeps gradients alive.",
        "§5.1.3 (LSTMs and vanishing gradients)",
        Networks.Of(10, "lstm:hidden=3", "lstm:hidden=5"),
        Check,
        defaultTrials: 30);

    private static void Check(NetworkInstance instance)
    {
        var network = (LibtorchRecurrentNetwork)instance.Build();
        int hidden = network.Architecture.Hidden;
        double forgetBias = 2 + instance.Seed % 5;
        var parameters = network.Lstm!.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        using var noGrad = no_grad();
        parameters["bias_ih_l0"].narrow(0, hidden, hidden).add_(forgetBias);
        var recurrent = parameters["weight_hh_l0"].clone();
        var h = randn(1, 1, hidden, dtype: ScalarType.Float64);
        var c = randn(1, 1, hidden, dtype: ScalarType.Float64);
        int[] path = instance.Context;

        // Exact at ε = 0; at ε the gap to D must fall tenfold when ε does (linear, up to curvature).
        var exactGap = Gap(network, parameters, recurrent, 0, h, c, path);
        Require.AtMost(exactGap, 0, 1e-7, "∂c_T/∂cₜ against ∏ diag(f_s) with the recurrent weights cut");
        var coarse = Gap(network, parameters, recurrent, 0.1, h, c, path);
        var fine = Gap(network, parameters, recurrent, 0.01, h, c, path);
        if (coarse > 1e-6) Require.AtMost(fine, 0.2 * coarse, 1e-7, Invariant($"the paths through h at ε = 0.01 ({fine:G3}) against ε = 0.1 ({coarse:G3})"));
    }

    // max |∂c_T/∂cₜ − ∏ diag(f_s)| entrywise, with the recurrent weights set to ε·W, the Jacobian by central differences
    // and the forget gates f_s = σ(W_if x_s + W_hf h_{s−1} + b_f) along the actual trajectory (gate order i, f, g, o).
    private static double Gap(LibtorchRecurrentNetwork network, Dictionary<string, Tensor> parameters, Tensor recurrent, double epsilon, Tensor h, Tensor c, int[] path)
    {
        int hidden = network.Architecture.Hidden;
        parameters["weight_hh_l0"].copy_(recurrent * epsilon);
        var product = ones(hidden, dtype: ScalarType.Float64);
        double productOfMinima = 1;
        var (hs, cs) = (h, c);
        foreach (int symbol in path)
        {
            var gate = (parameters["weight_ih_l0"].narrow(0, hidden, hidden).matmul(network.SymbolEmbeddings[symbol])
                + parameters["weight_hh_l0"].narrow(0, hidden, hidden).matmul(hs.flatten())
                + parameters["bias_ih_l0"].narrow(0, hidden, hidden) + parameters["bias_hh_l0"].narrow(0, hidden, hidden)).sigmoid();
            product *= gate;
            productOfMinima *= gate.min().ToDouble();
            (hs, cs) = network.Transition(hs, cs, [symbol]);
        }
        double[] expected = product.data<double>().ToArray();
        const double step = 1e-6;
        double gap = 0, largest = 0;
        for (int j = 0; j < hidden; j++)
        {
            var direction = zeros(1, 1, hidden, dtype: ScalarType.Float64);
            direction[0, 0, j] = step;
            double[] plus = network.Transition(h, c + direction, path).Cell.flatten().data<double>().ToArray();
            double[] minus = network.Transition(h, c - direction, path).Cell.flatten().data<double>().ToArray();
            for (int i = 0; i < hidden; i++)
                gap = Math.Max(gap, Math.Abs((plus[i] - minus[i]) / (2 * step) - (i == j ? expected[i] : 0)));
            largest = Math.Max(largest, Math.Abs(expected[j]));
        }
        // ∏ diag(f_s) is diagonal: its spectral norm is its largest entry.
        Require.AtMost(productOfMinima, largest, 1e-12, "∏_s min_i f_{s,i} against ‖∏ diag(f_s)‖₂");
        return gap;
    }
}
