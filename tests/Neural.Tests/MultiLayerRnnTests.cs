using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;
using Workbench.Neural.Recognition;
using static TorchSharp.torch;

namespace Workbench.Neural.Tests;

/// <summary>
/// The multi-layer tanh RNN (<c>rnn:layers=N</c>, libtorch's RNN) computes hₜ⁽ˡ⁾ = tanh(W_ih⁽ˡ⁾ hₜ⁽ˡ⁻¹⁾ + b_ih⁽ˡ⁾ + W_hh⁽ˡ⁾ hₜ₋₁⁽ˡ⁾ + b_hh⁽ˡ⁾)
/// with hₜ⁽⁰⁾ the symbol's embedding and h₀ = 0: checked against that recurrence written out in plain arrays, and sized to
/// FLaRe's 64,000 parameters as its five-layer simple RNN.
/// </summary>
public sealed class MultiLayerRnnTests
{
    [Fact]
    public void Its_encodings_are_the_layered_tanh_recurrence_written_out()
    {
        manual_seed(3);
        var alphabet = Alphabet.FromCharacters("abc");
        using var network = NetworkFactory.Create(alphabet, NeuralArchitecture.Parse("rnn:hidden=4,layers=3,dtype=float64"));
        var weights = network.Stackable!.EncoderWeights.Select(Matrix).ToArray();
        int[] symbols = [2, 0, 1, 1, 0];
        double[][] encodings = Matrix(network.Encode(tensor(symbols.Select(s => (long)s).ToArray()).view(1, -1)).squeeze(0));

        // By hand: the embedding row, then per layer W_ih x + b_ih + W_hh h + b_hh through tanh, from zero states.
        var state = new double[3][];
        for (int l = 0; l < 3; l++)
            state[l] = new double[4];
        Assert.Equal(new double[4], encodings[0]);
        for (int t = 0; t < symbols.Length; t++)
        {
            double[] input = weights[0][symbols[t]];
            for (int l = 0; l < 3; l++)
            {
                double[][] inputWeights = weights[1 + 4 * l], recurrentWeights = weights[2 + 4 * l];
                double[] inputBias = weights[3 + 4 * l][0], recurrentBias = weights[4 + 4 * l][0];
                var next = new double[4];
                for (int i = 0; i < 4; i++)
                    next[i] = Math.Tanh(Dot(inputWeights[i], input) + inputBias[i] + Dot(recurrentWeights[i], state[l]) + recurrentBias[i]);
                state[l] = next;
                input = next;
            }
            for (int i = 0; i < 4; i++)
                Assert.Equal(state[2][i], encodings[t + 1][i], 12);
        }
    }

    [Fact]
    public void At_flares_budget_five_layers_are_about_80_wide_and_one_unit_more_is_over_it()
    {
        // FLaRe's simple RNN: 5 layers under 64,000 parameters; its own formula gives about 80 units over a binary alphabet.
        var alphabet = Alphabet.FromCharacters("01");
        var fitted = ParameterBudget.Fit(NeuralArchitecture.Parse("rnn:hidden=8,layers=5"), alphabet, 64_000);
        Assert.InRange(fitted.Hidden, 76, 82);
        Assert.True(ParameterBudget.Parameters(fitted, alphabet) <= 64_000);
        Assert.True(ParameterBudget.Parameters(fitted with { Hidden = fitted.Hidden + 1 }, alphabet) > 64_000);
    }

    [Theory]
    [InlineData("rnn:hidden=4,activation=relu", "tanh")]
    [InlineData("elman:hidden=4,layers=2", "one layer")]
    public void Layers_and_activations_go_to_the_kind_that_has_them(string spec, string expected) =>
        Assert.Contains(expected, Assert.Throws<Formal.Errors.ParseException>(() => NeuralArchitecture.Parse(spec)).Message);

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    // A tensor as rows of doubles (a vector as one row).
    private static double[][] Matrix(Tensor tensor)
    {
        Tensor matrix = tensor.dim() == 1 ? tensor.unsqueeze(0) : tensor;
        double[] flat = matrix.detach().to(ScalarType.Float64).cpu().data<double>().ToArray();
        int columns = (int)matrix.shape[1];
        return [.. Enumerable.Range(0, (int)matrix.shape[0]).Select(r => flat[(r * columns)..((r + 1) * columns)])];
    }
}
