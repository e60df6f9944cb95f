using TorchSharp;
using Workbench.Automata.Core;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Recognition;
using Workbench.Neural.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Workbench.Neural.Tests;

/// <summary>Recognizer training under the FLaRe protocol: its examples, its objective, its budget, and that it learns and resumes.</summary>
public sealed class RecognitionTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("workbench-recognition-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static bool EvenAs(int[] y) => y.Count(s => s == 0) % 2 == 0;

    private static RecognitionSampler EvenAsSampler(double perturbation = 0.5) =>
        new(new PfsaLengthSampler(TrainingTests.EvenAs().DeterministicMachine), EvenAs, y => EvenAsNextSymbols(y), alphabetSize: 2, perturbation);

    // Written from the language, not from the model: after any prefix a and b may follow; EOS only after an even number of a's.
    private static bool[][] EvenAsNextSymbols(int[] y) =>
        [.. Enumerable.Range(0, y.Length + 1).Select(t => new[] { true, true, y.Take(t).Count(s => s == 0) % 2 == 0 })];

    /// <summary>The strings a(a|b)*: a PFSA whose first symbol is a, then a or b with 0.45 each and stopping 0.1.</summary>
    private static (PfsaLengthSampler Sampler, Func<int[], bool> Accepts) StartsWithA()
    {
        var fsa = new WfsaBuilder<Real>(Alphabet.FromCharacters("ab")).EnsureStates(2)
            .SetInitial(0, Real.One).SetFinal(1, new Real(0.1))
            .AddArc(0, 0, 1, Real.One).AddArc(1, 0, 1, new Real(0.45)).AddArc(1, 1, 1, new Real(0.45))
            .Build();
        return (new PfsaLengthSampler(fsa), y => y.Length > 0 && y[0] == 0);
    }

    [Fact]
    public void Examples_are_labelled_by_membership_keep_to_their_lengths_and_carry_the_languages_next_symbols()
    {
        var examples = EvenAsSampler().Sample(new Random(11), 4000, 0, 20);
        Assert.All(examples, e =>
        {
            Assert.InRange(e.Symbols.Length, 0, 20);
            Assert.Equal(EvenAs(e.Symbols), e.Positive);
            if (e.Positive)
                Assert.Equal(EvenAsNextSymbols(e.Symbols), e.NextSymbols);
            else
                Assert.Null(e.NextSymbols);
        });
        // Labels are fair coins: 4,000 draws put the share of positives within 4σ = 0.032 of ½.
        Assert.InRange(examples.Count(e => e.Positive) / 4000.0, 0.5 - 0.032, 0.5 + 0.032);
        // Positive lengths are uniform over 0…20 (each length has strings of the language): every count within 5σ of n/21.
        var positives = examples.Where(e => e.Positive).ToArray();
        double expected = positives.Length / 21.0, sigma = Math.Sqrt(expected * (1 - 1 / 21.0));
        foreach (var group in positives.GroupBy(e => e.Symbols.Length))
            Assert.InRange(group.Count(), expected - 5 * sigma, expected + 5 * sigma);
    }

    [Fact]
    public void Negatives_mix_edited_positives_and_random_strings_by_the_perturbation_probability()
    {
        // With probability 0 every negative is a uniform random string: its length is uniform on 0…20, so long
        // negatives are as common as short ones; with probability 1 negatives are edited positives only.
        var random = EvenAsSampler(0).Sample(new Random(3), 3000, 0, 20).Where(e => !e.Positive).ToArray();
        Assert.InRange(random.Average(e => e.Symbols.Length), 9.0, 11.0);
        var edited = EvenAsSampler(1).Sample(new Random(3), 3000, 0, 20).Where(e => !e.Positive).ToArray();
        Assert.All(edited, e => Assert.False(EvenAs(e.Symbols)));
        Assert.NotEmpty(edited);
    }

    [Fact]
    public void K_edits_move_a_string_by_at_most_K_and_keep_its_length_in_range()
    {
        var sampler = EvenAsSampler();
        var random = new Random(5);
        for (int trial = 0; trial < 2000; trial++)
        {
            int[] y = [.. Enumerable.Range(0, random.Next(0, 12)).Select(_ => random.Next(2))];
            int edits = random.Next(1, 6), min = random.Next(0, Math.Max(1, y.Length)), max = y.Length + random.Next(0, 4);
            min = Math.Min(min, y.Length);
            int[] z = sampler.Edited(y, edits, min, max, random);
            Assert.InRange(z.Length, min, max);
            Assert.True(Levenshtein(y, z) <= edits, $"{edits} edits moved [{string.Join(",", y)}] to [{string.Join(",", z)}]");
            if (min == max)
                Assert.Equal(y.Length, z.Length);
        }
    }

    [Fact]
    public void A_length_whose_strings_are_all_in_the_language_yields_positives_and_a_language_of_everything_is_refused()
    {
        // Only ε has length 0, and it has an even number of a's: every example at length 0 is the positive ε.
        var atZero = EvenAsSampler().Sample(new Random(1), 50, 0, 0);
        Assert.All(atZero, e => Assert.True(e.Positive && e.Symbols.Length == 0));
        // Length 1: the one negative is "a".
        Assert.All(EvenAsSampler().Sample(new Random(2), 50, 1, 1).Where(e => !e.Positive), e => Assert.Equal([0], e.Symbols));
        var everything = new RecognitionSampler(new PfsaLengthSampler(TrainingTests.EvenAs().DeterministicMachine), _ => true, null, alphabetSize: 2);
        var error = Assert.Throws<WorkbenchException>(() => everything.Sample(new Random(1), 20, 0, 30));
        Assert.Contains("no negative example", error.Message);
    }

    [Theory]
    [InlineData("lstm:hidden=4", 64_000)]
    [InlineData("elman:hidden=4,activation=tanh", 20_000)]
    [InlineData("transformer:hidden=8,layers=5,heads=8", 64_000)]
    public void A_parameter_budget_picks_the_widest_network_that_fits(string spec, long budget)
    {
        var alphabet = Alphabet.FromCharacters("ab#");
        var fitted = ParameterBudget.Fit(NeuralArchitecture.Parse(spec), alphabet, budget);
        int step = fitted.Kind == NetworkKind.Transformer ? fitted.Heads : 1;
        long inside = ParameterBudget.Parameters(fitted, alphabet), wider = ParameterBudget.Parameters(fitted with { Hidden = fitted.Hidden + step }, alphabet);
        output.WriteLine($"{spec}: hidden {fitted.Hidden}, {inside} parameters ≤ {budget} < {wider}");
        Assert.Equal(0, fitted.Hidden % step);
        Assert.True(inside <= budget && wider > budget);
        // The count is the network's own plus the two heads: (D + 1) for recognition and (D + 1)·|Σ̄| for next symbols.
        using var network = Models.NetworkFactory.Create(alphabet, fitted);
        using var recognizer = new RecognizerNetwork(network);
        Assert.Equal(inside, recognizer.parameters().Sum(p => p.numel()));
        Assert.Throws<WorkbenchException>(() => ParameterBudget.Fit(NeuralArchitecture.Parse(spec), alphabet, 10));
    }

    [Theory]
    [InlineData("lstm:hidden=8")]
    [InlineData("transformer:hidden=8,layers=1,heads=2,pe=sinusoidal")]
    public void Batched_logits_in_length_order_are_each_strings_own_logit_in_the_callers_order(string spec)
    {
        manual_seed(5);
        var alphabet = Alphabet.FromCharacters("ab");
        using var network = Models.NetworkFactory.Create(alphabet, NeuralArchitecture.Parse(spec));
        using var recognizer = new RecognizerNetwork(network);
        var random = new Random(6);
        int[][] strings = [.. Enumerable.Range(0, 23).Select(_ => Enumerable.Range(0, random.Next(0, 30)).Select(_ => random.Next(2)).ToArray())];
        double[] batched = recognizer.Logits(strings, batchSize: 7);
        for (int i = 0; i < strings.Length; i++)
            Assert.Equal(recognizer.Logits([strings[i]], batchSize: 1)[0], batched[i], 5);
    }

    [Fact]
    public void The_objective_adds_each_auxiliary_loss_with_its_coefficient()
    {
        manual_seed(3);
        var alphabet = Alphabet.FromCharacters("ab");
        using var network = Models.NetworkFactory.Create(alphabet, NeuralArchitecture.Parse("lstm:hidden=8"));
        using var recognizer = new RecognizerNetwork(network);
        var examples = EvenAsSampler().Sample(new Random(4), 40, 0, 12);
        var batch = RecognitionBatch.Create(examples, alphabet.Eos, ScalarType.Float32, CPU);
        recognizer.eval();
        using var noGrad = no_grad();
        var outputs = recognizer.Forward(batch.Strings.Inputs, batch.Lengths);
        double recognition = new RecognitionLosses().Total(outputs, batch, OutputProjection.Softmax).ToDouble();
        // Independently: the LM term from the network's own string scores, log p(y)/(|y| + 1) per positive.
        var model = new NeuralLanguageModel(network);
        double languageModelling = examples.Where(e => e.Positive).Average(e => -model.LogProbability(e.Symbols) / (e.Symbols.Length + 1));
        double withLm = new RecognitionLosses(LanguageModeling: 0.7).Total(outputs, batch, OutputProjection.Softmax).ToDouble();
        Assert.Equal(recognition + 0.7 * languageModelling, withLm, 4);
        double logits = examples.Select((e, i) => (e, i)).Average(p => BinaryCrossEntropy(outputs.Recognition[p.i].ToDouble(), p.e.Positive));
        Assert.Equal(logits, recognition, 5);
        double withSets = new RecognitionLosses(NextSymbols: 2).Total(outputs, batch, OutputProjection.Softmax).ToDouble();
        Assert.True(withSets > recognition);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecognitionLosses(LanguageModeling: -1).Validated());
    }

    [Fact]
    public void An_lstm_learns_to_recognise_a_regular_language_and_a_killed_run_resumes_to_the_same_numbers()
    {
        var (lengths, accepts) = StartsWithA();
        var sampler = new RecognitionSampler(lengths, accepts, null, alphabetSize: 2);
        var training = sampler.Sample(new Random(1), 2000, 0, 20);
        var validation = sampler.Sample(new Random(2), 300, 0, 40);
        var options = new TrainingOptions { Steps = 200, BatchSize = 32, LearningRate = 1e-2, WarmupSteps = 10, EvaluateEvery = 50, Seed = 5 };
        var architecture = NeuralArchitecture.Parse("lstm:hidden=8");
        var alphabet = Alphabet.FromCharacters("ab");
        string straight = Path.Combine(folder, "straight"), interrupted = Path.Combine(folder, "interrupted");
        var reference = RecognizerTrainer.Run(architecture, alphabet, training, validation, new RecognitionLosses(), options, straight, CPU);
        foreach (var record in reference.Evaluations)
            output.WriteLine($"step {record.Step}: validation CE {record.ValidationCrossEntropy:F4}, accuracy {record.ValidationAccuracy:P1}");
        Assert.True(reference.Evaluations[^1].ValidationAccuracy >= 0.97);
        using (var recognizer = RecognizerTrainer.Load(reference.ModelPath))
        {
            var test = sampler.Sample(new Random(3), 200, 60, 100);
            bool[] accepted = recognizer.Accepts(test.Select(e => e.Symbols).ToArray());
            Assert.True(test.Where((e, i) => accepted[i] == e.Positive).Count() >= 190, "the recognizer does not generalise to lengths 60–100");
        }

        using var kill = new CancellationTokenSource();
        var killAt120 = new Callback(progress => { if (progress.Step == 120) kill.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => RecognizerTrainer.Run(architecture, alphabet, training, validation, new RecognitionLosses(), options, interrupted, CPU, killAt120, kill.Token));
        var resumed = RecognizerTrainer.Run(architecture, alphabet, training, validation, new RecognitionLosses(), options, interrupted, CPU);
        Assert.Equal(reference.Evaluations.Count, resumed.Evaluations.Count);
        foreach (var (expected, actual) in reference.Evaluations.Zip(resumed.Evaluations))
        {
            Assert.Equal(expected.Step, actual.Step);
            Assert.Equal(expected.TrainingLoss, actual.TrainingLoss);
            Assert.Equal(expected.ValidationCrossEntropy, actual.ValidationCrossEntropy);
            Assert.Equal(expected.ValidationAccuracy, actual.ValidationAccuracy);
        }
        Assert.Equal(RecognizerTrainer.ReadEvaluations(Path.Combine(straight, Trainer.MetricsFile)).Count, reference.Evaluations.Count);
    }

    [Fact]
    public void A_recognizer_whose_validation_loss_stalls_halves_its_rate_by_the_rule()
    {
        var (lengths, accepts) = StartsWithA();
        var sampler = new RecognitionSampler(lengths, accepts, null, alphabetSize: 2);
        var training = sampler.Sample(new Random(1), 500, 0, 20);
        var validation = sampler.Sample(new Random(2), 100, 0, 40);
        // A rate far below float32's resolution leaves the weights, so the validation loss, unchanged: every evaluation after
        // the first stalls, and the rule cuts at every second one.
        var options = new TrainingOptions
        {
            Steps = 40, BatchSize = 16, LearningRate = 1e-12, WarmupSteps = 0, EvaluateEvery = 4, Seed = 6, Schedule = LearningRateSchedule.Constant,
            LearningRatePatience = 1, LearningRateDecayFactor = 0.5,
        };
        var run = RecognizerTrainer.Run(NeuralArchitecture.Parse("lstm:hidden=8"), Alphabet.FromCharacters("ab"), training, validation, new RecognitionLosses(), options,
            Path.Combine(folder, "plateau"), CPU);
        var cuts = PlateauCutTests.AssertRatesFollowTheRule(run.Evaluations.Select(e => (e.Step, e.LearningRate, e.ValidationCrossEntropy)), peak: 1e-12, patience: 1, factor: 0.5);
        Assert.Equal([12L, 20, 28, 36], cuts);
        Assert.Equal(1.0 / 16, run.Evaluations[^1].LearningRate / 1e-12, 12);
    }

    private static double BinaryCrossEntropy(double logit, bool positive) =>
        positive ? Math.Log(1 + Math.Exp(-logit)) : Math.Log(1 + Math.Exp(logit));

    private static int Levenshtein(int[] a, int[] b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }

    private sealed class Callback(Action<TrainingProgress> action) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => action(value);
    }
}
