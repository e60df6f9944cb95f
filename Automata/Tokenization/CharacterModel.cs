using System.Globalization;
using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Tokenization;

/// <summary>
/// The character-level model that a token-level PFSA induces through a tokenizer's decoder κ (Gastaldi et al. 2024):
/// p_Σ(x) = Σ_{τ : κ(τ) = x} p(τ), the pushforward of p along κ. For a token PFSA it is again a PFSA: every token arc
/// q —τ/w→ r becomes a path that reads κ(τ) one base symbol at a time, weight w on its first arc and 1 on the others,
/// through fresh states; final weights stay. Every state's outgoing weights still sum to one, the mass is preserved
/// (Σ_x p_Σ(x) = Σ_τ p(τ), so the character model is tight iff the token model is), and every exact capability of a
/// PFSA applies to it. The token PFSA's symbols are token ids written as decimal numbers. O(Σ_arcs |κ(τ)|) states and arcs.
/// </summary>
public static class CharacterModel
{
    /// <summary>
    /// The alphabet of a tokenizer's base symbols, as the character PFSA reads them (in token-id order): each character as
    /// itself, except whitespace and the characters the alphabet reserves (ε), which are written &lt;U+XXXX&gt;; bytes as
    /// themselves when printable ASCII, else &lt;0xHH&gt;.
    /// </summary>
    public static Alphabet BaseAlphabet(ITokenizer tokenizer) => new(tokenizer.BaseSymbols.Select(s => SymbolName(s, tokenizer.Units)));

    /// <summary>The alphabet of a token-level model over this tokenizer: token ids as decimal numbers, in order.</summary>
    public static Alphabet TokenAlphabet(ITokenizer tokenizer) =>
        new(Enumerable.Range(0, tokenizer.VocabularySize).Select(t => t.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The id in <see cref="BaseAlphabet"/> of each base unit.</summary>
    internal static Dictionary<int, int> BaseIndex(ITokenizer tokenizer) =>
        tokenizer.BaseSymbols.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);

    /// <summary>The alphabet's name of one base unit.</summary>
    public static string SymbolName(int unit, BaseUnits units)
    {
        var name = TextUnits.NameOf(unit, units);
        return units == BaseUnits.Characters && (name.Any(char.IsWhiteSpace) || name == Alphabet.EmptyStringName) ? $"<U+{unit:X4}>" : name;
    }

    /// <summary>
    /// p_Σ for a token-level grammar: its homomorphic image, every terminal τ replaced by the base symbols κ(τ) with the
    /// rule weights unchanged, so a PCFG stays a PCFG with the same derivations and p_Σ(x) = Σ_{κ(τ)=x} p(τ). The grammar's
    /// terminals are token ids written as decimal numbers. O(|G| + Σ_rules |κ|).
    /// </summary>
    /// <exception cref="InvalidModelException">A terminal of the grammar is not a token id of the tokenizer.</exception>
    public static Grammars.Cfg<Real> ToCharacterGrammar(ITokenizer tokenizer, Grammars.Cfg<Real> tokens)
    {
        var tokenOf = TokenIds(tokenizer, tokens.Terminals, "grammar's terminal");
        var baseIndex = BaseIndex(tokenizer);
        var builder = new Grammars.CfgBuilder<Real>(BaseAlphabet(tokenizer));
        foreach (var name in tokens.Nonterminals) builder.Nonterminal(name);
        foreach (var rule in tokens.Rules)
            builder.AddRule(rule.Lhs, [.. rule.Rhs.SelectMany(s => s.IsTerminal
                ? tokenizer.UnitsOf(tokenOf[s.Id]).Select(u => Grammars.GrammarSymbol.Terminal(baseIndex[u]))
                : [s])], rule.Weight);
        return builder.Build(tokens.Start);
    }

    /// <summary>p_Σ as a PFSA over the tokenizer's base symbols.</summary>
    /// <exception cref="InvalidModelException">A symbol of the token PFSA is not a token id of the tokenizer, or the machine has ε-arcs.</exception>
    public static Wfsa<Real> ToCharacterPfsa(ITokenizer tokenizer, Wfsa<Real> tokens)
    {
        if (tokens.HasEpsilonArcs) throw new InvalidModelException("The token PFSA has ε-arcs; remove them first (every token reads at least one base symbol).");
        var tokenOf = TokenIds(tokenizer, tokens.Alphabet, "token PFSA's symbol");
        var baseIndex = BaseIndex(tokenizer);
        var builder = new WfsaBuilder<Real>(BaseAlphabet(tokenizer)).EnsureStates(tokens.StateCount);
        for (var q = 0; q < tokens.StateCount; q++)
        {
            builder.SetInitial(q, tokens.InitialWeights[q]);
            builder.SetFinal(q, tokens.FinalWeights[q]);
            for (var e = tokens.ArcStart(q); e < tokens.ArcEnd(q); e++)
            {
                // Base symbol ids of the character alphabet are the token ids of the base symbols.
                var path = tokenizer.UnitsOf(tokenOf[tokens.ArcLabels[e]]).Select(u => baseIndex[u]).ToArray();
                var from = q;
                for (var i = 0; i < path.Length; i++)
                {
                    var to = i == path.Length - 1 ? tokens.ArcTargets[e] : builder.AddState();
                    builder.AddArc(from, path[i], to, i == 0 ? tokens.ArcWeights[e] : Real.One);
                    from = to;
                }
            }
        }
        return builder.Build();
    }

    // The token id each symbol of a token-level alphabet names.
    internal static int[] TokenIds(ITokenizer tokenizer, Alphabet alphabet, string what)
    {
        var tokenOf = new int[alphabet.Size];
        for (var a = 0; a < tokenOf.Length; a++)
        {
            var name = alphabet.NameOf(a);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out tokenOf[a]) || tokenOf[a] >= tokenizer.VocabularySize)
                throw new InvalidModelException($"The {what} '{name}' is not a token id of the tokenizer (0..{tokenizer.VocabularySize - 1}).");
        }
        return tokenOf;
    }
}
