#:project ../Formal/Formal.csproj
// Notebook 01 — tight and non-tight language models (notes §2.5).
// Run: dotnet run notebooks/01-tightness.cs
//
// A locally normalised LM over {a} is fixed by its EOS schedule f(t) = p(EOS | aᵗ). It is tight (all
// mass on finite strings) iff Σ f(t) diverges (P2.4, P2.5). We compare exact answers with what sampling sees.

using System.Globalization;
using Workbench.Formal.Adapters;
using Workbench.Formal.Estimation;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Models;
using Workbench.Formal.Symbols;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

Section("1. Exact verdicts for a family of EOS schedules");
EosSchedule[] schedules =
[
    EosSchedule.InverseSquare(),
    EosSchedule.Harmonic(),
    EosSchedule.Constant(0.1),
    EosSchedule.Power(0.5, 0.5),
    EosSchedule.Power(0.5, 1.0),
    EosSchedule.Power(0.5, 1.5),
    EosSchedule.Power(0.5, 2.0),
    EosSchedule.Geometric(0.5, 0.9),
];
Console.WriteLine($"{"f(t)",-16} {"verdict",-9} {"finite-string mass",-22} {"bounds",-40} method");
foreach (var schedule in schedules)
{
    var report = new UnaryLanguageModel(schedule).AnalyzeTightness();
    Console.WriteLine($"{schedule.Name,-16} {report.Verdict,-9} {report.Mass,-22:G15} [{report.MassLowerBound:G12}, {report.MassUpperBound:G12}]".PadRight(90) + $" {report.Method}");
}

Section("2. The leak, step by step: P(|y| ≥ T) = (T+2)/(2(T+1)) under f(t) = 1/(t+2)²");
var leaky = new UnaryLanguageModel(EosSchedule.InverseSquare());
var harmonic = new UnaryLanguageModel(EosSchedule.Harmonic());
Console.WriteLine($"{"T",8} {"π(a^T) leaky",-16} {"closed form",-16} {"π(a^T) harmonic",-16} {"1/(T+1)",-16}");
foreach (var T in new[] { 1, 10, 100, 1_000, 10_000 })
{
    var prefix = new int[T];
    Console.WriteLine($"{T,8} {Math.Exp(leaky.LogPrefixProbability(prefix)),-16:G10} {(T + 2.0) / (2 * (T + 1.0)),-16:G10} {Math.Exp(harmonic.LogPrefixProbability(prefix)),-16:G10} {1.0 / (T + 1),-16:G10}");
}
Console.WriteLine("The leaky survival tends to 1/2 (the mass on infinite strings); the harmonic one to 0, like 1/T.");

Section("3. What sampling sees: the share of draws still running at the cap T");
foreach (var T in new[] { 10, 100, 1_000 })
{
    var estimate = MonteCarlo.ProbabilityOfNotStopping(leaky, T, samples: 5_000, seed: 2026);
    var exact = Math.Exp(leaky.LogPrefixProbability(new int[T]));
    Console.WriteLine($"T = {T,5}: estimate {estimate}; exact {exact:G6}; covered: {estimate.Covers(exact)}");
}
Console.WriteLine("No finite cap tells 'not tight' from 'long strings': only the exact analysis decides.");

Section("4. Estimators against exact values on a tight model (uniform over {a, b, c} plus EOS)");
var uniform = new UniformLanguageModel(Alphabet.FromCharacters("abc"));
Console.WriteLine($"E|y|: exact {uniform.ExpectedLength().Value}, estimate {MonteCarlo.ExpectedLength(uniform, 10_000, 7, 1_000)}");
Console.WriteLine($"H(p): exact {uniform.Entropy().Value:G6}, estimate {MonteCarlo.Entropy(uniform, 10_000, 8, 1_000)}");
// A 95% interval misses the truth one time in twenty; seed 7 above is such a time. Over many seeds:
var covered = Enumerable.Range(0, 200).Count(seed => MonteCarlo.ExpectedLength(uniform, 1_000, seed, 1_000).Covers(3));
Console.WriteLine($"over 200 seeds the 95% interval for E|y| covered the exact value {covered} times (expected about 190).");

Section("5. A sampling adapter can break tightness (P8.6)");
var geometric = new UnaryLanguageModel(EosSchedule.Constant(0.3));
var greedy = geometric.WithAdapter(new TopKAdapter(1));
Console.WriteLine($"{geometric}: {geometric.AnalyzeTightness()}");
var draws = AncestralSampler.SampleMany(greedy, 100, seed: 1, maxLength: 200);
Console.WriteLine($"top-1 of it: {draws.Count(d => d.Truncated)} of 100 draws never stopped within 200 symbols — p(a) = 0.7 always wins, EOS is never kept.");

static void Section(string title) => Console.WriteLine($"{Environment.NewLine}== {title}");
