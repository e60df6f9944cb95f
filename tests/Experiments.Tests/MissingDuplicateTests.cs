using Workbench.Experiments.Languages;

namespace Workbench.Experiments.Tests;

/// <summary>Missing duplicate's prefix probabilities, checked where enumeration cannot reach: long strings through the chain rule.</summary>
public sealed class MissingDuplicateTests
{
    [Fact]
    public void The_chain_rule_through_the_prefix_sums_gives_the_closed_form_at_long_lengths()
    {
        // Every string of length 2n has p(y) = (1 − c)cⁿ⁻¹/(2n·2ⁿ⁻¹); the model reaches it as a product of next-symbol
        // ratios of prefix sums, each a different sum over n.
        var language = LanguageSuite.Get("missing-duplicate");
        var random = new Random(17);
        const double c = ContextSensitiveLanguages.Continue;
        foreach (int n in new[] { 1, 2, 7, 40, 150 })
        {
            int[] y = language.LengthSampler.SampleOfLength(random, 2 * n);
            Assert.True(language.Accepts(y));
            double expected = Math.Log(1 - c) + (n - 1) * Math.Log(c) - Math.Log(2 * n) - (n - 1) * Math.Log(2);
            Assert.Equal(expected, language.Model.LogProbability(y), 9);
            // Moving the hole onto a 0 or duplicating it leaves the language, and the model gives it probability 0.
            int hole = Array.IndexOf(y, 2), partner = hole < n ? hole + n : hole - n;
            int[] twoHoles = [.. y];
            twoHoles[partner] = 2;
            Assert.False(language.Accepts(twoHoles));
            Assert.True(double.IsNegativeInfinity(language.Model.LogProbability(twoHoles)));
        }
    }

    [Theory]
    [InlineData(new int[] { }, false)]
    [InlineData(new[] { 2, 1 }, true)]
    [InlineData(new[] { 1, 2 }, true)]
    [InlineData(new[] { 2, 0 }, false)]
    [InlineData(new[] { 0, 1, 0, 2 }, true)]
    [InlineData(new[] { 0, 1, 1, 2 }, false)]
    [InlineData(new[] { 0, 1, 0, 1 }, false)]
    [InlineData(new[] { 0, 2, 0 }, false)]
    public void The_recogniser_fills_the_hole_with_a_one(int[] y, bool accepted) => Assert.Equal(accepted, MissingDuplicateLanguage.Accepts(y));
}
