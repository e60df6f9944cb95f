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
/// is a property of adjacent pairs: a token string of two or more tokens is canonical iff each of its bigrams is
/// (Vieira et al. 2025, who use it for canonicality by construction), and a single token iff it encodes to itself (a
/// merge list read from a file may hold a token that does not: merges bc, ab, then ab·c). The same holds under
/// whitespace pre-tokenization over characters, whose segment boundaries are decided by the two symbols around them
/// (<see cref="LocalSegmentation"/>): a bigram across a boundary is canonical iff both tokens are, one inside a segment iff
/// BPE gives it. The canonical strings are then a strictly 2-local language, recognised by a deterministic automaton
/// whose states are the last token read — which theorem P8.12 checks against brute force on random tokenizers. Intersecting a token PFSA with it gives the exact mass the model puts on
/// canonical strings, and weight pushing of the intersection is the model conditioned on canonicality, an explicit
/// adapter that states the mass it divided by. O(|V|²) encodings of two tokens to build.
/// </summary>
public static class Canonicality
{
    /// <summary>The largest vocabulary whose bigram table is built (|V|² encodings).</summary>
    public const int MaxVocabulary = 512;

    /// <summary>Whether τ(κ(<paramref name="tokens"/>)) = <paramref name="tokens"/>, by encoding (with the tokenizer's pre-tokenization). O(|κ|·merges).</summary>
    public static bool IsCanonical(BpeTokenizer tokenizer, IReadOnlyList<int> tokens)
    {
        var units = tokenizer.DecodeUnits(tokens);
        var encoded = tokenizer.PreTokenization == PreTokenization.None ? tokenizer.EncodeUnits(units) : tokenizer.Encode(TextUnits.Text(units, tokenizer.Units));
        return encoded.SequenceEqual(tokens);
    }

    /// <summary>allowed[a, b]: whether the bigram (a, b) is canonical, τ(κ(a)κ(b)) = (a, b).</summary>
    /// <exception cref="WorkbenchException">The pre-tokenization is not local (<see cref="LocalSegmentation"/>), or the vocabulary exceeds <see cref="MaxVocabulary"/>.</exception>
    public static bool[,] AllowedBigrams(BpeTokenizer tokenizer)
    {
        LocalSegmentation.Require(tokenizer, "The canonical automaton");
        if (tokenizer.VocabularySize > MaxVocabulary)
            throw new BudgetExceededException($"The bigram table of {tokenizer.VocabularySize} tokens needs {tokenizer.VocabularySize:N0}² encodings; the limit is {MaxVocabulary} tokens.");
        var v = tokenizer.VocabularySize;
        var allowed = new bool[v, v];
        for (var a = 0; a < v; a++)
            for (var b = 0; b < v; b++)
                allowed[a, b] = IsCanonical(tokenizer, [a, b]);
        return allowed;
    }

    /// <summary>
    /// The deterministic automaton of the canonical token strings over symbols named by token id: a start state and one
    /// state per token (the last one read), every state final, weight 1 everywhere. The start state reads only the tokens
    /// that encode to themselves (a token that does not is in no canonical string, so no bigram leads to or from it).
    /// </summary>
    public static Wfsa<Real> Automaton(BpeTokenizer tokenizer)
    {
        var allowed = AllowedBigrams(tokenizer);
        var v = tokenizer.VocabularySize;
        var builder = new WfsaBuilder<Real>(CharacterModel.TokenAlphabet(tokenizer)).EnsureStates(v + 1);
        builder.SetInitial(0, Real.One);
        for (var q = 0; q <= v; q++) builder.SetFinal(q, Real.One);
        for (var b = 0; b < v; b++)
            if (IsCanonical(tokenizer, [b])) builder.AddArc(0, b, b + 1, Real.One);
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
