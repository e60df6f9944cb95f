using Workbench.Formal.Errors;

namespace Workbench.Experiments.Reports;

/// <summary>One named line of a plot, or with <paramref name="MarkersOnly"/> a scatter of unconnected points.</summary>
internal sealed record PlotSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, bool MarkersOnly = false);

/// <summary>Line plots written as PNG (ScottPlot, headless), for the figures of reports and constructions.</summary>
internal static class LinePlot
{
    /// <summary>
    /// Writes the series to a PNG file (replacing it atomically). With logY, y is plotted as log₁₀ y
    /// (non-positive values are left out) and the axis says so.
    /// </summary>
    /// <exception cref="WorkbenchException">The file cannot be written.</exception>
    public static void Save(string path, string title, string xLabel, string yLabel, IReadOnlyList<PlotSeries> series, bool logY = false)
    {
        var plot = new ScottPlot.Plot();
        foreach (var line in series)
        {
            var points = line.X.Zip(line.Y).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second) && (!logY || p.Second > 0)).ToArray();
            var scatter = plot.Add.Scatter(points.Select(p => p.First).ToArray(), points.Select(p => logY ? Math.Log10(p.Second) : p.Second).ToArray());
            scatter.LegendText = line.Name;
            if (line.MarkersOnly)
                scatter.LineWidth = 0;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(logY ? $"log₁₀ {yLabel}" : yLabel);
        plot.ShowLegend();
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}.png");
        try
        {
            plot.SavePng(temporary, 800, 500);
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new WorkbenchException($"Cannot write {path}: {exception.Message}", exception);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
