using Workbench.Formal.IO;
using System.CommandLine;
using Spectre.Console;
using Workbench.Formal.Errors;
using Workbench.Formal.Evaluation;
using Workbench.Experiments.Languages;
using Workbench.Neural.Architecture;
using Workbench.Neural.Training;

namespace Workbench.Experiments.Cli.Neural;

/// <summary>`workbench train --source SPEC --model SPEC --out DIR`: train a neural LM on an exact source or a corpus.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var source = new Option<string>("--source") { Description = $"Training data: a model to sample from ({ModelSpecification.Forms}), language:NAME (a language of the experiment suite, e.g. language:dyck-2 or language:random-pfsa:states=64,symbols=8,rank=8,seed=1), or corpus:PATH (one string per line; the last tenth is held out).", Required = true };
        var model = new Option<string>("--model") { Description = "The network: elman|rnn|lstm|gru|transformer|stackrnn|tapernn|nsrnn[:key=value,...], e.g. lstm:hidden=64, rnn:hidden=80,layers=5 (libtorch's multi-layer tanh RNN) or transformer:hidden=64,layers=2,heads=4,pe=rope; tie=true ties the input embeddings to the output layer.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder: metrics.jsonl, checkpoint.bin, model.wbm. A folder with a checkpoint is resumed.", Required = true };
        var device = new Option<string>("--device") { Description = "auto (CUDA when available), cpu or cuda[:N].", DefaultValueFactory = _ => "auto" };
        var steps = new Option<int>("--steps") { Description = "Optimiser steps.", DefaultValueFactory = _ => 1000 };
        var batch = new Option<int>("--batch-size") { Description = "Strings per batch.", DefaultValueFactory = _ => 32 };
        var learningRate = new Option<double>("--lr") { Description = "Peak learning rate (after a linear warm-up; the schedule takes it from there).", DefaultValueFactory = _ => 3e-3 };
        var optimizer = new Option<OptimizerKind>("--optimizer") { Description = "sgd (with --momentum), adam, adamw (decoupled weight decay) or lion (Chen et al. 2023: the sign of an interpolated momentum; use a rate 3-10x below AdamW's).", DefaultValueFactory = _ => OptimizerKind.AdamW };
        var momentum = new Option<double>("--momentum") { Description = "SGD's momentum.", DefaultValueFactory = _ => 0.9 };
        var weightDecay = new Option<double>("--weight-decay") { Description = "Weight decay (decoupled for adamw and lion, added to the gradient for sgd and adam).", DefaultValueFactory = _ => 0.01 };
        var schedule = new Option<LearningRateSchedule>("--schedule") { Description = "After the warm-up: constant, linear or cosine decay to a tenth of the peak, warmupstabledecay (decays over the last --decay-fraction of the steps) or inversesqrt.", DefaultValueFactory = _ => LearningRateSchedule.Cosine };
        var decayFraction = new Option<double>("--decay-fraction") { Description = "The share of the steps that warmupstabledecay spends decaying.", DefaultValueFactory = _ => 0.2 };
        var clipNorm = new Option<double>("--clip-norm") { Description = "Gradients are rescaled to at most this global L2 norm.", DefaultValueFactory = _ => 1.0 };
        var labelSmoothing = new Option<double>("--label-smoothing") { Description = "Label smoothing eps in [0, 1): the target is (1 - eps) onehot + eps/|Sigma+EOS| (softmax outputs only).", DefaultValueFactory = _ => 0 };
        var dropout = new Option<double>("--dropout") { Description = "Dropout on the encodings before the output layer, during training only.", DefaultValueFactory = _ => 0 };
        var precision = new Option<TrainingPrecision>("--precision") { Description = "full (the network's dtype) or bfloat16: mixed precision, the passes in bfloat16 and the weights, update and loss in the network's dtype.", DefaultValueFactory = _ => TrainingPrecision.Full };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up steps.", DefaultValueFactory = _ => 50 };
        var evaluateEvery = new Option<int>("--eval-every") { Description = "Steps between held-out evaluations and checkpoints.", DefaultValueFactory = _ => 100 };
        var patience = new Option<int>("--patience") { Description = "Stop after this many evaluations without improvement (0: never).", DefaultValueFactory = _ => 0 };
        var learningRatePatience = new Option<int>("--lr-patience") { Description = "Multiply the rate by --lr-decay once more than this many evaluations in a row have not improved since the last improvement or cut (0: never; FLaRe: 5 with --schedule constant).", DefaultValueFactory = _ => 0 };
        var learningRateDecay = new Option<double>("--lr-decay") { Description = "What each plateau cut multiplies the rate by, in (0, 1).", DefaultValueFactory = _ => 0.5 };
        var heldOut = new Option<int>("--held-out") { Description = "Held-out strings drawn from a model source.", DefaultValueFactory = _ => 1000 };
        var maxLength = new Option<int>("--max-length") { Description = "Longest sampled string; longer draws are redrawn.", DefaultValueFactory = _ => 256 };
        var seed = new Option<int>("--seed") { Description = "Seed of the initialisation and of the data.", DefaultValueFactory = _ => 1 };
        var json = CommonOptions.Json();
        var command = new Command("train", "Train an RNN, LSTM, GRU or transformer LM on samples of an exact source (KL measured) or on a corpus, with checkpoints that resume.")
        {
            source, model, output, device, steps, batch, learningRate, optimizer, momentum, weightDecay, schedule, decayFraction, clipNorm, labelSmoothing, dropout,
            precision, warmup, evaluateEvery, patience, learningRatePatience, learningRateDecay, heldOut, maxLength, seed, json,
        };
        command.SetAction(result =>
        {
            var architecture = NeuralArchitecture.Parse(result.GetValue(model)!);
            var options = new TrainingOptions
            {
                Steps = result.GetValue(steps), BatchSize = result.GetValue(batch), LearningRate = result.GetValue(learningRate),
                WarmupSteps = result.GetValue(warmup), EvaluateEvery = result.GetValue(evaluateEvery), Patience = result.GetValue(patience),
                Seed = result.GetValue(seed), Optimizer = result.GetValue(optimizer), Momentum = result.GetValue(momentum), WeightDecay = result.GetValue(weightDecay),
                Schedule = result.GetValue(schedule), DecayFraction = result.GetValue(decayFraction), ClipNorm = result.GetValue(clipNorm),
                LabelSmoothing = result.GetValue(labelSmoothing), Dropout = result.GetValue(dropout), Precision = result.GetValue(precision),
                LearningRatePatience = result.GetValue(learningRatePatience), LearningRateDecayFactor = result.GetValue(learningRateDecay),
            };
            try
            {
                options.Validated();
            }
            catch (ArgumentOutOfRangeException exception)
            {
                throw new WorkbenchException(Invariant($"training option {exception.ParamName}: {exception.Message.Split(" (Parameter")[0]}"));
            }
            var data = Data(result.GetValue(source)!, options.Seed, result.GetValue(maxLength), result.GetValue(heldOut));
            var target = result.GetValue(output)!.FullName;
            var trained = result.GetValue(json)
                ? Trainer.Run(architecture, data, options, target, DeviceChoice.Resolve(result.GetValue(device)!))
                : RunWithProgress(context, architecture, data, options, target, DeviceChoice.Resolve(result.GetValue(device)!));
            Report(context, trained, result.GetValue(json));
            return WorkbenchCli.Success;
        });
        return command;
    }

    private const string LanguagePrefix = "language:";

    private static TrainingData Data(string spec, int seed, int maxLength, int heldOut)
    {
        if (spec.StartsWith(LanguagePrefix, StringComparison.Ordinal))
        {
            var language = LanguageSuite.Get(spec[LanguagePrefix.Length..]);
            return SampledTrainingData.Create(language.Model, language.Draw, language.Entropy, seed, maxLength, heldOut);
        }
        if (!spec.StartsWith("corpus:", StringComparison.Ordinal))
            return SampledTrainingData.Create(ModelSpecification.Parse(spec), seed, maxLength, heldOut);
        string path = spec["corpus:".Length..];
        var lines = TextFile.ReadLines(path);
        var alphabet = Corpus.AlphabetOf(lines);
        var strings = Corpus.Parse(lines, alphabet, path);
        if (strings.Count < 2)
            throw new WorkbenchException(Invariant($"{path}: a corpus needs at least two strings (one to train on, one held out)"));
        int held = Math.Max(1, strings.Count / 10);
        return new CorpusTrainingData(alphabet, strings.Take(strings.Count - held).ToArray(), strings.Skip(strings.Count - held).ToArray(), seed);
    }

    private static TrainingResult RunWithProgress(CliContext context, NeuralArchitecture architecture, TrainingData data, TrainingOptions options, string target, TorchSharp.torch.Device device)
    {
        context.Console.MarkupLine(Markup.Escape(Invariant($"training {architecture} on {device.type} into {target}")));
        TrainingResult? trained = null;
        context.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var task = progress.AddTask("starting", maxValue: options.Steps);
                var reporter = new Reporter(value =>
                {
                    task.Value = value.Step;
                    string kl = value.KlPerSymbol is { } k ? Invariant($", KL {k:F4} nats/symbol") : "";
                    task.Description = Markup.Escape(Invariant($"step {value.Step}/{value.Steps}: loss {value.Loss:F4}{kl}, {value.TokensPerSecond:F0} tokens/s, ETA {(int)value.Remaining.TotalHours:00}:{value.Remaining:mm\\:ss}"));
                });
                trained = Trainer.Run(architecture, data, options, target, device, reporter);
                task.Value = options.Steps;
            });
        return trained!;
    }

    private static void Report(CliContext context, TrainingResult trained, bool json)
    {
        if (json)
        {
            JsonOutput.Write(context.Output, new
            {
                model = trained.ModelPath, metrics = trained.MetricsPath, trained.StoppedEarly,
                parameters = trained.Size is { } size ? new { total = size.Total, embedding = size.Embedding, nonEmbedding = size.NonEmbedding } : null,
                evaluations = trained.Evaluations,
            });
            return;
        }
        var table = new Table().AddColumns("step", "tokens", "train loss", "held-out CE/symbol", "KL/symbol (95% CI)", "tokens/s");
        foreach (var record in trained.Evaluations)
            table.AddRow(
                Invariant($"{record.Step}"), Invariant($"{record.Tokens}"), Invariant($"{record.TrainingLoss:F4}"), Invariant($"{record.CrossEntropyPerSymbol:F4}"),
                record.KlPerSymbol is { } kl ? Markup.Escape(Invariant($"{kl.Value:F4} [{kl.Lower:F4}, {kl.Upper:F4}]")) : "–",
                Invariant($"{record.TokensPerSecond:F0}"));
        context.Console.Write(table);
        if (trained.Size is { } counted)
            context.Console.MarkupLine(Markup.Escape(Invariant(
                $"parameters: {counted.Total} ({counted.NonEmbedding} outside the embeddings and output layer: N); training compute C = 6ND = {trained.Evaluations[^1].TrainingFlops:G3} FLOPs")));
        context.Console.MarkupLine(Markup.Escape(Invariant($"{(trained.StoppedEarly ? "stopped early; " : "")}best model: {trained.ModelPath}; metrics: {trained.MetricsPath}")));
    }

    private sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
