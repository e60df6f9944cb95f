using Workbench.Automata.Core;
using Workbench.Automata.Grammars;
using Workbench.Automata.Tokenization;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P8.8 (Gastaldi et al. 2024): the character model a token model induces through the tokenizer's decoder κ is the
/// pushforward p_Σ(x) = Σ_{κ(τ) = x} p(τ). It preserves mass, Σ_x p_Σ(x) = Σ_τ p(τ), so the character model is tight iff
/// the token model is; for a token PFSA it is a PFSA (CharacterModel), and for any token model the character-level view
/// over minimal coverings (CharacterLanguageModel) gives the same string and prefix probabilities.
/// </summary>
public static class P8_8_PushforwardPreservesMass
{
    /// <summary>Random BPE tokenizers and random token PFSAs, a third of them with trap states (not tight).</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P8.8",
        "The character model of a token model is the pushforward along κ: p_Σ(x) equals the brute-force sum over the coverings of x for every |x| ≤ 4, the partition functions agree (Σ_x p_Σ(x) = Σ_τ p(τ)), the character model is tight iff the token model is, the homomorphic image of the token PFSA's right-linear PCFG and the character-level view over coverings give the same p_Σ, and the prefix probability π_Σ(x) (|x| ≤ 2) lies between the brute-force sum over token strings of length ≤ 4 that spell a continuation of x and that sum plus the certified P(|τ| ≥ 5), with the view's π_Σ equal to the PFSA's.",
        "notes Part 2 (tokenization); Gastaldi et al. 2024, Vieira et al. 2024",
        TokenModels.Instances(),
        Check,
        defaultTrials: 40);

    private static void Check(TokenModelInstance instance)
    {
        var (tokenizer, tokens, characters) = instance.Build();
        var (zTokens, zCharacters) = (tokens.PartitionFunction(), characters.PartitionFunction());
        Require.Close(zTokens.Value, zCharacters.Value, zTokens.ErrorBound + zCharacters.ErrorBound + 1e-12, "Σ_x p_Σ(x) against Σ_τ p(τ)");
        Require.That(tokens.AnalyzeTightness().Verdict == characters.AnalyzeTightness().Verdict, "the character model's tightness differs from the token model's");
        var view = new CharacterLanguageModel(tokens, tokenizer);
        var grammar = zTokens.Value > 0 ? new PcfgLanguageModel(CharacterModel.ToCharacterGrammar(tokenizer, RightLinear(tokens.Automaton))) : null;
        foreach (var x in Strings.UpTo(tokenizer.BaseSymbols.Length, 4))
        {
            var brute = TokenModelInstance.Coverings(tokenizer, x).Sum(t => Math.Exp(tokens.LogProbability(t)));
            Require.Close(brute, Math.Exp(characters.LogProbability(x)), 1e-12 * Math.Max(1, brute), $"p_Σ({tokenizer.Decode(x)}) against the sum over its coverings");
            Require.Close(brute, Math.Exp(view.LogProbability(x)), 1e-12 * Math.Max(1, brute), $"p_Σ({tokenizer.Decode(x)}) of the view over coverings");
            if (grammar is not null)
                Require.Close(brute, Math.Exp(grammar.LogProbability(x)), 1e-10 * Math.Max(1, brute), $"p_Σ({tokenizer.Decode(x)}) of the character grammar");
        }
        const int tokenLength = 4;
        var tail = tokens.ProbabilityOfLengthAtLeast(tokenLength + 1);
        var strings = Strings.UpTo(tokenizer.VocabularySize, tokenLength).Select(t => (Text: tokenizer.Decode(t), P: Math.Exp(tokens.LogProbability(t)))).ToArray();
        foreach (var x in Strings.UpTo(tokenizer.BaseSymbols.Length, 2))
        {
            // The base symbols are BPE's first tokens, in order, so x read as token ids spells the text.
            var text = tokenizer.Decode(x);
            var brute = strings.Where(s => s.Text.StartsWith(text, StringComparison.Ordinal)).Sum(s => s.P);
            var prefix = Math.Exp(characters.LogPrefixProbability(x));
            Require.AtMost(brute, prefix, 1e-12, $"π_Σ({text}) below the brute-force sum over token strings of length ≤ {tokenLength}");
            Require.AtMost(prefix, brute + tail.Value, tail.ErrorBound + 1e-12, $"π_Σ({text}) above the brute-force sum plus P(|τ| ≥ {tokenLength + 1})");
            Require.Close(prefix, Math.Exp(view.LogPrefixProbability(x)), 1e-12, $"π_Σ({text}) of the view over coverings against the character PFSA");
        }
    }

    // The PFSA as a PCFG: Q_q → τ Q_r for every arc, Q_q → ε for the final weight, S → Q_q for the initial weights.
    private static Cfg<Real> RightLinear(Wfsa<Real> fsa)
    {
        var builder = new CfgBuilder<Real>(fsa.Alphabet);
        var start = builder.Nonterminal("S");
        var states = Enumerable.Range(0, fsa.StateCount).Select(q => builder.Nonterminal($"Q{q}")).ToArray();
        for (var q = 0; q < fsa.StateCount; q++)
        {
            if (fsa.InitialWeights[q].Value > 0) builder.AddRule(start, [GrammarSymbol.Nonterminal(states[q])], fsa.InitialWeights[q]);
            if (fsa.FinalWeights[q].Value > 0) builder.AddRule(states[q], [], fsa.FinalWeights[q]);
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
                builder.AddRule(states[q], [GrammarSymbol.Terminal(fsa.ArcLabels[e]), GrammarSymbol.Nonterminal(states[fsa.ArcTargets[e]])], fsa.ArcWeights[e]);
        }
        return builder.Build(start);
    }
}
