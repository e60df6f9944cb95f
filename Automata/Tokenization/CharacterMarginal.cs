using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Numerics;

namespace Workbench.Automata.Tokenization;

/// <summary>
/// p_Σ(x) = Σ_{κ(τ) = x} p(τ) for any token-level language model (a network included), whose symbols are the token ids in
/// order, through its autoregressive view: the coverings of x are the paths of its lattice (positions 0..|x|, an arc
/// i → j for every token that spells x[i..j)). <see cref="Exact"/> sums all of them; <see cref="Beam"/> keeps the most
/// probable partial coverings at each position and bounds what it drops by their prefix masses (a partial covering's
/// completions weigh at most its cylinder mass), so its answer is an interval that contains p_Σ(x) — the beam of Vieira
/// et al. 2024 with its pruned mass stated. Each step costs one next-symbol distribution of the model.
/// </summary>
public static class CharacterMarginal
{
    /// <summary>The most coverings <see cref="Exact"/> enumerates.</summary>
    public const int MaxCoverings = 1_000_000;

    /// <summary>p_Σ(x) summed over every covering of x. O(coverings·|x|) model steps.</summary>
    /// <exception cref="BudgetExceededException">x has more than <see cref="MaxCoverings"/> coverings; use <see cref="Beam"/>.</exception>
    public static double Exact(ILanguageModel tokens, ITokenizer tokenizer, string text)
    {
        var (units, matches) = Lattice(tokens, tokenizer, text);
        var size = tokens.Alphabet.SizeWithEos;
        var total = 0.0;
        var coverings = 0;
        void Walk(IPrefix prefix, int position, double logMass)
        {
            var next = new double[size];
            prefix.NextLogProbabilities(next);
            if (position == units.Length)
            {
                if (++coverings > MaxCoverings) throw new BudgetExceededException($"\"{text}\" has more than {MaxCoverings} coverings; the beam bounds p_Σ instead.");
                total += Math.Exp(logMass + next[tokens.Alphabet.Eos] + tokens.LogViewNormaliser);
                return;
            }
            foreach (var (token, end) in matches[position])
                if (!double.IsNegativeInfinity(next[token])) Walk(prefix.Advance(token), end, logMass + next[token]);
        }
        Walk(tokens.Start(), 0, 0);
        return total;
    }

    /// <summary>
    /// p_Σ(x) from the <paramref name="width"/> most probable partial coverings at each position: the value is the middle
    /// of [found, found + pruned] and the error bound half its width, where pruned is the prefix mass of what was dropped
    /// (0 when nothing was, and then the value is exact). For a locally normalised model (no view normaliser).
    /// </summary>
    /// <exception cref="WorkbenchException">The model's view is renormalised (a PCFG); its cylinder masses do not bound its own mass.</exception>
    public static CertifiedValue Beam(ILanguageModel tokens, ITokenizer tokenizer, string text, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (tokens.LogViewNormaliser != 0) throw new WorkbenchException("The beam bound needs a locally normalised token model; this one's view is renormalised.");
        var (units, matches) = Lattice(tokens, tokenizer, text);
        var size = tokens.Alphabet.SizeWithEos;
        var frontier = Enumerable.Range(0, units.Length + 1).Select(_ => new List<(IPrefix Prefix, double LogMass)>()).ToArray();
        frontier[0].Add((tokens.Start(), 0));
        double found = 0, pruned = 0;
        var next = new double[size];
        for (var position = 0; position <= units.Length; position++)
        {
            var kept = frontier[position].OrderByDescending(item => item.LogMass).ToList();
            foreach (var dropped in kept.Skip(width)) pruned += Math.Exp(dropped.LogMass);
            foreach (var (prefix, logMass) in kept.Take(width))
            {
                prefix.NextLogProbabilities(next);
                if (position == units.Length)
                {
                    found += Math.Exp(logMass + next[tokens.Alphabet.Eos]);
                    continue;
                }
                foreach (var (token, end) in matches[position])
                    if (!double.IsNegativeInfinity(next[token])) frontier[end].Add((prefix.Advance(token), logMass + next[token]));
            }
            frontier[position].Clear();
        }
        var rounding = 8 * FloatingPoint.MachineEpsilon * (found + pruned);
        return new CertifiedValue(found + pruned / 2, pruned / 2 + rounding,
            pruned == 0 ? $"every covering (beam {width} dropped none)" : Invariant($"beam of {width} partial coverings; the dropped ones carry at most {pruned:G3}"));
    }

    // The base units of the text and, for each position, the tokens that spell the units from there.
    private static (int[] Units, List<(int Token, int End)>[] Matches) Lattice(ILanguageModel tokens, ITokenizer tokenizer, string text)
    {
        if (tokens.Alphabet.Size != tokenizer.VocabularySize)
            throw new InvalidModelException($"The token model has {tokens.Alphabet.Size} symbols and the tokenizer {tokenizer.VocabularySize} tokens; symbol i must be token i.");
        var units = TextUnits.Of(text, tokenizer.Units);
        var matches = Enumerable.Range(0, units.Length).Select(_ => new List<(int, int)>()).ToArray();
        for (var token = 0; token < tokenizer.VocabularySize; token++)
        {
            var piece = tokenizer.UnitsOf(token);
            for (var start = 0; start + piece.Length <= units.Length; start++)
                if (piece.AsSpan().SequenceEqual(units.AsSpan(start, piece.Length))) matches[start].Add((token, start + piece.Length));
        }
        return (units, matches);
    }
}
