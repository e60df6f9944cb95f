using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Core;
using Workbench.Automata.Generators;
using Workbench.Automata.Pfsa;
using Workbench.Automata.Tokenization;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Proofs.Generators;

/// <summary>
/// A BPE tokenizer trained on a random corpus over {a, b, space}, with whitespace pre-tokenization when
/// <paramref name="Words"/>, and a random PFSA over its token ids (with trap states when <paramref name="Traps"/> &gt; 0,
/// so not tight).
/// </summary>
public sealed record TokenModelInstance(string[] Corpus, int Merges, int Seed, int States, int Traps, bool Words)
{
    /// <summary>The tokenizer, the token PFSA and its character model.</summary>
    public (BpeTokenizer Tokenizer, PfsaLanguageModel<Real> Tokens, PfsaLanguageModel<Real> Characters) Build()
    {
        var tokenizer = BpeTrainer.Train(Corpus, 3 + Merges, BaseUnits.Characters, Words ? PreTokenization.Whitespace : PreTokenization.None).Tokenizer;
        var shape = RandomAutomata.Pfsa(new Random(Seed), States, tokenizer.VocabularySize, Math.Min(3, tokenizer.VocabularySize), trapStates: Traps);
        var alphabet = new Alphabet(Enumerable.Range(0, tokenizer.VocabularySize).Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var builder = new WfsaBuilder<Real>(alphabet).EnsureStates(shape.StateCount);
        for (var q = 0; q < shape.StateCount; q++)
        {
            builder.SetInitial(q, shape.InitialWeights[q]).SetFinal(q, shape.FinalWeights[q]);
            for (var e = shape.ArcStart(q); e < shape.ArcEnd(q); e++) builder.AddArc(q, shape.ArcLabels[e], shape.ArcTargets[e], shape.ArcWeights[e]);
        }
        var tokens = builder.Build();
        return (tokenizer, new PfsaLanguageModel<Real>(tokens), new PfsaLanguageModel<Real>(CharacterModel.ToCharacterPfsa(tokenizer, tokens)));
    }

    /// <summary>Every token string τ with κ(τ) = x (x in base-symbol ids), by enumerating the coverings of x. Exponential; for short x.</summary>
    public static IEnumerable<int[]> Coverings(BpeTokenizer tokenizer, int[] x)
    {
        var units = x.Select(i => tokenizer.BaseSymbols[i]).ToArray();
        IEnumerable<int[]> From(int start)
        {
            if (start == units.Length)
            {
                yield return [];
                yield break;
            }
            for (var t = 0; t < tokenizer.VocabularySize; t++)
            {
                var piece = tokenizer.UnitsOf(t);
                if (start + piece.Length > units.Length || !piece.SequenceEqual(units[start..(start + piece.Length)])) continue;
                foreach (var rest in From(start + piece.Length)) yield return [t, .. rest];
            }
        }
        return From(0);
    }
}

/// <summary>Generators of token-level models.</summary>
public static class TokenModels
{
    /// <summary>Corpora of lines over {a, b, space} with runs, 0–6 merges, 1–3 states, traps a third of the time, whitespace pre-tokenization half the time.</summary>
    public static Arbitrary<TokenModelInstance> Instances() => Arb.From(
        from lines in Gen.Elements("a", "b", "aa", "ab", "ba", "bbb", " a", " ").ListOf().Select(p => string.Concat(p)).ListOf()
        from merges in Gen.Choose(0, 6)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from states in Gen.Choose(1, 3)
        from traps in Gen.Elements(0, 0, 1)
        from words in Gen.Elements(false, true)
        select new TokenModelInstance([.. lines.Where(l => l.Length > 0), "ab a"], merges, seed, states, traps, words));
}
