using Workbench.Formal.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using Workbench.Formal.Errors;
using Workbench.Neural.Architecture;

namespace Workbench.Experiments.Runner;

/// <summary>One architecture of a grid: a short name for tables and its network spec (see <see cref="NeuralArchitecture.Parse"/>).</summary>
public sealed record ArchitectureSpec(string Name, string Model);

/// <summary>The training budget of every cell.</summary>
public sealed record TrainingSpec
{
    /// <summary>Optimiser steps.</summary>
    public int Steps { get; init; } = 300;

    /// <summary>Strings per batch.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>
    /// A learning-rate sweep (Delétang et al. 2023's protocol): when given, every trained cell is repeated at each of
    /// these rates instead of <see cref="LearningRate"/>, and the report picks the best rate per language and architecture.
    /// </summary>
    public double[] LearningRates { get; init; } = [];

    /// <summary>The rates the cells train at: each of <see cref="LearningRates"/>, or only null (the one <see cref="LearningRate"/>) without a sweep.</summary>
    public IReadOnlyList<double?> CellRates() => LearningRates.Length == 0 ? [null] : [.. LearningRates.Select(r => (double?)r)];

    /// <summary>Whether the sweep's rates are distinct, positive and finite (true without a sweep).</summary>
    public bool LearningRatesValid() => LearningRates.All(r => r > 0 && double.IsFinite(r)) && LearningRates.Distinct().Count() == LearningRates.Length;

    /// <summary>Warm-up steps.</summary>
    public int Warmup { get; init; } = 30;

    /// <summary>The optimiser ("sgd", "adam", "adamw", "lion"; docs/neural.md).</summary>
    public Neural.Training.OptimizerKind Optimizer { get; init; } = Neural.Training.OptimizerKind.AdamW;

    /// <summary>SGD's momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Weight decay (decoupled for AdamW and Lion).</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>The schedule after the warm-up ("constant", "linear", "cosine", "warmupStableDecay", "inverseSqrt").</summary>
    public Neural.Training.LearningRateSchedule Schedule { get; init; } = Neural.Training.LearningRateSchedule.Cosine;

    /// <summary>The share of the steps that warm-up–stable–decay spends decaying.</summary>
    public double DecayFraction { get; init; } = 0.2;

    /// <summary>The gradient-norm clip.</summary>
    public double ClipNorm { get; init; } = 1.0;

    /// <summary>Label smoothing ε (language-model cells with softmax outputs).</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Dropout on the encodings during training (language-model cells).</summary>
    public double Dropout { get; init; }

    /// <summary>The arithmetic of training ("full", or "bFloat16" for bfloat16 mixed precision; language-model cells).</summary>
    public Neural.Training.TrainingPrecision Precision { get; init; } = Neural.Training.TrainingPrecision.Full;

    /// <summary>Steps between evaluations (learning-curve points and checkpoints).</summary>
    public int EvaluateEvery { get; init; } = 100;

    /// <summary>The longest training string; longer draws are redrawn, so longer lengths test generalisation.</summary>
    public int MaxLength { get; init; } = 40;

    /// <summary>
    /// Evaluations without a held-out improvement (cross-entropy, so KL, since the source's entropy is fixed) before a
    /// cell stops; 0 trains for all of <see cref="Steps"/>. With a large step budget, training until the KL plateaus.
    /// </summary>
    public int Patience { get; init; }

    /// <summary>
    /// Plateau cuts of the learning rate (FLaRe: 5 with a constant schedule): once more than this many evaluations in a row have
    /// not improved on the best held-out loss since the last improvement or cut, the rate is multiplied by
    /// <see cref="LearningRateDecayFactor"/>; 0 never cuts (<see cref="Neural.Training.TrainingOptions.LearningRatePatience"/>).
    /// </summary>
    public int LearningRatePatience { get; init; }

    /// <summary>What each plateau cut multiplies the rate by (FLaRe: 0.5).</summary>
    public double LearningRateDecayFactor { get; init; } = 0.5;

    /// <summary>
    /// When given, every architecture's hidden size is replaced by the widest that keeps the network (with the recognizer's
    /// two heads) within this many parameters, as FLaRe sizes all architectures to 64,000 (see <see cref="Neural.Recognition.ParameterBudget"/>).
    /// </summary>
    public long? ParameterBudget { get; init; }
}

/// <summary>
/// The FLaRe protocol (Butoi et al. 2025): trained cells learn to recognise the language from labelled strings instead of
/// modelling it; the data are drawn once per language from <see cref="DataSeed"/>, shared by every cell, as in the paper.
/// </summary>
public sealed record RecognitionSpec
{
    /// <summary>λ_LM, the weight of the auxiliary language-modelling loss on the positives (0: recognition alone).</summary>
    public double LanguageModeling { get; init; }

    /// <summary>λ_NS, the weight of the auxiliary next-symbol-set loss on the positives.</summary>
    public double NextSymbols { get; init; }

    /// <summary>The probability that a negative proposal is an edited positive rather than a random string (FLaRe: 0.5).</summary>
    public double PerturbationProbability { get; init; } = 0.5;

    /// <summary>Labelled training strings, of lengths 0…<see cref="TrainingSpec.MaxLength"/> (FLaRe: 10,000).</summary>
    public int TrainingExamples { get; init; } = 10_000;

    /// <summary>Labelled validation strings (FLaRe: 1,000), which early stopping and the saved recognizer follow.</summary>
    public int ValidationExamples { get; init; } = 1_000;

    /// <summary>The longest validation string: the training length for FLaRe's validation-short, twice it for validation-long.</summary>
    public int ValidationMaxLength { get; init; } = 40;

    /// <summary>Test strings of every length 0…<see cref="TestMaxLength"/> (FLaRe: 10 per length up to 500).</summary>
    public int TestPerLength { get; init; } = 10;

    /// <summary>The longest test length.</summary>
    public int TestMaxLength { get; init; } = 500;

    /// <summary>The seed of the data sets (FLaRe's: 123456789); cells differ only in their initialisation and batch order.</summary>
    public int DataSeed { get; init; } = 123456789;
}

/// <summary>What is measured on every trained model.</summary>
public sealed record EvaluationSpec
{
    /// <summary>Held-out strings (drawn like the training strings) for cross-entropy and KL.</summary>
    public int HeldOut { get; init; } = 500;

    /// <summary>Length bins [min, max] for length generalisation (lengths beyond training included).</summary>
    public int[][] LengthBins { get; init; } = [[0, 20], [21, 40], [41, 80]];

    /// <summary>Strings per length bin.</summary>
    public int StringsPerBin { get; init; } = 100;

    /// <summary>Samples of the trained model for the support accuracy.</summary>
    public int ModelSamples { get; init; } = 200;
}

/// <summary>
/// An experiment: languages × architectures × seeds, one training budget and one evaluation protocol.
/// With <see cref="Constructed"/>, every regular language also gets a cell with its Minsky RNN (exact by
/// construction, not trained), and <see cref="Sanity"/> adds a cell that scores the source itself.
/// </summary>
public sealed record ExperimentSpec
{
    /// <summary>A name for reports.</summary>
    public string Name { get; init; } = "experiment";

    /// <summary>Language names of the suite (see <see cref="Languages.LanguageSuite"/>).</summary>
    public string[] Languages { get; init; } = [];

    /// <summary>The architectures trained on every language.</summary>
    public ArchitectureSpec[] Architectures { get; init; } = [];

    /// <summary>Seeds (initialisation and data) per language and architecture.</summary>
    public int[] Seeds { get; init; } = [1];

    /// <summary>The training budget.</summary>
    public TrainingSpec Training { get; init; } = new();

    /// <summary>The evaluation protocol.</summary>
    public EvaluationSpec Evaluation { get; init; } = new();

    /// <summary>When given, trained cells are recognizers (the FLaRe protocol) instead of language models.</summary>
    public RecognitionSpec? Recognition { get; init; }

    /// <summary>Add a constructed (Minsky) baseline cell for every regular language.</summary>
    public bool Constructed { get; init; }

    /// <summary>Add a cell that evaluates the source against itself (its KL interval must cover 0).</summary>
    public bool Sanity { get; init; }

    /// <summary>JSON settings of specs and results: camelCase, comments and trailing commas allowed, infinities as strings.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>Reads and checks a spec file.</summary>
    /// <exception cref="ParseException">The file is not valid JSON, has unknown keys, or names unknown languages or bad architectures; the message says where.</exception>
    public static ExperimentSpec Read(string path)
    {
        string text = TextFile.ReadAll(path);
        ExperimentSpec spec;
        try
        {
            spec = JsonSerializer.Deserialize<ExperimentSpec>(text, Json) ?? throw new ParseException(Invariant($"{path}: the spec is empty"));
        }
        catch (JsonException exception)
        {
            throw new ParseException(Invariant($"{path}: {exception.Message}"));
        }
        return spec.Validated(path);
    }

    /// <summary>The trainer's options of a cell: the spec's training section at the cell's seed and learning rate (the spec's own when null).</summary>
    public static Neural.Training.TrainingOptions Options(TrainingSpec training, int seed, double? learningRate) => new()
    {
        Steps = training.Steps, BatchSize = training.BatchSize, LearningRate = learningRate ?? training.LearningRate, WarmupSteps = training.Warmup,
        EvaluateEvery = training.EvaluateEvery, Seed = seed, Patience = training.Patience, Optimizer = training.Optimizer, Momentum = training.Momentum,
        WeightDecay = training.WeightDecay, Schedule = training.Schedule, DecayFraction = training.DecayFraction, ClipNorm = training.ClipNorm,
        LabelSmoothing = training.LabelSmoothing, Dropout = training.Dropout, Precision = training.Precision,
        LearningRatePatience = training.LearningRatePatience, LearningRateDecayFactor = training.LearningRateDecayFactor,
    };

    /// <summary>Checks languages, architectures, seeds and budgets.</summary>
    /// <exception cref="ParseException">Something is missing or out of range; the message names it.</exception>
    public ExperimentSpec Validated(string source)
    {
        void Require(bool condition, string problem)
        {
            if (!condition)
                throw new ParseException(Invariant($"{source}: {problem}"));
        }
        Require(Languages.Length > 0, "\"languages\" is empty");
        Require(Architectures.Length > 0 || Constructed || Sanity, "\"architectures\" is empty");
        Require(Seeds.Length > 0 && Seeds.Distinct().Count() == Seeds.Length, "\"seeds\" must be a non-empty list of distinct integers");
        Require(Architectures.Select(a => a.Name).Distinct().Count() == Architectures.Length, "architecture names must be distinct");
        var longestBin = Evaluation.LengthBins.Where(b => b.Length == 2).Select(b => b[1]).DefaultIfEmpty(0).Max();
        var longestRecognition = Recognition is { } lengths ? Math.Max(Math.Max(lengths.ValidationMaxLength, lengths.TestMaxLength), Training.MaxLength) : 0;
        foreach (var (language, index) in Languages.Select((l, i) => (l, i)))
        {
            Workbench.Experiments.Languages.FormalLanguage formal;
            try
            {
                formal = Workbench.Experiments.Languages.LanguageSuite.Get(language);
            }
            catch (ParseException exception)
            {
                throw new ParseException(Invariant($"{source}: languages[{index}]: {exception.Message}"));
            }
            int? limit = formal.LengthSampler.MaxLength;
            Require(limit is null || longestBin <= limit, Invariant($"languages[{index}] ('{language}') samples lengths up to {limit}, below the longest length bin ({longestBin})"));
            Require(limit is null || longestRecognition <= limit,
                Invariant($"languages[{index}] ('{language}') samples lengths up to {limit}, below the longest recognition length ({longestRecognition})"));
        }
        foreach (var (architecture, index) in Architectures.Select((a, i) => (a, i)))
        {
            Require(!string.IsNullOrWhiteSpace(architecture.Name) && architecture.Name.All(c => char.IsLetterOrDigit(c) || c is '-' or '_'), Invariant($"architectures[{index}].name must be letters, digits, - or _"));
            try
            {
                NeuralArchitecture.Parse(architecture.Model);
            }
            catch (ParseException exception)
            {
                throw new ParseException(Invariant($"{source}: architectures[{index}].model: {exception.Message}"));
            }
        }
        Require(Training.Steps >= 1 && Training.BatchSize >= 1 && Training.LearningRate > 0 && Training.EvaluateEvery >= 1 && Training.MaxLength >= 1, "training: steps, batchSize, evaluateEvery and maxLength must be positive and learningRate > 0");
        Require(Training.LearningRatesValid(), "training.learningRates must be distinct positive numbers");
        Require(Training.Patience >= 0, "training.patience must be 0 (no early stopping) or a number of evaluations");
        Require(Training.ParameterBudget is null or > 0, "training.parameterBudget must be a positive number of parameters");
        try
        {
            Options(Training, 1, null).Validated();
        }
        catch (ArgumentOutOfRangeException exception)
        {
            throw new ParseException(Invariant($"{source}: training.{JsonNamingPolicy.CamelCase.ConvertName(exception.ParamName ?? "")}: {exception.Message.Split(" (Parameter")[0]}"));
        }
        Require(Recognition is null || (Training.Dropout == 0 && Training.LabelSmoothing == 0 && Training.Precision == Neural.Training.TrainingPrecision.Full),
            "training.dropout, training.labelSmoothing and training.precision apply to language-model cells, not to recognizers");
        if (Recognition is { } r)
        {
            Require(r.LanguageModeling >= 0 && double.IsFinite(r.LanguageModeling) && r.NextSymbols >= 0 && double.IsFinite(r.NextSymbols),
                "recognition.languageModeling and recognition.nextSymbols must be finite numbers ≥ 0");
            Require(r.PerturbationProbability is >= 0 and <= 1, "recognition.perturbationProbability must be in [0, 1]");
            Require(r.TrainingExamples >= 1 && r.ValidationExamples >= 1 && r.TestPerLength >= 1, "recognition: trainingExamples, validationExamples and testPerLength must be positive");
            Require(r.ValidationMaxLength >= 0 && r.TestMaxLength >= 0 && r.TestMaxLength <= 10_000, "recognition: validationMaxLength and testMaxLength must be in 0…10000");
        }
        Require(Evaluation.HeldOut >= 2 && Evaluation.StringsPerBin >= 2 && Evaluation.ModelSamples >= 1, "evaluation: heldOut and stringsPerBin must be at least 2, modelSamples at least 1");
        Require(Evaluation.LengthBins.All(b => b.Length == 2 && b[0] >= 0 && b[0] <= b[1] && b[1] <= 10_000), "evaluation.lengthBins must be pairs [min, max] with 0 ≤ min ≤ max ≤ 10000");
        return this;
    }
}
