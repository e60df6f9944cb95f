using FsCheck;
using FsCheck.Fluent;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P2.5: a floor p(EOS|y) ≥ f(|y|) bounds the survival by ∏ (1 − f(t)), so Σ f = ∞ forces tightness; a
/// ceiling g &lt; 1 with Σ g &lt; ∞ bounds it from below, so the model leaks.
/// </summary>
public static class P2_5_SufficientConditionForTightness
{
    /// <summary>The finite-T inequalities, computed exactly over the contexts of random models.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P2.5",
        "If f(|y|) ≤ p(EOS|y) ≤ g(|y|) then ∏_{t<T} (1 − g(t)) ≤ P(|y| ≥ T) ≤ ∏_{t<T} (1 − f(t)); hence Σ f = ∞ implies tight.",
        "§2.5.4 (sufficient condition for tightness, after Chen et al. 2018)",
        Arb.From(
            from model in ContextModels.Instances().Generator
            from length in Gen.Choose(1, 200)
            select (model, length)),
        Check);

    private static void Check((ContextLanguageModel Model, int Length) instance)
    {
        var (model, length) = instance;
        var survival = ContextModels.ProbabilityOfLengthAtLeast(model, length);
        var floorBound = 1.0;
        var ceilingBound = 1.0;
        for (var t = 0; t < length; t++)
        {
            floorBound *= 1 - model.Floor(t);
            ceilingBound *= 1 - model.Ceiling(t);
        }
        Require.AtMost(survival, floorBound, 1e-12 * floorBound + 1e-300, $"P(|y| ≥ {length}) ≤ ∏ (1 − f(t)) for {model}");
        Require.AtMost(ceilingBound, survival, 1e-12 * survival + 1e-300, $"∏ (1 − g(t)) ≤ P(|y| ≥ {length}) for {model}");
    }
}
