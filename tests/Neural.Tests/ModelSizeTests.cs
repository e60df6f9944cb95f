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
}
