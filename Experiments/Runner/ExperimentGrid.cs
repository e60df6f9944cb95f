using Workbench.Formal.Errors;

namespace Workbench.Experiments.Runner;

/// <summary>How a cell's model comes about.</summary>
public enum CellKind
{
    /// <summary>Trained from samples.</summary>
    Trained,

    /// <summary>Compiled exactly from the language's automaton (Minsky), not trained.</summary>
    Constructed,

    /// <summary>The source scored against itself: the KL interval must cover 0.</summary>
    Sanity,
}

/// <summary>
/// One cell of the grid: a language, an architecture (or a baseline), a seed and, in a learning-rate sweep, the cell's
/// learning rate (null: the spec's one rate).
/// </summary>
public sealed record Cell(string Language, string Architecture, string? Model, int Seed, CellKind Kind, double? LearningRate = null)
{
    /// <summary>A file-system-safe key, unique in the grid (the learning rate joins it only in a sweep, so runs without one resume as before).</summary>
    public string Key => string.Concat((Invariant($"{Language}__{Architecture}__{Seed}") + (LearningRate is { } rate ? Invariant($"__lr{rate:R}") : ""))
        .Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}

/// <summary>The cells of a spec in a fixed order, and the deterministic share of a shard.</summary>
public static class ExperimentGrid
{
    /// <summary>Every cell: trained cells (language × architecture × learning rate × seed), then the baselines.</summary>
    public static IReadOnlyList<Cell> Cells(ExperimentSpec spec)
    {
        var cells = new List<Cell>();
        foreach (string language in spec.Languages)
        {
            foreach (var architecture in spec.Architectures)
                foreach (var rate in spec.Training.CellRates())
                    foreach (int seed in spec.Seeds)
                        cells.Add(new Cell(language, architecture.Name, architecture.Model, seed, CellKind.Trained, rate));
            if (spec.Constructed && Languages.LanguageSuite.Get(language).Automaton is not null)
                cells.Add(new Cell(language, "minsky", null, spec.Seeds[0], CellKind.Constructed));
            if (spec.Sanity)
                cells.Add(new Cell(language, "source", null, spec.Seeds[0], CellKind.Sanity));
        }
        return cells;
    }

    /// <summary>Shard index/count ("i/n", 0 ≤ i &lt; n) takes the cells whose position is i modulo n.</summary>
    /// <exception cref="ParseException">Malformed shard.</exception>
    public static IReadOnlyList<T> Shard<T>(IReadOnlyList<T> cells, string? shard)
    {
        if (shard is null)
            return cells;
        string[] parts = shard.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int index) || !int.TryParse(parts[1], out int count) || count < 1 || index < 0 || index >= count)
            throw new ParseException(Invariant($"--shard '{shard}' must be i/n with 0 ≤ i < n"));
        return cells.Where((_, position) => position % count == index).ToArray();
    }
}
