using Workbench.Experiments.Runner;

namespace Workbench.Experiments.Tests;

/// <summary>The next-symbol-set criterion of a cell, on rows written by hand.</summary>
public sealed class NextSetAccuracyTests
{
    private static readonly double Never = double.NegativeInfinity;

    [Fact]
    public void A_string_counts_when_every_prefix_has_the_sources_support_above_the_threshold_and_nothing_else()
    {
        // Σ̄ = {a, b, EOS}. The source allows {a, EOS} after the empty prefix and {b} after "a".
        double[,] source = { { Math.Log(0.5), Never, Math.Log(0.5) }, { Never, 0, Never } };
        double[,] agrees = { { Math.Log(0.6), Math.Log(0.005), Math.Log(0.395) }, { Math.Log(0.009), Math.Log(0.982), Math.Log(0.009) } };
        double[,] extraSymbol = { { Math.Log(0.6), Math.Log(0.005), Math.Log(0.395) }, { Math.Log(0.02), Math.Log(0.97), Math.Log(0.01) } };
        double[,] missingSymbol = { { Math.Log(0.995), Math.Log(0.0), Math.Log(0.005) }, { Never, 0, Never } };
        Assert.Equal(1.0, CellEvaluation.NextSetAccuracy([source], [agrees]));
        Assert.Equal(0.0, CellEvaluation.NextSetAccuracy([source], [extraSymbol]));
        Assert.Equal(0.0, CellEvaluation.NextSetAccuracy([source], [missingSymbol]));
        // Only as many strings as the source has rows for are judged: the candidate may hold more.
        Assert.Equal(0.5, CellEvaluation.NextSetAccuracy([source, source], [agrees, extraSymbol, missingSymbol]));
        Assert.True(double.IsNaN(CellEvaluation.NextSetAccuracy([], [agrees])));
    }
}
