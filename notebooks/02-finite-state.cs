#:project ../Automata/Automata.csproj
// Notebook 02 — finite-state language models (notes §4.1).
// Run: dotnet run notebooks/02-finite-state.cs
//
// PFSAs and WFSAs computed exactly: tightness three ways, weight pushing, n-grams and smoothing,
// logit rank, and why not every PFSA can be determinized.

using System.Globalization;
using Workbench.Automata.Core;
using Workbench.Automata.Generators;
using Workbench.Automata.NGrams;
using Workbench.Automata.Operations;
using Workbench.Automata.Pathsums;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Evaluation;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

Section("1. A PFSA that leaks: state 0 loops on a (½), stops (¼) or moves on b (¼) into a trap");
var ab = Alphabet.FromCharacters("ab");
var leaky = new WfsaBuilder<Real>(ab).EnsureStates(2)
    .SetInitial(0, Real.One).SetFinal(0, new Real(0.25))
    .AddArc(0, 0, 0, new Real(0.5)).AddArc(0, 1, 1, new Real(0.25)).AddArc(1, 1, 1, Real.One)
    .Build();
var report = PfsaTightness.Analyze(leaky);
Console.WriteLine(report);
foreach (var line in report.Evidence) Console.WriteLine($"  {line}");
var model = new DeterministicPfsaLanguageModel<Real>(leaky);
Console.WriteLine($"over the finite strings: H = {model.Entropy()}, E|y| = {model.ExpectedLength()}");
Console.WriteLine($"most probable string: '{ab.Format(MostProbableString.Of(leaky).Symbols)}'");

Section("2. Tightness three ways on random PFSAs (10 states, 3 symbols, 2 arcs per state)");
Console.WriteLine($"{"seed",4} {"traps",5} {"verdict",-9} {"Z",-20} {"ρ(T′) upper",-12}");
for (var seed = 1; seed <= 6; seed++)
{
    var traps = seed % 2 == 0 ? 2 : 0;
    var fsa = RandomAutomata.Pfsa(new Random(seed), 10, 3, 2, trapStates: traps);
    var pathsum = RealPathsum.Compute(fsa);
    Console.WriteLine($"{seed,4} {traps,5} {PfsaTightness.Analyze(fsa, pathsum).Verdict,-9} {pathsum.Allsum.Value,-20:G15} {pathsum.SpectralRadiusUpperBound,-12:G6}");
}
Console.WriteLine("The graph criterion decides; Z < 1 exactly when some accessible state cannot stop; ρ(T′) < 1 always.");

Section("3. Weight pushing: a WFSA (ρ(T) = 0.8) becomes a PFSA with p(y) = A(y)/Z");
var wfsa = RandomAutomata.Wfsa(new Random(3), 4, 2, 2, 0.8);
var z = RealPathsum.Compute(wfsa).Allsum;
var pushed = WeightPushing.Push(wfsa);
Console.WriteLine($"Z = {z}; the pushed machine is a PFSA: {PfsaValidation.IsPfsa(pushed)}, its Z = {RealPathsum.Compute(pushed).Allsum.Value:G15}");
foreach (var y in new[] { "", "a", "ab", "bba" })
{
    var symbols = ab.Parse(y);
    Console.WriteLine($"  {ab.Format(symbols),-4} A(y)/Z = {Stringsum.Weight(wfsa, symbols).Value / z.Value:G12}   p_pushed(y) = {Stringsum.Weight(pushed, symbols).Value:G12}");
}

Section("4. n-grams: MLE gives unseen events probability 0; smoothing fixes held-out perplexity");
string[] train = ["abab", "abba", "aab", "bab", "ab", "abab", "ba"];
string[] heldOut = ["abab", "bbab", "aaab"];
var trainStrings = train.Select(ab.Parse).ToList();
var heldStrings = heldOut.Select(ab.Parse).ToList();
foreach (var (name, ngram) in new (string, NGramModel)[]
{
    ("MLE", NGramEstimation.MaximumLikelihood(ab, 3, trainStrings)),
    ("add-1", NGramEstimation.AddLambda(ab, 3, trainStrings, 1)),
    ("Kneser-Ney", NGramEstimation.InterpolatedKneserNey(ab, 3, trainStrings)),
})
{
    var fsa = ngram.ToDeterministicPfsa();
    Console.WriteLine($"  {name,-11} {fsa.StateCount} states; train perplexity {CorpusEvaluation.Evaluate(ngram, trainStrings).Perplexity,8:F4}; held-out {CorpusEvaluation.Evaluate(ngram, heldStrings).Perplexity,8:F4}");
}

Section("5. Logit rank (Borenstein et al. 2024): entropy and length of rank-R deterministic PFSAs (20 states, 8 symbols)");
for (var rank = 1; rank <= 8; rank *= 2)
{
    var fsa = RandomAutomata.DeterministicPfsaWithRank(new Random(rank), 20, 8, rank);
    var pathsum = RealPathsum.Compute(fsa);
    Console.WriteLine($"  R = {rank}: H = {PfsaExpectations.Entropy(fsa, pathsum).Value:F4} nats, E|y| = {PfsaExpectations.ExpectedLength(fsa, pathsum).Value:F4}");
}

Section("6. Determinization: the mixture ½·Geom(0.5) + ½·Geom(0.8) has no finite deterministic equivalent");
var mixture = new WfsaBuilder<Real>(ab).EnsureStates(2)
    .SetInitial(0, new Real(0.5)).SetInitial(1, new Real(0.5))
    .AddArc(0, 0, 0, new Real(0.5)).SetFinal(0, new Real(0.5))
    .AddArc(1, 0, 1, new Real(0.8)).SetFinal(1, new Real(0.2))
    .Build();
try
{
    Determinization.Determinize(mixture);
}
catch (NotDeterminizableException refusal)
{
    // The exact subset construction meets a new residual (0.5/0.8)ⁿ after every aⁿ, so it refuses with the evidence.
    Console.WriteLine(refusal.Message);
}

static void Section(string title) => Console.WriteLine($"{Environment.NewLine}== {title}");
