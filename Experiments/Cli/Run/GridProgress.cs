using Spectre.Console;

namespace Workbench.Experiments.Cli.Run;

/// <summary>The progress bar of a grid run (`run`, `scaling`): cells done, the current cell's description, time remaining.</summary>
internal static class GridProgress
{
    /// <summary>Runs work with a bar over cells; work reports (cells done, fractional; what is running) through the callback it gets.</summary>
    public static void Show(CliContext context, int cells, Action<Action<double, string>> work) =>
        context.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var task = progress.AddTask("starting", maxValue: cells);
                work((done, description) =>
                {
                    task.Value = done;
                    task.Description = Markup.Escape(description);
                });
                task.Value = cells;
            });
}
