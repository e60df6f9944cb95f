#:project ../Neural/Neural.csproj
// Notebook 04 — neural language models as exact LMs (notes §3.1, §5.1–5.3).
// Run: dotnet run notebooks/04-neural.cs
//
// An RNN and a transformer answer the same exact questions as a PFSA: string and prefix probabilities,
// next-symbol distributions, tightness. Then a short training run against an exact source, with KL.

using System.Globalization;
using Workbench.Automata.Core;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Generation;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;
using Workbench.Neural;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;
using Workbench.Neural.Tightness;
using Workbench.Neural.Training;
using static TorchSharp.torch;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var alphabet = Alphabet.FromCharacters("ab");

Section("1. Exact probabilities: incremental steps (hidden state / KV cache) equal one forward pass");
foreach (var spec in new[] { "elman:hidden=8,activation=tanh,dtype=float64", "lstm:hidden=8,dtype=float64", "transformer:hidden=8,layers=2,heads=2,pe=rope,dtype=float64" })
{
    manual_seed(1);
    var model = new NeuralLanguageModel(NetworkFactory.Create(alphabet, NeuralArchitecture.Parse(spec)));
    int[] y = alphabet.Parse("abba");
    Console.WriteLine($"{spec,-62} log p(abba) = {model.LogProbability(y):R}  chain rule = {ChainRule.LogProbability(model, y):R}");
    // The mass of all strings up to length 5 plus the cylinders of length 6 is exactly one.
    double total = Enumerable.Range(0, 6).SelectMany(n => Strings(n)).Sum(s => Math.Exp(model.LogProbability(s)))
        + Strings(6).Sum(s => Math.Exp(model.LogPrefixProbability(s)));
    Console.WriteLine($"{"",62} Σ_(|y|≤5) p(y) + Σ_(|y|=6) π(y) = {total:R}");
}

Section("2. Tightness: bounded encoders are certified (P6.1, P7.1); the ReLU counter-example leaks (P6.2)");
manual_seed(2);
foreach (var spec in new[] { "elman:hidden=16,activation=tanh", "gru:hidden=16", "transformer:hidden=16,layers=2,heads=2,ln=post", "elman:hidden=16,activation=relu" })
{
    var report = new NeuralLanguageModel(NetworkFactory.Create(alphabet, NeuralArchitecture.Parse(spec))).AnalyzeTightness();
    Console.WriteLine($"{spec,-48} {report.Verdict,-8} {report.Evidence[0]}");
}
var counterExample = new NeuralLanguageModel(ElmanNetwork.FromWeights(Alphabet.FromCharacters("a"), NeuralArchitecture.Parse("elman:hidden=1,activation=relu,dtype=float64"),
    new ElmanWeights(new double[,] { { 1 } }, new double[,] { { 1 } }, [0], [0], new double[,] { { 0 }, { -1 } }, [0, 0])));
var leak = counterExample.AnalyzeTightness();
double exactLeak = Math.Exp(-Enumerable.Range(0, 60).Sum(t => Math.Log(1 + Math.Exp(-t))));
Console.WriteLine($"hₜ = ReLU(hₜ₋₁ + 1), logit_EOS = −hₜ: {leak.Verdict}, finite mass ≤ {leak.MassUpperBound:G6}; exact leak ∏ 1/(1 + e^(−t)) = {exactLeak:G6}");
Console.WriteLine($"  {leak.Evidence[2]}");

Section("3. Training an LSTM on samples of a PFSA: KL(source ‖ model) per symbol, with its interval");
var fsa = new WfsaBuilder<Real>(alphabet).EnsureStates(2)
    .SetInitial(0, Real.One).SetFinal(0, new Real(0.3))
    .AddArc(0, 0, 1, new Real(0.3)).AddArc(0, 1, 0, new Real(0.4))
    .AddArc(1, 0, 0, new Real(0.6)).AddArc(1, 1, 1, new Real(0.4))
    .Build();
var data = SampledTrainingData.Create(new DeterministicPfsaLanguageModel<Real>(fsa), seed: 1, maxLength: 200, heldOutSize: 2000);
string folder = Directory.CreateTempSubdirectory("workbench-notebook-").FullName;
var result = Trainer.Run(NeuralArchitecture.Parse("lstm:hidden=16"), data, new TrainingOptions { Steps = 300, LearningRate = 1e-2, EvaluateEvery = 50 }, folder, CPU);
foreach (var record in result.Evaluations)
    Console.WriteLine($"step {record.Step,4}: held-out CE {record.CrossEntropyPerSymbol:F4} nats/symbol, KL {record.KlPerSymbol}");
Directory.Delete(folder, recursive: true);

IEnumerable<int[]> Strings(int length) =>
    length == 0 ? [[]] : Strings(length - 1).SelectMany(prefix => new[] { 0, 1 }.Select(symbol => (int[])[.. prefix, symbol]));

static void Section(string title) => Console.WriteLine($"\n── {title}");
