using Workbench.Automata.Pathsums;
using Workbench.Automata.Tokenization;
using Workbench.Formal.Symbols;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P8.12 (Vieira et al. 2025): for BPE without pre-tokenization, or with whitespace pre-tokenization over characters, a
/// token string of two or more tokens is canonical — τ(κ(τ)) = τ — iff each of its bigrams is, so the canonical strings form a strictly 2-local regular language; intersecting a token PFSA with its
/// automaton gives the exact canonical mass, and conditioning on canonicality is weight pushing of that intersection.
/// </summary>
public static class P8_12_CanonicalityIsBigramLocal
{
    /// <summary>Random BPE tokenizers and random token PFSAs.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P8.12",
        "BPE canonicality is bigram-local (with and without whitespace pre-tokenization): for every token string of length 2 to 4, τ(κ(τ)) = τ iff every adjacent pair is canonical, and the canonical automaton accepts exactly the canonical strings of length ≤ 4; the canonical automaton's intersection with a token PFSA has mass Σ_{τ canonical} p(τ) (brute force plus a certified tail), and the conditioned model is a tight PFSA that gives p(τ)/that mass to every canonical τ.",
        "notes Part 2 (tokenization); Vieira et al. 2025, Berglund et al. 2024",
        TokenModels.Instances(),
        Check,
        defaultTrials: 40);

    private static void Check(TokenModelInstance instance)
    {
        var (tokenizer, tokens, _) = instance.Build();
        var allowed = Canonicality.AllowedBigrams(tokenizer);
        var automaton = Canonicality.Automaton(tokenizer);
        const int length = 4;
        var bruteCanonical = 0.0;
        foreach (var tau in Strings.UpTo(tokenizer.VocabularySize, length))
        {
            var canonical = tokenizer.Encode(tokenizer.Decode(tau)).SequenceEqual(tau);
            var local = Enumerable.Range(0, Math.Max(0, tau.Length - 1)).All(i => allowed[tau[i], tau[i + 1]]);
            Require.That(tau.Length < 2 || canonical == local, $"τ = [{string.Join(",", tau)}]: canonical {canonical}, bigram-local {local}");
            Require.That((Stringsum.Weight(automaton, tau).Value == 1) == canonical, $"the canonical automaton disagrees on [{string.Join(",", tau)}]");
            if (canonical) bruteCanonical += Math.Exp(tokens.LogProbability(tau));
        }
        var (restricted, mass) = Canonicality.Restrict(tokenizer, tokens.Automaton);
        // Strings longer than 4 carry at most P(|τ| ≥ 5), which the token PFSA certifies.
        var tail = tokens.ProbabilityOfLengthAtLeast(length + 1);
        Require.AtMost(bruteCanonical, mass.Value, mass.ErrorBound + 1e-12, "the canonical mass below its brute-force part");
        Require.AtMost(mass.Value, bruteCanonical + tail.Value, mass.ErrorBound + tail.ErrorBound + 1e-12, "the canonical mass above brute force plus the tail");
        if (!(mass.Value > 1e-9)) return;
        var (conditioned, _) = Canonicality.Condition(tokenizer, tokens.Automaton);
        foreach (var tau in Strings.UpTo(tokenizer.VocabularySize, 2))
        {
            var expected = tokenizer.Encode(tokenizer.Decode(tau)).SequenceEqual(tau) ? Math.Exp(tokens.LogProbability(tau)) / mass.Value : 0;
            Require.Close(expected, Stringsum.Weight(conditioned, tau).Value, 1e-9 * Math.Max(1, expected), $"p([{string.Join(",", tau)}] | canonical)");
        }
    }
}
