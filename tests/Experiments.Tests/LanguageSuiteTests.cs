using Workbench.Experiments.Languages;
using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;

namespace Workbench.Experiments.Tests;

public sealed class LanguageSuiteTests
{
    public static TheoryData<string> Languages() => new([.. LanguageSuite.Names, "mod-5", "random-pfsa:states=6,symbols=3,rank=2,seed=4"]);

    /// <summary>
    /// Walks the prefix tree of every string up to a length whose enumeration stays below ~20,000 nodes:
    /// support = language on all of them, and Σ_{|y|≤L} p(y) + Σ_{|y|=L+1} π(y) = 1 (the cylinders of
    /// length L + 1 hold the rest of the mass).
    /// </summary>
    private static (double Mass, int Strings, string? Disagreement) Enumerate(FormalLanguage language)
    {
        var model = language.Model;
        int size = model.Alphabet.SizeWithEos, symbols = model.Alphabet.Size;
        int depth = (int)Math.Floor(Math.Log(20_000) / Math.Log(Math.Max(2, symbols)));
        double mass = 0;
        int count = 0;
        string? disagreement = null;
        void Walk(IPrefix state, List<int> prefix, double logPrefix)
        {
            if (prefix.Count > depth)
            {
                mass += Math.Exp(logPrefix);
                return;
            }
            var next = new double[size];
            state.NextLogProbabilities(next);
            double logString = logPrefix + next[model.Alphabet.Eos];
            mass += Math.Exp(logString);
            count++;
            bool accepted = language.Accepts([.. prefix]);
            if (accepted != logString > double.NegativeInfinity && disagreement is null)
                disagreement = $"[{model.Alphabet.Format([.. prefix])}]: recogniser {accepted}, p = {Math.Exp(logString)}";
            for (int a = 0; a < symbols; a++)
            {
                if (double.IsNegativeInfinity(next[a]))
                    continue; // a prefix of probability 0: its strings are checked below by the recogniser alone
                prefix.Add(a);
                Walk(state.Advance(a), prefix, logPrefix + next[a]);
                prefix.RemoveAt(prefix.Count - 1);
            }
        }
        Walk(model.Start(), [], 0);
        return (mass, count, disagreement);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Support_equals_the_language_and_the_mass_adds_up_to_one(string name)
    {
        var language = LanguageSuite.Get(name);
        var (mass, strings, disagreement) = Enumerate(language);
        Assert.True(disagreement is null, disagreement);
        Assert.True(strings > 10);
        Assert.Equal(1.0, mass, 1e-9);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Samples_are_accepted_and_their_mean_surprisal_estimates_the_exact_entropy(string name)
    {
        var language = LanguageSuite.Get(name);
        var random = new Random(11);
        int[][] samples = Enumerable.Range(0, 2000).Select(_ => language.Draw(random, 2000)).Select(s => s ?? throw new InvalidOperationException("a draw exceeded 2000 symbols")).ToArray();
        Assert.All(samples, s => Assert.True(language.Accepts(s), $"{language.Name} sampled [{language.Model.Alphabet.Format(s)}], which its recogniser rejects"));
        double[] surprisal = samples.Select(s => -language.Model.LogProbability(s)).ToArray();
        double mean = surprisal.Average();
        double standardError = Math.Sqrt(surprisal.Sum(v => (v - mean) * (v - mean)) / (surprisal.Length - 1) / surprisal.Length);
        Assert.True(Math.Abs(mean - language.Entropy!.Value) <= 5 * standardError + 1e-9,
            $"{language.Name}: exact entropy {language.Entropy}, sample mean surprisal {mean} ± {standardError}");
    }

    [Fact]
    public void Strings_outside_the_language_get_probability_zero_deep_beyond_the_enumeration()
    {
        Assert.True(double.IsNegativeInfinity(LanguageSuite.Get("anbncn").Model.LogProbability([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2])));
        Assert.True(double.IsNegativeInfinity(LanguageSuite.Get("marked-copy").Model.LogProbability([0, 1, 1, 0, 0, 2, 0, 1, 1, 0, 1])));
        Assert.True(double.IsFinite(LanguageSuite.Get("marked-copy").Model.LogProbability([0, 1, 1, 0, 0, 2, 0, 1, 1, 0, 0])));
    }

    [Theory]
    [InlineData("dyck-3", "unknown language 'dyck-3'")]
    [InlineData("mod-1", "unknown language 'mod-1'")]
    [InlineData("random-pfsa:states=4,symbols=2,rank=4", "rank ≤ min(states, symbols + 1)")]
    [InlineData("random-pfsa:states=x", "'states=x' is not key=integer")]
    public void Unknown_languages_and_bad_parameters_are_reported(string name, string expected)
    {
        var error = Assert.Throws<ParseException>(() => LanguageSuite.Get(name));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void An_expected_length_is_the_mean_of_the_length_law(string name)
    {
        // The length law P(|y| = n) is checked against brute-force sums of p(y) in LengthConditionedSamplingTests. Its mean to
        // N = 1000 falls short of E|y| by the tail Σ_{n>N} n·P(n), which is at least (N + 1)·P(|y| > N); the Dyck laws are near
        // critical (P(|y| > 1000) ≈ 1.4e-5), so the tail is also bounded above, by four times that (their decay past N is geometric).
        const int longest = 1000;
        var language = LanguageSuite.Get(name);
        if (language.Model is not Workbench.Formal.LanguageModels.IExpectedLengthModel lengths)
        {
            Assert.Equal("majority", name);
            return;
        }
        double[] law = [.. Enumerable.Range(0, longest + 1).Select(n => Math.Exp(language.LengthSampler.LogLengthProbability(n)))];
        // Where the law is approximate (binary multiplication beyond length 68), |P̂ − P| ≤ P̂·(e^ε − 1) for its log error ε.
        double[] lawError = [.. law.Select((p, n) => p * double.ExpM1(language.LengthSampler.LogLengthProbabilityError(n)))];
        double mean = law.Select((p, n) => n * p).Sum(), tail = Math.Max(0, 1 - law.Sum());
        var expected = lengths.ExpectedLength();
        double tolerance = 1e-9 * expected.Value + expected.ErrorBound + lawError.Select((e, n) => (n + longest + 1) * e).Sum();
        Assert.True(mean + (longest + 1) * tail <= expected.Value + tolerance, $"{name}: E|y| = {expected} is below the length law's mean to {longest} plus its tail, {mean} + {(longest + 1) * tail}");
        Assert.True(expected.Value - mean <= 4 * (longest + 1) * tail + tolerance, $"{name}: E|y| = {expected} but the length law's mean to {longest} is {mean} with tail mass {tail}");
    }

    [Fact]
    public void Random_pfsa_ranks_go_up_to_the_alphabet_plus_eos()
    {
        // The (|Σ| + 1) × |Q| logit matrix has rank up to min(|Q|, |Σ| + 1) (EOS is an outcome too).
        Assert.Equal(ChomskyLevel.Regular, LanguageSuite.Get("random-pfsa:states=8,symbols=2,rank=3,seed=1").Level);
        var error = Assert.Throws<Workbench.Formal.Errors.ParseException>(() => LanguageSuite.Get("random-pfsa:states=8,symbols=2,rank=4,seed=1"));
        Assert.Contains("min(states, symbols + 1)", error.Message);
    }
}

public sealed class LengthConditionedSamplingTests
{
    public static TheoryData<string> Languages() => LanguageSuiteTests.Languages();

    [Theory]
    [MemberData(nameof(Languages))]
    public void Length_conditioned_draws_match_the_model_at_short_lengths_and_stay_in_the_language_at_500(string name)
    {
        const int seed = 500;
        var language = LanguageSuite.Get(name);
        var model = language.Model;
        var random = new Random(seed);
        var symbols = model.Alphabet.Size;
        // Every length up to 12 whose strings stay below ~3,000: P(|y| = n) against the brute-force sum of the model's p(y), and a G-test of the draws.
        for (var n = 0; n <= 12 && Math.Pow(symbols, n) <= 3000; n++)
        {
            LengthLawChecks.Check(language, n, [.. Workbench.Formal.Symbols.Strings.UpTo(symbols, n).Where(y => y.Length == n)], random, 1500, seed);
        }
        // The anchors' longest test lengths: every draw in [480, 500] is in the language and in the range.
        var drawn = LengthConditionedSamplingRange(language, random, 480, 500);
        Assert.Equal(5, drawn.Length);
        Assert.All(drawn, y => Assert.True(y.Length is >= 480 and <= 500 && language.Accepts(y), $"{name}: a draw of length {y.Length}"));
    }

    private static int[][] LengthConditionedSamplingRange(FormalLanguage language, Random random, int min, int max) =>
        language.LengthSampler.SampleInRange(random, 5, min, max);
}
