namespace Workbench.Proofs.Tests;

/// <summary>The seed of the property tests: WORKBENCH_SEED when set (to replay or explore), else a fixed one so CI is reproducible.</summary>
internal static class TestSeed
{
    public const ulong Default = 20261123;

    public static ulong Value =>
        ulong.TryParse(Environment.GetEnvironmentVariable("WORKBENCH_SEED"), out var seed) ? seed : Default;
}
