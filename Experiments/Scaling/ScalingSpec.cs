using System.Text.Json;
using Workbench.Experiments.Runner;
using Workbench.Formal.Errors;
using Workbench.Formal.IO;
using Workbench.Neural.Architecture;

namespace Workbench.Experiments.Scaling;

/// <summary>One cell of a scaling grid: a source, a width, a training-token budget, a seed and, in a sweep, a learning rate.</summary>
public sealed record ScalingCell(string Source, int Hidden, long Tokens, int Seed, double? LearningRate = null)
{
    /// <summary>The cell's folder, relative to the run's cells/ folder: the source's, then the cell's.</summary>
    public string Key => Path.Combine(SourceFolder(Source), Invariant($"h{Hidden}__d{Tokens}__s{Seed}") + (LearningRate is { } rate ? Invariant($"__lr{rate:R}") : ""));

    /// <summary>A folder name for a source: its letters, digits and hyphens, the rest as hyphens (long names end in a hash, so two stay apart).</summary>
    public static string SourceFolder(string source)
    {
        string plain = new([.. source.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-')]);
        if (plain.Length <= 60)
            return plain;
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(source)))[..12];
        return Invariant($"{plain[..40]}-{hash}");
    }
}

/// <summary>
/// A scaling-law experiment (`workbench scaling SPEC`): one source of the suite (or an fsa:/cfg: file), or several compared
/// side by side, one architecture whose hidden size sweeps <see cref="Hidden"/>, training-token budgets <see cref="Tokens"/>
/// and seeds; the trainer's knobs come from <see cref="Training"/> (its steps are replaced by each cell's token budget).
/// </summary>
public sealed record ScalingSpec
{
    /// <summary>A name for reports and the default output folder.</summary>
    public string Name { get; init; } = "scaling";

    /// <summary>The source: a language of the suite (see <see cref="Languages.LanguageSuite"/>); or give <see cref="Sources"/>.</summary>
    public string Source { get; init; } = "";

    /// <summary>Several sources, each trained on the whole grid and fitted on its own, so that their laws compare side by side.</summary>
    public string[] Sources { get; init; } = [];

    /// <summary>The sources of the grid: <see cref="Sources"/>, or the one <see cref="Source"/>.</summary>
    public IReadOnlyList<string> SourceNames => Sources.Length > 0 ? Sources : [Source];

    /// <summary>The architecture (its hidden size is each cell's).</summary>
    public string Model { get; init; } = "";

    /// <summary>Hidden sizes (model widths; N grows about quadratically with them).</summary>
    public int[] Hidden { get; init; } = [];

    /// <summary>Training-token budgets D (predicted symbols, EOS included); a cell trains for ⌈D / (batch · E[|y| + 1])⌉ steps.</summary>
    public long[] Tokens { get; init; } = [];

    /// <summary>Seeds.</summary>
    public int[] Seeds { get; init; } = [1];

    /// <summary>
    /// The trainer's knobs (batch size, learning rate, optimiser, schedule, …); steps and evaluateEvery are set per cell. With
    /// <c>learningRates</c>, every cell is trained at each rate and a point of the fit takes the best of them (Hoffmann et al. tune per size).
    /// </summary>
    public TrainingSpec Training { get; init; } = new();

    /// <summary>Held-out strings for each cell's loss.</summary>
    public int HeldOut { get; init; } = 2000;

    /// <summary>Bootstrap resamples of the fits.</summary>
    public int Resamples { get; init; } = 200;

    /// <summary>The prediction check fits on the cells whose log C lies in the lowest this share of the range and predicts the others.</summary>
    public double FitFraction { get; init; } = 2.0 / 3;

    /// <summary>Every cell: sources × widths × budgets × learning rates (when swept) × seeds.</summary>
    public IReadOnlyList<ScalingCell> Cells() =>
        [.. from source in SourceNames from h in Hidden from d in Tokens from rate in Training.CellRates() from s in Seeds select new ScalingCell(source, h, d, s, rate)];

    /// <summary>The architecture of a width.</summary>
    public NeuralArchitecture Architecture(int hidden) => NeuralArchitecture.Parse(Model) with { Hidden = hidden };

    /// <summary>Reads and checks a spec file.</summary>
    /// <exception cref="ParseException">Not JSON, unknown keys, or a value out of range; the message says which.</exception>
    public static ScalingSpec Read(string path)
    {
        ScalingSpec spec;
        try
        {
            spec = JsonSerializer.Deserialize<ScalingSpec>(TextFile.ReadAll(path), ExperimentSpec.Json) ?? throw new ParseException(Invariant($"{path}: the spec is empty"));
        }
        catch (JsonException exception)
        {
            throw new ParseException(Invariant($"{path}: {exception.Message}"));
        }
        return spec.Validated(path);
    }

    /// <summary>Checks the spec.</summary>
    /// <exception cref="ParseException">A value is missing or out of range; the message names it.</exception>
    public ScalingSpec Validated(string source)
    {
        void Require(bool condition, string problem)
        {
            if (!condition)
                throw new ParseException(Invariant($"{source}: {problem}"));
        }
        Require(Source.Length == 0 ^ Sources.Length == 0, "give either \"source\" or \"sources\"");
        Require(Sources.Distinct().Count() == Sources.Length, "\"sources\" must be distinct");
        Require(SourceNames.Select(ScalingCell.SourceFolder).Distinct().Count() == SourceNames.Count, "two sources share a folder name");
        for (int i = 0; i < SourceNames.Count; i++)
        {
            try
            {
                Languages.LanguageSuite.Get(SourceNames[i]);
            }
            catch (ParseException exception)
            {
                throw new ParseException(Invariant($"{source}: {(Sources.Length > 0 ? Invariant($"sources[{i}]") : "source")}: {exception.Message}"));
            }
        }
        Require(Hidden.Length > 0 && Hidden.All(h => h >= 1) && Hidden.Distinct().Count() == Hidden.Length, "\"hidden\" must be distinct positive widths");
        Require(Tokens.Length > 0 && Tokens.All(d => d >= 1) && Tokens.Distinct().Count() == Tokens.Length, "\"tokens\" must be distinct positive budgets");
        Require(Seeds.Length > 0 && Seeds.Distinct().Count() == Seeds.Length, "\"seeds\" must be distinct");
        Require(Hidden.Length * Tokens.Length >= 6, "a fit of five constants needs at least 6 (hidden, tokens) cells");
        Require(HeldOut >= 2 && Resamples >= 0 && FitFraction is > 0 and < 1, "heldOut ≥ 2, resamples ≥ 0 and 0 < fitFraction < 1");
        Require(Training.LearningRatesValid(), "training.learningRates must be distinct positive numbers");
        foreach (int hidden in Hidden)
        {
            try
            {
                Architecture(hidden).Validated();
            }
            catch (Exception exception) when (exception is ParseException or InvalidModelException)
            {
                throw new ParseException(Invariant($"{source}: model at hidden {hidden}: {exception.Message}"));
            }
        }
        try
        {
            ExperimentSpec.Options(Training, 1, null).Validated();
        }
        catch (ArgumentOutOfRangeException exception)
        {
            throw new ParseException(Invariant($"{source}: training.{JsonNamingPolicy.CamelCase.ConvertName(exception.ParamName ?? "")}: {exception.Message.Split(" (Parameter")[0]}"));
        }
        return this;
    }
}
