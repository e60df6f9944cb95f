using static TorchSharp.torch;

namespace Workbench.Neural.Tests;

public sealed class TorchLoadTests
{
    [Fact]
    public void LibTorchLoadsAndMultiplies()
    {
        using var a = ones(2, 3, dtype: ScalarType.Float64);
        using var b = ones(3, 4, dtype: ScalarType.Float64);
        using var product = a.matmul(b);
        Assert.Equal(3.0, product[1, 2].item<double>());
    }
}
