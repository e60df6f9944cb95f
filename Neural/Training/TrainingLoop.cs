using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TorchSharp.Modules;
using Workbench.Neural.Models;
using static TorchSharp.torch;

namespace Workbench.Neural.Training;

/// <summary>What one objective contributes to the shared training loop: its step, its evaluation and how evaluations are written.</summary>
/// <typeparam name="TRecord">The evaluation record, one JSON line of metrics.jsonl.</typeparam>
/// <param name="Step">One optimiser step at a step index and learning rate: the loss before the update and the symbols the batch predicted.</param>
/// <param name="Evaluate">The held-out evaluation at a position, given the mean training loss since the last one, tokens/s and elapsed seconds.</param>
/// <param name="HeldOutLoss">The held-out loss of a record that early stopping and the best model follow (lower is better).</param>
/// <param name="Progress">The figure a progress line shows for a record (KL per symbol, or validation accuracy), where there is one.</param>
/// <param name="StepOf">The step a record was taken after.</param>
/// <param name="Json">The source-generated serializer of the records.</param>
public sealed record TrainingObjective<TRecord>(
    Func<long, double, (double Loss, int Symbols)> Step,
    Func<TrainingPosition, double, double, double, TRecord> Evaluate,
    Func<TRecord, double> HeldOutLoss,
    Func<TRecord, double?> Progress,
    Func<TRecord, long> StepOf,
    JsonTypeInfo<TRecord> Json);

/// <summary>
/// The loop every trainer shares: steps up to the budget or until early stopping, an evaluation every
/// <see cref="TrainingOptions.EvaluateEvery"/> steps appended to metrics.jsonl, the best module (by held-out loss) saved,
/// and a checkpoint after every evaluation, so that a run started on a folder with a checkpoint continues exactly
/// where it stopped; the loop owns the learning rate (the schedule and its plateau cuts) and hands it to each step.
/// O(steps) calls of the objective.
/// </summary>
public static class TrainingLoop
{
    /// <summary>
    /// Runs (or resumes) the objective on trained, a module built on network (the network itself, or a recognizer with heads on it),
    /// saving the best module to modelPath. Returns the evaluations of the whole run and whether it stopped early.
    /// </summary>
    /// <exception cref="OperationCanceledException">The token was cancelled (the last checkpoint stays).</exception>
    public static (List<TRecord> Evaluations, bool StoppedEarly) Run<TRecord>(
        SequenceModel network, nn.Module trained, ITrainingOptimizer optimizer, TrainingOptions options, TrainingObjective<TRecord> objective,
        string outputDirectory, string modelPath, IProgress<TrainingProgress>? progress, CancellationToken cancellation)
    {
        var session = TrainingSession<TRecord>.Open(network, trained, optimizer, options, objective, outputDirectory, modelPath);
        return Run(session, objective.Step, progress, cancellation);
    }

    /// <summary>Steps an opened session until it is done, each step computed by step at the session's next step index and learning rate.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled (the last checkpoint stays).</exception>
    public static (List<TRecord> Evaluations, bool StoppedEarly) Run<TRecord>(
        TrainingSession<TRecord> session, Func<long, double, (double Loss, int Symbols)> step, IProgress<TrainingProgress>? progress, CancellationToken cancellation)
    {
        while (!session.Done)
        {
            cancellation.ThrowIfCancellationRequested();
            (double loss, int symbols) = step(session.NextStep, session.LearningRate);
            session.Completed(loss, symbols, progress);
        }
        return (session.Evaluations, session.StoppedEarly);
    }
}

/// <summary>
/// One training run's bookkeeping, step by step: where it stands (restored from the folder's checkpoint), and after each
/// step the evaluation, metrics line, best model and checkpoint that <see cref="TrainingLoop"/> promises. Whoever computes the
/// steps (one network, or a stack of them trained together) reports each one with <see cref="Completed"/>.
/// </summary>
/// <typeparam name="TRecord">The evaluation record.</typeparam>
public sealed class TrainingSession<TRecord>
{
    private readonly SequenceModel network;
    private readonly nn.Module trained;
    private readonly ITrainingOptimizer optimizer;
    private readonly TrainingOptions options;
    private readonly TrainingObjective<TRecord> objective;
    private readonly string checkpointPath, metricsPath, modelPath;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly long tokensAtStart, firstStep;
    private TrainingPosition position;
    private double lossSum;
    private int lossCount;

    private TrainingSession(
        SequenceModel network, nn.Module trained, ITrainingOptimizer optimizer, TrainingOptions options, TrainingObjective<TRecord> objective,
        string outputDirectory, string modelPath)
    {
        (this.network, this.trained, this.optimizer, this.options, this.objective, this.modelPath) = (network, trained, optimizer, options, objective, modelPath);
        Directory.CreateDirectory(outputDirectory);
        checkpointPath = Path.Combine(outputDirectory, Trainer.CheckpointFile);
        metricsPath = Path.Combine(outputDirectory, Trainer.MetricsFile);
        position = File.Exists(checkpointPath) ? Checkpoint.Restore(checkpointPath, network, trained, optimizer) : TrainingPosition.Start;
        Evaluations = MetricsFile.Read(metricsPath, position.NextStep, objective.Json, objective.StepOf);
        MetricsFile.Rewrite(metricsPath, Evaluations, objective.Json);
        (tokensAtStart, firstStep) = (position.Tokens, position.NextStep);
    }

    /// <summary>Opens the run in outputDirectory: fresh, or where its checkpoint stands (restoring the module and the optimiser).</summary>
    /// <exception cref="Formal.Errors.WorkbenchException">The checkpoint is damaged or of another model.</exception>
    public static TrainingSession<TRecord> Open(
        SequenceModel network, nn.Module trained, ITrainingOptimizer optimizer, TrainingOptions options, TrainingObjective<TRecord> objective,
        string outputDirectory, string modelPath) =>
        new(network, trained, optimizer, options, objective, outputDirectory, modelPath);

    /// <summary>The step index the next optimiser step has.</summary>
    public long NextStep => position.NextStep;

    /// <summary>The learning rate of the next step: the schedule's, times the plateau cuts so far.</summary>
    public double LearningRate => options.LearningRateAt(position.NextStep, position.LearningRateScale);

    /// <summary>Whether early stopping has ended the run (patience evaluations without a held-out improvement).</summary>
    public bool StoppedEarly => options.Patience > 0 && position.EvaluationsSinceBest >= options.Patience;

    /// <summary>Whether the run is over: the budget is spent or early stopping ended it.</summary>
    public bool Done => position.NextStep >= options.Steps || StoppedEarly;

    /// <summary>The evaluations of the whole run so far (those of the resumed part included).</summary>
    public List<TRecord> Evaluations { get; }

    /// <summary>
    /// Records step <see cref="NextStep"/> as done with its loss and predicted symbols: on an evaluation step, evaluates, appends
    /// the metrics line, saves the module when the held-out loss improved and writes the checkpoint; then reports progress.
    /// </summary>
    public void Completed(double loss, int symbols, IProgress<TrainingProgress>? progress)
    {
        long step = position.NextStep;
        lossSum += loss;
        lossCount++;
        position = position with { NextStep = step + 1, Tokens = position.Tokens + symbols };
        double elapsed = position.ElapsedSeconds + clock.Elapsed.TotalSeconds;
        double tokensPerSecond = (position.Tokens - tokensAtStart) / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
        if ((step + 1) % options.EvaluateEvery == 0 || step + 1 == options.Steps)
            Evaluate(tokensPerSecond, elapsed);
        double remaining = (options.Steps - step - 1) * clock.Elapsed.TotalSeconds / (step + 1 - firstStep);
        double? shown = Evaluations.Count == 0 ? null : objective.Progress(Evaluations[^1]);
        progress?.Report(new TrainingProgress(step + 1, options.Steps, loss, shown, tokensPerSecond, TimeSpan.FromSeconds(Math.Max(0, remaining))));
    }

    private void Evaluate(double tokensPerSecond, double elapsed)
    {
        TRecord record = objective.Evaluate(position, lossSum / lossCount, tokensPerSecond, elapsed);
        Evaluations.Add(record);
        File.AppendAllText(metricsPath, JsonSerializer.Serialize(record, objective.Json) + "\n");
        lossSum = 0;
        lossCount = 0;
        position = position.AfterEvaluation(objective.HeldOutLoss(record), options);
        if (position.EvaluationsSinceBest == 0)
            Storage.ModelFile.Save(network, trained, modelPath);
        Checkpoint.Save(checkpointPath, network, trained, optimizer, position with { ElapsedSeconds = elapsed });
    }
}

/// <summary>Reads and rewrites metrics.jsonl, one evaluation record per line.</summary>
public static class MetricsFile
{
    /// <summary>
    /// The records of a metrics file up to a step (later ones belong to work lost in a kill); none when there is no file. A
    /// last line without its newline was torn by a kill during its append, which comes before the evaluation's checkpoint, so
    /// it is lost work too and is left out.
    /// </summary>
    /// <exception cref="Formal.Errors.ParseException">A complete line is not a record, named by file and line.</exception>
    public static List<TRecord> Read<TRecord>(string path, long upToStep, JsonTypeInfo<TRecord> json, Func<TRecord, long> stepOf)
    {
        if (!File.Exists(path))
            return [];
        string text = File.ReadAllText(path);
        string complete = text.EndsWith('\n') ? text : text[..(text.LastIndexOf('\n') + 1)];
        return complete.Split('\n')
            .Where(line => line.Length > 0)
            .Select((line, index) => Parse(line, path, index + 1, json))
            .Where(record => stepOf(record) <= upToStep)
            .ToList();
    }

    /// <summary>Replaces the file with exactly these records, atomically.</summary>
    public static void Rewrite<TRecord>(string path, IEnumerable<TRecord> records, JsonTypeInfo<TRecord> json) =>
        Formal.IO.AtomicFile.Write(path, string.Concat(records.Select(r => JsonSerializer.Serialize(r, json) + "\n")));

    private static TRecord Parse<TRecord>(string line, string path, int lineNumber, JsonTypeInfo<TRecord> json)
    {
        try
        {
            return JsonSerializer.Deserialize(line, json)
                ?? throw new Formal.Errors.ParseException(Invariant($"{path}:{lineNumber}: an empty record"));
        }
        catch (JsonException exception)
        {
            throw new Formal.Errors.ParseException(Invariant($"{path}:{lineNumber}: not an evaluation record ({exception.Message})"));
        }
    }
}
