using Workbench.Formal.Estimation;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Models;
using Workbench.Formal.Symbols;

namespace Workbench.Formal.Tests.LanguageModels;

/// <summary>
/// The contract of docs/formal.md on the Formal families: brute force over Σ^{≤L} plus a closed-form tail gives the
/// partition function, and the view's chain rule and prefix consistency hold (<see cref="LanguageModelContract"/>).
/// </summary>
public sealed class ContractTests
{
    private const double Tolerance = 1e-10;

    [Fact]
    public void Random_tables_keep_the_contract_and_their_mass_is_one()
    {
        const int seed = 1301;
        var random = new Random(seed);
        var alphabet = Alphabet.FromCharacters("ab");
        for (var trial = 0; trial < 40; trial++)
        {
            // Up to 8 distinct strings of length ≤ 3 with random weights, one of them possibly ε.
            var strings = Enumerable.Range(0, random.Next(1, 9))
                .Select(_ => Enumerable.Range(0, random.Next(4)).Select(_ => random.Next(2)).ToArray())
                .DistinctBy(s => string.Join(",", s)).ToArray();
            var weights = strings.Select(_ => random.NextDouble() + 0.01).ToArray();
            var model = new TableLanguageModel(alphabet, strings.Select((s, i) => (s, weights[i] / weights.Sum())));
            var report = LanguageModelContract.Check(model, 3, Tolerance);
            Assert.True(report.Violations.Count == 0, $"seed {seed}, trial {trial}: {string.Join("; ", report.Violations)}");
            // A finite support of length ≤ 3 has no tail.
            Assert.Equal(1.0, report.PartialSum, 12);
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(9)]
    public void Unary_models_give_their_closed_form_mass_with_their_closed_form_tails(int maxLength)
    {
        // Inverse-square: ∏_{t<T}(1 − 1/(t+2)²) = (T + 2)/(2(T + 1)), so Z = 1/2 and Σ_{n>L} p(aⁿ) = 1/(2(L + 2)).
        // Harmonic: p(aⁿ) = 1/((n + 1)(n + 2)), tail 1/(L + 2). Constant C: p(aⁿ) = C(1 − C)ⁿ, tail (1 − C)^(L+1).
        (UnaryLanguageModel Model, double Z, double Tail)[] cases =
        [
            (new UnaryLanguageModel(EosSchedule.InverseSquare()), 0.5, 1.0 / (2 * (maxLength + 2))),
            (new UnaryLanguageModel(EosSchedule.Harmonic()), 1, 1.0 / (maxLength + 2)),
            (new UnaryLanguageModel(EosSchedule.Constant(0.3)), 1, Math.Pow(0.7, maxLength + 1)),
        ];
        foreach (var (model, z, tail) in cases)
        {
            var report = LanguageModelContract.Check(model, maxLength, Tolerance);
            Assert.True(report.Violations.Count == 0, $"{model}: {string.Join("; ", report.Violations)}");
            Assert.Equal(z, report.PartialSum + tail, 12);
            Assert.Equal(z, model.PartitionFunction().Value, 9);
            Assert.Equal(0.0, ((ILanguageModel)model).LogViewNormaliser);
        }
    }

    [Fact]
    public void The_uniform_model_gives_mass_one_with_its_geometric_tail()
    {
        // p(y) = (k + 1)^−(|y|+1), so the strings of length n carry (k/(k + 1))ⁿ/(k + 1) and the tail is (k/(k + 1))^(L+1).
        var model = new UniformLanguageModel(Alphabet.FromCharacters("abc"));
        var report = LanguageModelContract.Check(model, 5, Tolerance);
        Assert.Empty(report.Violations);
        Assert.Equal(1.0, report.PartialSum + Math.Pow(0.75, 6), 12);
        Assert.Equal(364, report.StringsChecked);
    }

    [Fact]
    public void A_model_whose_scores_disagree_with_its_view_is_caught()
    {
        // The table's view with every score halved: the chain rule and the prefix clause both break.
        var report = LanguageModelContract.Check(new HalvedScores(ExampleTables.P()), 2, Tolerance);
        Assert.Contains(report.Violations, v => v.StartsWith("chain rule of the view", StringComparison.Ordinal));
        Assert.Contains(report.Violations, v => v.StartsWith("π(", StringComparison.Ordinal));
    }

    [Fact]
    public void A_view_that_claims_a_normaliser_it_does_not_have_is_caught()
    {
        var report = LanguageModelContract.Check(new ClaimedNormaliser(ExampleTables.P()), 2, Tolerance);
        Assert.Contains(report.Violations, v => v.StartsWith("the view's product of conditionals over ε", StringComparison.Ordinal));
    }

    [Fact]
    public void Alphabets_too_large_for_brute_force_are_refused()
    {
        var model = new UniformLanguageModel(Alphabet.FromCharacters("abcdefghij"));
        Assert.Throws<ArgumentOutOfRangeException>(() => LanguageModelContract.Check(model, 6, Tolerance));
    }

    [Fact]
    public void Distributions_along_strings_score_by_the_chain_rule_and_give_the_stepwise_kl()
    {
        // Uniform over {a, b, EOS} against the table: along "ab" the table's conditionals are p(a) = 0.5, then b | a = 1, then EOS | ab = 1.
        ILanguageModel uniform = new UniformLanguageModel(ExampleTables.Ab);
        ILanguageModel table = ExampleTables.P();
        int[] y = [0, 1];
        var rows = uniform.NextLogProbabilitiesAlong([y])[0];
        Assert.Equal(3, rows.GetLength(0));
        Assert.Equal(uniform.LogProbability(y), ChainRule.LogProbability(rows, y), 14);
        Assert.Throws<ArgumentException>(() => ChainRule.LogProbability(rows, [0]));
        var kl = MonteCarlo.StepwiseKullbackLeibler(table, uniform, y);
        var tableRows = table.NextLogProbabilitiesAlong([y])[0];
        var expected = 0.0;
        for (var t = 0; t < 3; t++)
            for (var a = 0; a < 3; a++)
                if (tableRows[t, a] > double.NegativeInfinity) expected += Math.Exp(tableRows[t, a]) * (tableRows[t, a] + Math.Log(3));
        Assert.Equal(expected, kl, 14);
        Assert.True(kl > 0);
        Assert.Equal(0.0, MonteCarlo.StepwiseKullbackLeibler(table, table, y), 14);
        Assert.Throws<ArgumentException>(() => MonteCarlo.StepwiseKullbackLeibler(rows, new double[2, 3]));
    }

    private sealed class HalvedScores(TableLanguageModel inner) : IPrefixProbabilityModel
    {
        public Alphabet Alphabet => inner.Alphabet;

        public double LogProbability(ReadOnlySpan<int> symbols) => inner.LogProbability(symbols) - Math.Log(2);

        public double LogPrefixProbability(ReadOnlySpan<int> prefix) => inner.LogPrefixProbability(prefix);

        public IPrefix Start() => ((ILanguageModel)inner).Start();
    }

    private sealed class ClaimedNormaliser(TableLanguageModel inner) : IPrefixProbabilityModel
    {
        public Alphabet Alphabet => inner.Alphabet;

        public double LogViewNormaliser => Math.Log(0.5);

        public double LogProbability(ReadOnlySpan<int> symbols) => inner.LogProbability(symbols);

        public double LogPrefixProbability(ReadOnlySpan<int> prefix) => inner.LogPrefixProbability(prefix);

        public IPrefix Start() => ((ILanguageModel)inner).Start();
    }
}
