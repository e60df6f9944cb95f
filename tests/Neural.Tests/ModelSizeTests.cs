using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;
using Workbench.Neural.Training;

namespace Workbench.Neural.Tests;

/// <summary>N and C = 6ND against the closed-form parameter counts of each architecture.</summary>
public sealed class ModelSizeTests
{
    [Theory]
    // LSTM: 4 gates × (d·d input + d·d recurrent + 2d biases) per layer (libtorch keeps two bias vectors).
    [InlineData("lstm:hidden=256,layers=2", 2 * (8L * 256 * 256 + 8 * 256))]
    // Transformer, pre-LN: per layer 4(d² + d) attention, d·4d + 4d + 4d·d + d feed-forward, 2 × 2d layer norms; a final 2d layer norm.
    [InlineData("transformer:hidden=64,layers=3,heads=4", 3 * (4L * (64 * 64 + 64) + 8L * 64 * 64 + 5 * 64 + 4 * 64) + 2 * 64)]
    [InlineData("transformer:hidden=64,layers=1,heads=4,pe=learned,maxlength=100", 4L * (64 * 64 + 64) + 8L * 64 * 64 + 5 * 64 + 4 * 64 + 2 * 64)]
    // Nondeterministic stack RNN, P = 6 configurations, |Q| = 2: recurrence d² + d, stack reading P·d (no bias), transitions (d + 1)·P(2P + |Q|).
    [InlineData("nsrnn:hidden=64,states=2,symbols=3,window=16", 64L * 64 + 64 + 6 * 64 + 65L * 6 * 14)]
    public void The_non_embedding_count_is_the_closed_form_and_compute_is_six_n_d(string spec, long expected)
    {
        var alphabet = Alphabet.FromCharacters("abcdefghijklmnop");
        using var network = NetworkFactory.Create(alphabet, NeuralArchitecture.Parse(spec));
        var size = ModelSize.Of(network);
        Assert.Equal(expected, size.NonEmbedding);
        // The embeddings (|Σ| rows, + BOS for a transformer, + the learned positions) and the output layer (|Σ̄|·d + |Σ̄|).
        int d = network.Architecture.Hidden, rows = alphabet.Size + (network.Architecture.Kind == NetworkKind.Transformer ? 1 : 0);
        long positions = network.Architecture.PositionalEncoding == PositionalEncodingKind.Learned && network.Architecture.Kind == NetworkKind.Transformer ? (network.Architecture.MaxLength + 1L) * d : 0;
        Assert.Equal((long)rows * d + positions + (alphabet.SizeWithEos * (d + 1L)), size.Embedding);
        Assert.Equal(6.0 * expected * 1000, size.TrainingFlops(1000));
    }

    [Theory]
    [InlineData("lstm:hidden=64,layers=2")]
    [InlineData("gru:hidden=64")]
    [InlineData("rnn:hidden=64,layers=3")]
    [InlineData("elman:hidden=64")]
    [InlineData("stackrnn:hidden=64,stack=16,cell=8")]
    [InlineData("tapernn:hidden=64,tape=16,cell=8")]
    [InlineData("nsrnn:hidden=64,states=2,symbols=3,window=16")]
    [InlineData("transformer:hidden=64,layers=2,heads=4")]
    public void Six_n_d_agrees_with_the_analytic_flops_of_the_benchmark_up_to_the_biases(string spec)
    {
        // C = 6ND takes 2N forward FLOPs per token; the benchmark counts the layers' matrix products analytically. The two
        // differ by the biases and layer norms (2 FLOPs per parameter that multiplies nothing), under 2.5/d of the total here.
        var alphabet = Alphabet.FromCharacters("abcdefghijklmnop");
        using var network = NetworkFactory.Create(alphabet, NeuralArchitecture.Parse(spec));
        var size = ModelSize.Of(network);
        var (layers, output, unparameterised) = ModelSize.ForwardFlopsPerToken(network.Architecture, alphabet.SizeWithEos, positions: 40);
        double relative = Math.Abs(2.0 * size.NonEmbedding - layers) / layers;
        Assert.True(relative < 2.5 / network.Architecture.Hidden, $"{spec}: 2N = {2 * size.NonEmbedding} against {layers} analytic FLOPs per token ({relative:P2} apart)");
        Assert.True(2.0 * size.NonEmbedding >= layers, $"{spec}: 2N = {2 * size.NonEmbedding} is below the matrix products alone ({layers})");
        Assert.Equal(2.0 * 64 * alphabet.SizeWithEos, output);
        Assert.Equal(network.Architecture.Kind is NetworkKind.Lstm or NetworkKind.Gru or NetworkKind.Rnn or NetworkKind.Elman, unparameterised == 0);
    }
}
