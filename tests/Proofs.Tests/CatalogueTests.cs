using Xunit.Abstractions;

namespace Workbench.Proofs.Tests;

/// <summary>Each theorem of the catalogue is one test, run on random instances with a logged seed.</summary>
public sealed class CatalogueTests(ITestOutputHelper output)
{
    public static TheoryData<string> TheoremIds() => new(TheoremCatalogue.All.Select(t => t.Id));

    [Theory]
    [MemberData(nameof(TheoremIds))]
    public void Theorem_holds_on_random_instances(string id)
    {
        var theorem = TheoremCatalogue.Find(id)!;
        var seed = TestSeed.Value;
        output.WriteLine($"{id}: seed {seed} (set WORKBENCH_SEED={seed} to replay), {theorem.DefaultTrials} trials");
        var outcome = TheoremChecker.Check(theorem, theorem.DefaultTrials, seed);
        Assert.True(outcome.Passed, $"{id} failed with seed {seed} on {outcome.Counterexample}: {outcome.Message}");
        Assert.Equal(theorem.DefaultTrials, outcome.Trials);
    }

    [Fact]
    public void The_catalogue_has_the_foundation_theorems_with_unique_ids()
    {
        string[] required = ["P2.1", "P2.3", "P2.4", "P2.5", "P3.1", "P3.4", "P3.5", "P3.7", "P3.8", "P3.11", "P3.13", "P8.3", "P8.4", "P8.5"];
        var ids = TheoremCatalogue.All.Select(t => t.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(required, id => Assert.Contains(id, ids));
        Assert.All(TheoremCatalogue.All, t => Assert.False(string.IsNullOrWhiteSpace(t.Statement) || string.IsNullOrWhiteSpace(t.Reference)));
    }
}
