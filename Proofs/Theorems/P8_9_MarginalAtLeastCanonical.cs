using Workbench.Formal.Symbols;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P8.9 (Cao &amp; Rimell 2021): the marginal character probability is at least the probability of the canonical
/// tokenization, p_Σ(x) ≥ p(τ_BPE(x)), and the gap is exactly the mass of the non-canonical coverings of x.
/// </summary>
public static class P8_9_MarginalAtLeastCanonical
{
    /// <summary>Random BPE tokenizers and random token PFSAs.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P8.9",
        "Marginal ≥ canonical: p_Σ(x) ≥ p(τ_BPE(x)) for every x, with p_Σ(x) − p(τ_BPE(x)) equal to the mass of the non-canonical coverings of x (so equality iff they have none).",
        "notes Part 2 (tokenization); Cao & Rimell 2021",
        TokenModels.Instances(),
        Check,
        defaultTrials: 40);

    private static void Check(TokenModelInstance instance)
    {
        var (tokenizer, tokens, characters) = instance.Build();
        foreach (var x in Strings.UpTo(tokenizer.BaseSymbols.Length, 4))
        {
            var canonical = tokenizer.Encode(tokenizer.Decode(x));
            var pCanonical = Math.Exp(tokens.LogProbability(canonical));
            var marginal = Math.Exp(characters.LogProbability(x));
            var others = TokenModelInstance.Coverings(tokenizer, x).Where(t => !t.SequenceEqual(canonical)).Sum(t => Math.Exp(tokens.LogProbability(t)));
            var text = tokenizer.Decode(x);
            Require.AtMost(pCanonical, marginal, 1e-15, $"p_Σ({text}) below p(τ_BPE({text}))");
            Require.Close(others, marginal - pCanonical, 1e-12 * Math.Max(1, marginal), $"p_Σ({text}) − p(τ_BPE) against the non-canonical coverings' mass");
        }
    }
}
