using System.Text.Json;
using Workbench.Experiments.Runner;
using Workbench.Formal.Errors;
using Workbench.Formal.IO;
using Workbench.Neural.Architecture;

namespace Workbench.Experiments.Scaling;

/// <summary>One cell of a scaling grid: a width, a training-token budget and a seed.</summary>
public sealed record ScalingCell(int Hidden, long Tokens, int Seed)
{
    /// <summary>The cell's folder name.</summary>
    public string Key => Invariant($"h{Hidden}__d{Tokens}__s{Seed}");
}

/// <summary>
/// A scaling-law experiment (`workbench scaling SPEC`): one source of the suite (or an fsa:/cfg: file), one architecture
/// whose hidden size sweeps <see cref="Hidden"/>, training-token budgets <see cref="Tokens"/> and seeds; the trainer's knobs
/// come from <see cref="Training"/> (its steps are replaced by each cell's token budget).
/// </summary>
public sealed record ScalingSpec
{
    /// <summary>A name for reports and the default output folder.</summary>
    public string Name { get; init; } = "scaling";

    /// <summary>The source: a language of the suite (see <see cref="Languages.LanguageSuite"/>).</summary>
    public string Source { get; init; } = "";

    /// <summary>The architecture (its hidden size is each cell's).</summary>
    public string Model { get; init; } = "";

    /// <summary>Hidden sizes (model widths; N grows about quadratically with them).</summary>
    public int[] Hidden { get; init; } = [];

    /// <summary>Training-token budgets D (predicted symbols, EOS included); a cell trains for ⌈D / (batch · E[|y| + 1])⌉ steps.</summary>
    public long[] Tokens { get; init; } = [];

    /// <summary>Seeds.</summary>
    public int[] Seeds { get; init; } = [1];

    /// <summary>The trainer's knobs (batch size, learning rate, optimiser, schedule, …); steps and evaluateEvery are set per cell.</summary>
    public TrainingSpec Training { get; init; } = new();

    /// <summary>Held-out strings for each cell's loss.</summary>
    public int HeldOut { get; init; } = 2000;

    /// <summary>Bootstrap resamples of the fits.</summary>
    public int Resamples { get; init; } = 200;

    /// <summary>The prediction check fits on the cells whose log C lies in the lowest this share of the range and predicts the others.</summary>
    public double FitFraction { get; init; } = 2.0 / 3;

    /// <summary>Every cell: widths × budgets × seeds.</summary>
    public IReadOnlyList<ScalingCell> Cells() => [.. from h in Hidden from d in Tokens from s in Seeds select new ScalingCell(h, d, s)];

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
        try
        {
            Languages.LanguageSuite.Get(Source);
        }
        catch (ParseException exception)
        {
            throw new ParseException(Invariant($"{source}: source: {exception.Message}"));
        }
        Require(Hidden.Length > 0 && Hidden.All(h => h >= 1) && Hidden.Distinct().Count() == Hidden.Length, "\"hidden\" must be distinct positive widths");
        Require(Tokens.Length > 0 && Tokens.All(d => d >= 1) && Tokens.Distinct().Count() == Tokens.Length, "\"tokens\" must be distinct positive budgets");
        Require(Seeds.Length > 0 && Seeds.Distinct().Count() == Seeds.Length, "\"seeds\" must be distinct");
        Require(Cells().Count >= 6, "a fit of five constants needs at least 6 cells");
        Require(HeldOut >= 2 && Resamples >= 0 && FitFraction is > 0 and < 1, "heldOut ≥ 2, resamples ≥ 0 and 0 < fitFraction < 1");
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
