using Workbench.Experiments.Languages;
using Workbench.Neural;
using Workbench.Neural.Architecture;
using Workbench.Neural.Recognition;
using Workbench.Neural.Tightness;
using Workbench.Neural.Training;
using static TorchSharp.torch;

namespace Workbench.Experiments.Runner;

/// <summary>
/// A trained cell under the FLaRe protocol: the language's labelled training, validation and test sets (drawn from the spec's
/// data seed, so every cell of a language sees the same data), a recognizer trained on them, its accuracy on the test strings
/// of every length up to the test limit and by length bin, and, as for every cell, the KL of the network's LM head.
/// </summary>
public static class RecognitionCell
{
    /// <summary>The labelled data sets of a language under a spec: training (lengths 0…maxLength), validation and test (every length, testPerLength each).</summary>
    public static (RecognitionExample[] Training, RecognitionExample[] Validation, RecognitionExample[] Test) Data(FormalLanguage language, ExperimentSpec spec, RecognitionSpec recognition)
    {
        Func<int[], bool[][]>? nextSymbols = recognition.NextSymbols > 0 ? y => NextSymbolSets(language, y) : null;
        var sampler = new RecognitionSampler(language.LengthSampler, language.Accepts, nextSymbols, language.Model.Alphabet.Size, recognition.PerturbationProbability);
        var training = sampler.Sample(new Random(recognition.DataSeed), recognition.TrainingExamples, 0, spec.Training.MaxLength);
        var validation = sampler.Sample(new Random(recognition.DataSeed + 1), recognition.ValidationExamples, 0, recognition.ValidationMaxLength);
        var testRandom = new Random(recognition.DataSeed + 2);
        var test = Enumerable.Range(0, recognition.TestMaxLength + 1).SelectMany(n => sampler.Sample(testRandom, recognition.TestPerLength, n, n)).ToArray();
        return (training, validation, test);
    }

    /// <summary>Trains the cell's recognizer in folder (resuming from its checkpoint) and measures it.</summary>
    public static CellResult Run(FormalLanguage language, ExperimentSpec spec, RecognitionSpec recognition, Cell cell, NeuralArchitecture architecture, TrainingOptions options,
        string folder, Device device, IProgress<TrainingProgress> progress, CancellationToken cancellation)
    {
        var (training, validation, test) = Data(language, spec, recognition);
        var losses = new RecognitionLosses(recognition.LanguageModeling, recognition.NextSymbols);
        var run = RecognizerTrainer.Run(architecture, language.Model.Alphabet, training, validation, losses, options, folder, device, progress, cancellation);
        using var recognizer = RecognizerTrainer.Load(run.ModelPath, device);
        bool[] accepted = recognizer.Accepts(test.Select(e => e.Symbols).ToArray());
        bool[] correct = test.Select((e, i) => accepted[i] == e.Positive).ToArray();
        var bins = spec.Evaluation.LengthBins
            .Select(bin => (Min: bin[0], Max: bin[1], Indices: test.Select((e, i) => (e, i)).Where(p => p.e.Symbols.Length >= bin[0] && p.e.Symbols.Length <= bin[1]).Select(p => p.i).ToArray()))
            .Where(bin => bin.Indices.Length > 0)
            .Select(bin => new RecognitionBinResult(bin.Min, bin.Max, bin.Indices.Length, bin.Indices.Count(i => correct[i]) / (double)bin.Indices.Length))
            .ToArray();
        var (_, validationAccuracy) = RecognizerTrainer.Validate(recognizer, validation);
        var measured = CellEvaluation.Measure(language, new NeuralLanguageModel(recognizer.Network) { TightnessSampling = TightnessSampling.Default with { Seed = cell.Seed } }, spec, cell);
        var last = run.Evaluations[^1];
        return measured with
        {
            Model = spec.Training.ParameterBudget is null ? cell.Model : architecture.ToString(),
            Steps = last.Step, Tokens = last.Tokens, StoppedEarly = run.StoppedEarly, LearningRate = options.LearningRate, Swept = cell.LearningRate is not null,
            Recognition = new RecognitionResult(correct.Count(c => c) / (double)test.Length, test.Length, test.Count(e => e.Positive), validationAccuracy, bins,
                recognition.LanguageModeling, recognition.NextSymbols),
        };
    }

    /// <summary>The valid next symbols of a positive after every prefix: those the language's exact model gives positive probability.</summary>
    private static bool[][] NextSymbolSets(FormalLanguage language, int[] y)
    {
        double[,] rows = language.Model.NextLogProbabilitiesAlong([y])[0];
        return [.. Enumerable.Range(0, rows.GetLength(0)).Select(t => Enumerable.Range(0, rows.GetLength(1)).Select(a => rows[t, a] > double.NegativeInfinity).ToArray())];
    }
}
