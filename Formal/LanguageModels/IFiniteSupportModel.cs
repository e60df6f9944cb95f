namespace Workbench.Formal.LanguageModels;

/// <summary>
/// A model with finite support that lists it: every string of positive probability, with that probability. Sums
/// over the support give exact expectations (entropy, cross-entropy and KL against any model). Notes §2.4 (P2.1).
/// </summary>
public interface IFiniteSupportModel : ILanguageModel
{
    /// <summary>The strings and their probabilities; strings of probability zero may be listed too. O(N) to enumerate.</summary>
    IReadOnlyList<(int[] String, double Probability)> Support { get; }
}
