using Workbench.Automata.Core;
using Workbench.Automata.Operations;
using Workbench.Automata.Pathsums;
using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Tokenization;

/// <summary>
/// Canonical BPE token strings, those that τ produces (τ(κ(τ)) = τ). For BPE without pre-tokenization, canonicality
/// is a property of adjacent pairs: a token string is canonical iff each of its bigrams is (Vieira et al. 2025, who use
/// it for canonicality by construction). The canonical strings are then the strictly 2-local language of the allowed
/// bigrams, recognised by a deterministic automaton whose states are the last token read — which theorem P8.12 checks
/// against brute force on random tokenizers. Intersecting a token PFSA with it gives the exact mass the model puts on
/// canonical strings, and weight pushing of the intersection is the model conditioned on canonicality, an explicit
/// adapter that states the mass it divided by. O(|V|²) encodings of two tokens to build.
/// </summary>
public static class Canonicality
{
    /// <summary>The largest vocabulary whose bigram table is built (|V|² encodings).</summary>
    public const int MaxVocabulary = 512;

    /// <summary>allowed[a, b]: whether the bigram (a, b) is canonical, τ(κ(a)κ(b)) = (a, b).</summary>
    /// <exception cref="WorkbenchException">The tokenizer pre-tokenizes, or its vocabulary exceeds <see cref="MaxVocabulary"/>.</exception>
    public static bool[,] AllowedBigrams(BpeTokenizer tokenizer)
    {
        if (tokenizer.PreTokenization != PreTokenization.None)
            throw new WorkbenchException("Canonicality is decided here for BPE without pre-tokenization (where it is a property of bigrams).");
        if (tokenizer.VocabularySize > MaxVocabulary)
            throw new BudgetExceededException($"The bigram table of {tokenizer.VocabularySize} tokens needs {tokenizer.VocabularySize:N0}² encodings; the limit is {MaxVocabulary} tokens.");
        var v = tokenizer.VocabularySize;
        var allowed = new bool[v, v];
        for (var a = 0; a < v; a++)
            for (var b = 0; b < v; b++)
                allowed[a, b] = tokenizer.EncodeUnits(tokenizer.DecodeUnits([a, b])) is [var x, var y] && x == a && y == b;
        return allowed;
    }

    /// <summary>
    /// The deterministic automaton of the canonical token strings over symbols named by token id: a start state and one
    /// state per token (the last one read), every state final, weight 1 everywhere.
    /// </summary>
    public static Wfsa<Real> Automaton(BpeTokenizer tokenizer)
    {
        var allowed = AllowedBigrams(tokenizer);
        var v = tokenizer.VocabularySize;
        var builder = new WfsaBuilder<Real>(CharacterModel.TokenAlphabet(tokenizer)).EnsureStates(v + 1);
        builder.SetInitial(0, Real.One);
        for (var q = 0; q <= v; q++) builder.SetFinal(q, Real.One);
        for (var b = 0; b < v; b++) builder.AddArc(0, b, b + 1, Real.One);
        for (var a = 0; a < v; a++)
            for (var b = 0; b < v; b++)
                if (allowed[a, b]) builder.AddArc(a + 1, b, b + 1, Real.One);
        return builder.Build();
    }

    /// <summary>The token PFSA restricted to canonical strings (a sub-stochastic machine) and its mass, the model's probability of a canonical string.</summary>
    public static (Wfsa<Real> Restricted, CertifiedValue CanonicalMass) Restrict(BpeTokenizer tokenizer, Wfsa<Real> tokens)
    {
        if (!tokens.Alphabet.Symbols.SequenceEqual(CharacterModel.TokenAlphabet(tokenizer).Symbols))
            throw new InvalidModelException($"The token PFSA's symbols must be the token ids 0..{tokenizer.VocabularySize - 1}, in order.");
        var restricted = Intersection.Intersect(tokens, Automaton(tokenizer));
        return (restricted, RealPathsum.Compute(restricted).Allsum);
    }

    /// <summary>p(τ | τ canonical) as a PFSA (weight pushing of the restricted machine), with the canonical mass it divided by.</summary>
    /// <exception cref="WorkbenchException">The model puts no mass on canonical strings.</exception>
    public static (Wfsa<Real> Conditioned, CertifiedValue CanonicalMass) Condition(BpeTokenizer tokenizer, Wfsa<Real> tokens)
    {
        var (restricted, mass) = Restrict(tokenizer, tokens);
        if (!(mass.Value > 0)) throw new WorkbenchException("The token model puts no mass on canonical token strings, so it cannot be conditioned on them.");
        return (WeightPushing.Push(restricted), mass);
    }
}
