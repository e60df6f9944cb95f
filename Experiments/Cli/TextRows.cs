namespace Workbench.Experiments.Cli;

/// <summary>
/// Two aligned columns of plain text (a name, then its value), for reports that a benchmark times: writing them
/// costs nothing at start-up, where the first Spectre.Console table costs about 45 ms.
/// </summary>
internal sealed class TextRows
{
    private readonly List<(string Name, string Value)> _rows = [];

    /// <summary>Adds a row.</summary>
    public void Add(string name, string value) => _rows.Add((name, value));

    /// <summary>Writes the rows, the names padded to the longest one.</summary>
    public void WriteTo(TextWriter output)
    {
        var width = _rows.Count == 0 ? 0 : _rows.Max(r => r.Name.Length);
        foreach (var (name, value) in _rows) output.WriteLine($"{name.PadRight(width)}  {value}");
    }
}
