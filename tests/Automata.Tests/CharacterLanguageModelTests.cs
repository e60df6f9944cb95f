using System.Globalization;
using Workbench.Automata.Core;
using Workbench.Automata.Generators;
using Workbench.Automata.Pfsa;
using Workbench.Automata.Tokenization;
using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Models;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Tests;

public sealed class CharacterLanguageModelTests
{
    private static Wfsa<Real> RandomTokenPfsa(Random random, BpeTokenizer tokenizer, int traps)
    {
        var names = new Alphabet(Enumerable.Range(0, tokenizer.VocabularySize).Select(t => t.ToString(CultureInfo.InvariantCulture)));
        var shape = RandomAutomata.Pfsa(random, random.Next(1, 4), tokenizer.VocabularySize, 4, trapStates: traps);
        var builder = new WfsaBuilder<Real>(names).EnsureStates(shape.StateCount);
        for (var q = 0; q < shape.StateCount; q++)
        {
            builder.SetInitial(q, shape.InitialWeights[q]).SetFinal(q, shape.FinalWeights[q]);
            for (var e = shape.ArcStart(q); e < shape.ArcEnd(q); e++) builder.AddArc(q, shape.ArcLabels[e], shape.ArcTargets[e], shape.ArcWeights[e]);
        }
        return builder.Build();
    }

    [Fact]
    public void The_view_over_characters_of_a_token_model_gives_the_character_pfsa_string_and_prefix_probabilities_and_the_beam_contains_them()
    {
        const int seed = 2024;
        var random = new Random(seed);
        var tokenizer = BpeTrainer.Train(["abab aab", "ba", "aaab"], 10, BaseUnits.Characters, PreTokenization.None).Tokenizer;
        for (var trial = 0; trial < 10; trial++)
        {
            // Trap states in half the trials: the token model, and so the character model, is not tight.
            var tokens = RandomTokenPfsa(random, tokenizer, traps: trial % 2);
            var model = new CharacterLanguageModel(new PfsaLanguageModel<Real>(tokens), tokenizer);
            var reference = new PfsaLanguageModel<Real>(CharacterModel.ToCharacterPfsa(tokenizer, tokens));
            Assert.Equal(reference.Alphabet.Symbols, model.Alphabet.Symbols);
            foreach (var text in new[] { "", "a", "ab", "aaab", "abab", "baaab", "abababa", "b ba" })
            {
                var ids = model.Alphabet.Parse(string.Join(" ", text.Select(c => CharacterModel.SymbolName(c, BaseUnits.Characters))));
                var (p, pi) = (Math.Exp(reference.LogProbability(ids)), Math.Exp(reference.LogPrefixProbability(ids)));
                Assert.True(Math.Abs(Math.Exp(model.LogProbability(ids)) - p) <= 1e-12 * Math.Max(1, p), $"seed {seed}, trial {trial}, p(\"{text}\")");
                Assert.True(Math.Abs(Math.Exp(model.LogPrefixProbability(ids)) - pi) <= 1e-12, $"seed {seed}, trial {trial}, π(\"{text}\")");
                foreach (var width in new[] { 1, 2, 3, 1000 })
                {
                    var (beamP, beamPi) = model.BeamScore(ids, width);
                    Assert.True(Math.Abs(beamP.Value - p) <= beamP.ErrorBound + 1e-15, $"seed {seed}, trial {trial}, \"{text}\", beam {width}: {beamP} does not contain p = {p}");
                    Assert.True(Math.Abs(beamPi.Value - pi) <= beamPi.ErrorBound + 1e-15, $"seed {seed}, trial {trial}, \"{text}\", beam {width}: {beamPi} does not contain π = {pi}");
                    if (width == 1000) Assert.True(beamP.ErrorBound <= 1e-14 && beamPi.ErrorBound <= 1e-14, beamP.ToString());
                }
            }
        }
    }

    [Fact]
    public void The_character_model_keeps_the_contract_on_every_short_string()
    {
        var random = new Random(31);
        var tokenizer = BpeTrainer.Train(["abab aab", "ba"], 9, BaseUnits.Characters, PreTokenization.Whitespace).Tokenizer;
        for (var trial = 0; trial < 4; trial++)
        {
            var model = new CharacterLanguageModel(new PfsaLanguageModel<Real>(RandomTokenPfsa(random, tokenizer, traps: trial % 2)), tokenizer);
            var report = LanguageModelContract.Check(model, 5, 1e-10);
            Assert.True(report.Violations.Count == 0, $"seed 31, trial {trial}: {string.Join("; ", report.Violations)}");
        }
    }

    [Fact]
    public void A_token_model_that_lacks_some_tokens_gives_them_probability_zero()
    {
        // Tokens 0 (a), 1 (b) and 2 (ab); the model only knows 0 and 2, as one-character symbols.
        var tokenizer = new BpeTokenizer(BaseUnits.Characters, PreTokenization.None, ['a', 'b'], [(0, 1)]);
        var model = new CharacterLanguageModel(new TableLanguageModel(Alphabet.FromCharacters("02"), [([1], 0.5), ([0, 1], 0.25), ([0], 0.25)]), tokenizer);
        var ab = model.Alphabet.Parse("a b");
        Assert.Equal(0.5, Math.Exp(model.LogProbability(ab)), 15);
        Assert.Equal(0.25, Math.Exp(model.LogProbability(model.Alphabet.Parse("a"))), 15);
        Assert.Equal(1.0, Math.Exp(model.LogPrefixProbability(model.Alphabet.Parse("a"))), 15);
        Assert.Equal(0.5, Math.Exp(model.LogPrefixProbability(ab)), 15);
        Assert.True(double.IsNegativeInfinity(model.LogProbability(model.Alphabet.Parse("b"))));
        Assert.Throws<InvalidModelException>(() => new CharacterLanguageModel(new UniformLanguageModel(Alphabet.FromCharacters("ax")), tokenizer));
    }

    [Fact]
    public void Exponentially_many_coverings_are_refused_and_the_beam_bounds_them()
    {
        // Tokens a and aa: the coverings of aⁿ are the Fibonacci numbers, past the budget at n = 30.
        var tokenizer = new BpeTokenizer(BaseUnits.Characters, PreTokenization.None, ['a'], [(0, 0)]);
        var model = new CharacterLanguageModel(new UniformLanguageModel(Alphabet.FromCharacters("01")), tokenizer);
        var text = model.Alphabet.Parse(string.Join(" ", Enumerable.Repeat("a", 30)));
        Assert.Contains("--beam", Assert.Throws<BudgetExceededException>(() => model.LogProbability(text)).Message, StringComparison.Ordinal);
        var (p, pi) = model.BeamScore(text, 16);
        Assert.True(p.ErrorBound > 0 && p.Value - p.ErrorBound >= 0 && pi.Value + pi.ErrorBound <= 1 + 1e-12, $"{p}; {pi}");
        // Uniform over {0, 1, EOS}: each token string τ has mass 3^{-(|τ|+1)}; p(aⁿ) = Σ_k C(k, n−k)·3^{-(k+1)} over k tokens.
        var exact = Enumerable.Range(15, 16).Sum(k => Binomial(k, 30 - k) * Math.Pow(3, -(k + 1)));
        Assert.True(Math.Abs(p.Value - exact) <= p.ErrorBound, $"{p} against {exact}");
    }

    private static double Binomial(int n, int k) => Enumerable.Range(1, k).Aggregate(1.0, (acc, i) => acc * (n - k + i) / i);
}

public sealed class CharacterLanguageModelEdgeTests
{
    private static readonly BpeTokenizer AbTokenizer = new(BaseUnits.Characters, PreTokenization.None, ['a', 'b'], [(0, 1)]);

    private static int[] Spell(ILanguageModel model, string text) => model.Alphabet.Parse(string.Join(" ", text.Select(c => c.ToString())));

    [Fact]
    public void Over_a_renormalised_token_grammar_the_view_scores_the_grammars_own_mass_and_the_beam_is_refused()
    {
        // Tokens a, b, ab (0, 1, 2); a non-tight token grammar S → S S [0.6] | '2' [0.3] | '0' [0.1] (its view divides by Z).
        var grammar = Workbench.Automata.Formats.CfgTextFormat.Read("S -> S S [0.6] | '2' [0.3] | '0' [0.1]", "tokens");
        var tokens = new Workbench.Automata.Grammars.PcfgLanguageModel(grammar);
        Assert.NotEqual(0, tokens.LogViewNormaliser);
        var view = new CharacterLanguageModel(tokens, AbTokenizer);
        var image = new Workbench.Automata.Grammars.PcfgLanguageModel(CharacterModel.ToCharacterGrammar(AbTokenizer, grammar));
        foreach (var text in new[] { "ab", "a", "aab", "abab" })
        {
            var x = Spell(view, text);
            Assert.Equal(image.LogProbability(x), view.LogProbability(x), 10);
            Assert.Equal(image.LogPrefixProbability(x), view.LogPrefixProbability(x), 10);
        }
        Assert.Contains("locally normalised", Assert.Throws<WorkbenchException>(() => view.BeamScore(Spell(view, "ab"), 4)).Message);
    }

    [Fact]
    public void The_beam_keeps_the_heaviest_coverings_and_says_what_it_dropped()
    {
        // p(ab as one token) = 0.8 ≫ p(a·b) = 0.1: a beam of one keeps the heavy covering and drops at most 0.1 + the rest.
        var tokens = new TableLanguageModel(Alphabet.FromCharacters("012"), [([2], 0.8), ([0, 1], 0.1), ([0], 0.1)]);
        var view = new CharacterLanguageModel(tokens, AbTokenizer);
        var (p, pi) = view.BeamScore(Spell(view, "ab"), 1);
        Assert.True(p.ErrorBound is > 0 and <= 0.11, p.ToString());
        Assert.Contains("beam of 1 coverings", p.Method, StringComparison.Ordinal);
        Assert.True(Math.Abs(p.Value - 0.9) <= p.ErrorBound && Math.Abs(pi.Value - 0.9) <= pi.ErrorBound, $"{p}; {pi}");
        var (exact, _) = view.BeamScore(Spell(view, "ab"), 10);
        Assert.Equal(0.9, exact.Value, 14);
        Assert.Contains("dropped none", exact.Method, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => view.BeamScore(Spell(view, "ab"), 0));
        Assert.Throws<UnknownSymbolException>(() => view.BeamScore([7], 1));
        Assert.Throws<UnknownSymbolException>(() => view.LogProbability([7]));
        Assert.Throws<UnknownSymbolException>(() => view.Advance(view.InitialState, 7));
        Assert.Equal(1, view.Advance(view.InitialState, 0).Length);
        Assert.Contains("character model", view.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_multi_symbol_token_with_id_zero_is_spelled_like_any_other()
    {
        // Unigram pieces ab (id 0), a, b: token 0 spans two characters.
        var tokenizer = new UnigramTokenizer(BaseUnits.Characters, PreTokenization.None, [(TextUnits.Of("ab", BaseUnits.Characters), 0.5), (TextUnits.Of("a", BaseUnits.Characters), 0.25), (TextUnits.Of("b", BaseUnits.Characters), 0.25)]);
        var tokens = new TableLanguageModel(Alphabet.FromCharacters("012"), [([0], 0.5), ([1, 2], 0.3), ([1], 0.2)]);
        var view = new CharacterLanguageModel(tokens, tokenizer);
        Assert.Equal(0.8, Math.Exp(view.LogProbability(Spell(view, "ab"))), 14);
        Assert.Equal(0.2, Math.Exp(view.LogProbability(Spell(view, "a"))), 14);
        Assert.Equal(1.0, Math.Exp(view.LogPrefixProbability(Spell(view, "a"))), 14);
        var next = new double[view.Alphabet.SizeWithEos];
        view.NextLogProbabilities(view.Advance(view.InitialState, view.Alphabet.IdOf("a")), next);
        Assert.Equal(0.8, Math.Exp(next[view.Alphabet.IdOf("b")]), 14);
        Assert.Equal(0.2, Math.Exp(next[view.Alphabet.Eos]), 14);
    }

    [Fact]
    public void The_tightness_is_the_token_models_with_the_pushforward_named()
    {
        // State 0 stops with 0.5, loops on token 2 with 0.3, and goes with token 0 to a trap that never stops: Z = 0.5/0.7.
        var machine = new WfsaBuilder<Real>(Alphabet.FromCharacters("012")).EnsureStates(2).SetInitial(0, Real.One).SetFinal(0, new Real(0.5))
            .AddArc(0, 2, 0, new Real(0.3)).AddArc(0, 0, 1, new Real(0.2)).AddArc(1, 1, 1, Real.One).Build();
        var report = new CharacterLanguageModel(new PfsaLanguageModel<Real>(machine), AbTokenizer).AnalyzeTightness();
        Assert.Equal(TightnessVerdict.NotTight, report.Verdict);
        Assert.Equal(0.5 / 0.7, report.Mass, 12);
        Assert.StartsWith("the pushforward through κ preserves mass", report.Evidence[0], StringComparison.Ordinal);
    }
}
