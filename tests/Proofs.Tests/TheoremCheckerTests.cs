using FsCheck.Fluent;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Tests;

public sealed class TheoremCheckerTests
{
    private static readonly Theorem FalseClaim = Theorem.ForAll(
        "X0", "Every score vector has fewer than three entries.", "nowhere",
        Vectors.Logits(1, 8, 5),
        v => Require.That(v.Length < 3, $"length {v.Length}"));

    [Fact]
    public void A_false_statement_is_caught_and_shrunk_to_a_minimal_counterexample()
    {
        var outcome = TheoremChecker.Check(FalseClaim, 200, 42);
        Assert.False(outcome.Passed);
        Assert.Equal("length 3", outcome.Message);
        // The shrinker drops entries and rounds the rest, so three numbers with one decimal remain.
        Assert.Matches(@"^\[-?\d+(\.\d)?, -?\d+(\.\d)?, -?\d+(\.\d)?\]$", outcome.Counterexample);
    }

    [Fact]
    public void The_same_seed_gives_the_same_instances()
    {
        var first = TheoremChecker.Check(FalseClaim, 200, 7);
        var second = TheoremChecker.Check(FalseClaim, 200, 7);
        Assert.Equal(first.Counterexample, second.Counterexample);
        Assert.Equal(first.Trials, second.Trials);
    }

    [Fact]
    public void Exceptions_other_than_violations_are_reported_with_their_type()
    {
        var crashing = Theorem.ForAll("X1", "never crashes", "nowhere", Arb.From(Gen.Choose(0, 10)),
            i => { if (i > 5) throw new InvalidOperationException("boom"); });
        var outcome = TheoremChecker.Check(crashing, 100, 1);
        Assert.False(outcome.Passed);
        Assert.Equal("InvalidOperationException: boom", outcome.Message);
    }
}
