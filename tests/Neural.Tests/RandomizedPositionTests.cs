using TorchSharp;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Layers;
using Workbench.Neural.Models;
using static TorchSharp.torch;

namespace Workbench.Neural.Tests;

/// <summary>Randomized positional encodings (Ruoss et al. 2023): random sorted positions in training, one fixed language model in evaluation.</summary>
public sealed class RandomizedPositionTests
{
    [Fact]
    public void Training_positions_are_sorted_distinct_draws_from_the_range_and_evaluation_positions_are_fixed()
    {
        manual_seed(4);
        long[] drawn = PositionalEncodings.RandomizedPositions(500, 0, 12, 100, 40, training: true, CPU).to(ScalarType.Int64).data<long>().ToArray();
        for (int row = 0; row < 500; row++)
        {
            var positions = drawn.Skip(row * 12).Take(12).ToArray();
            Assert.All(positions, p => Assert.InRange(p, 0, 99));
            Assert.True(positions.Zip(positions.Skip(1)).All(pair => pair.First < pair.Second), "positions are not strictly increasing");
        }
        // Every position of the range is drawn about 500·12/100 = 60 times: the subsets are uniform, not the first positions.
        var counts = drawn.GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(100, counts.Count);
        Assert.InRange(counts.Values.Min(), 25, 60);
        // Evaluation: ⌊t·100/40⌋, the same for every row and for an incremental call at an offset.
        double[] fixedPositions = PositionalEncodings.RandomizedPositions(2, 0, 6, 100, 40, training: false, CPU).data<double>().ToArray();
        Assert.Equal([0, 2, 5, 7, 10, 12, 0, 2, 5, 7, 10, 12], fixedPositions);
        Assert.Equal([10, 12], PositionalEncodings.RandomizedPositions(1, 4, 2, 100, 40, training: false, CPU).data<double>().ToArray());
    }

    [Theory]
    [InlineData(8)]
    [InlineData(7)]
    public void Sinusoids_of_any_positions_are_sin_and_cos_of_the_angles_interleaved(int width)
    {
        double[] positions = [0, 3, 17, 250.5];
        double[] encodings = PositionalEncodings.Sinusoidal(tensor(positions), width, ScalarType.Float64).data<double>().ToArray();
        for (int t = 0; t < positions.Length; t++)
            for (int j = 0; j < width; j++)
            {
                double angle = positions[t] * Math.Pow(10000, -(j / 2 * 2.0) / width);
                Assert.Equal(j % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle), encodings[t * width + j], 12);
            }
        // The offset form is the same function of the positions offset…offset + count − 1.
        Assert.Equal(PositionalEncodings.Sinusoidal(tensor(new double[] { 5, 6, 7 }), width, ScalarType.Float64).data<double>().ToArray(),
            PositionalEncodings.Sinusoidal(5, 3, width, ScalarType.Float64, CPU).data<double>().ToArray());
    }

    [Fact]
    public void Training_mode_draws_new_positions_and_evaluation_mode_is_deterministic()
    {
        manual_seed(5);
        using var network = NetworkFactory.Create(Alphabet.FromCharacters("ab"), NeuralArchitecture.Parse("transformer:hidden=8,layers=1,heads=2,pe=randomized,maxlength=16,pemax=64"));
        var symbols = tensor(new long[] { 0, 1, 1, 0, 1 }).view(1, 5);
        network.train();
        float[] first = network.Scores(symbols).data<float>().ToArray(), second = network.Scores(symbols).data<float>().ToArray();
        Assert.NotEqual(first, second);
        network.eval();
        Assert.Equal(network.Scores(symbols).data<float>().ToArray(), network.Scores(symbols).data<float>().ToArray());
        Assert.Contains("maxlength=16,pemax=64", network.Architecture.ToString());
        Assert.Throws<Formal.Errors.ParseException>(() => NeuralArchitecture.Parse("transformer:pe=randomized,maxlength=64,pemax=64"));
    }
}
