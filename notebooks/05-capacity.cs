#:project ../Neural/Neural.csproj
// Notebook 05 — representational capacity: automata compiled into networks and back (notes §5.2, §5.4).
// Run: dotnet run notebooks/05-capacity.cs
//
// Minsky's construction and its converse, what non-determinism costs, the compact construction, the
// n-gram transformer with hard and soft attention, and the precision a Turing-complete RNN needs.

using System.Globalization;
using Workbench.Automata.Core;
using Workbench.Automata.NGrams;
using Workbench.Automata.Operations;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;
using Workbench.Neural;
using Workbench.Neural.Architecture;
using Workbench.Neural.Constructions;
using static TorchSharp.torch;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var ab = Alphabet.FromCharacters("ab");

Section("1. Minsky: a deterministic PFSA as a Heaviside RNN with |Q|·|Σ| units, and back");
var evenAs = new WfsaBuilder<Real>(ab).EnsureStates(2)
    .SetInitial(0, Real.One).SetFinal(0, new Real(0.3))
    .AddArc(0, 0, 1, new Real(0.3)).AddArc(0, 1, 0, new Real(0.4))
    .AddArc(1, 0, 0, new Real(0.6)).AddArc(1, 1, 1, new Real(0.4))
    .Build();
var minsky = new NeuralLanguageModel(MinskyConstruction.Compile(evenAs));
var pfsa = new DeterministicPfsaLanguageModel<Real>(evenAs);
var state = minsky.InitialState;
foreach (int symbol in ab.Parse("abba"))
{
    state = minsky.Advance(state, symbol);
    using (no_grad())
        Console.WriteLine($"after {ab.NameOf(symbol)}: h = [{string.Join(' ', state.Encoding.data<double>().ToArray())}]  (units: (q0,a) (q0,b) (q1,a) (q1,b))");
}
foreach (var text in new[] { "aa", "abab", "bab" })
    Console.WriteLine($"log p({text}): PFSA {pfsa.LogProbability(ab.Parse(text)):R}, RNN {minsky.LogProbability(ab.Parse(text)):R}");
var back = HeavisideExtraction.Extract((Workbench.Neural.Models.ElmanNetwork)minsky.Network);
Console.WriteLine($"reachable hidden states: {back.StateCount}; after minimisation: {Minimization.Minimize(back).StateCount} (the original has {evenAs.StateCount})");

Section("2. Non-determinism: a mixture of two geometric distributions has no deterministic PFSA, hence no Heaviside RNN");
var unary = Alphabet.FromCharacters("a");
var mixture = new WfsaBuilder<Real>(unary).EnsureStates(2)
    .SetInitial(0, new Real(0.5)).SetInitial(1, new Real(0.5))
    .SetFinal(0, new Real(0.5)).SetFinal(1, new Real(0.1))
    .AddArc(0, 0, 0, new Real(0.5)).AddArc(1, 0, 1, new Real(0.9))
    .Build();
double P(int n) => 0.5 * Math.Pow(0.5, n) * 0.5 + 0.5 * Math.Pow(0.9, n) * 0.1;
Console.WriteLine("p(aⁿ⁺¹)/p(aⁿ) for n = 0…8: " + string.Join(", ", Enumerable.Range(0, 9).Select(n => (P(n + 1) / P(n)).ToString("F4"))) + " — never eventually periodic (P4.7)");
try
{
    Determinization.Determinize(mixture);
}
catch (NotDeterminizableException refusal)
{
    // No deterministic PFSA, so no Minsky RNN and no Heaviside RNN represents the mixture exactly.
    Console.WriteLine("weighted determinization refuses: " + refusal.Message);
}

Section("3. Compact simulation of DFAs: hidden units against |Q| (|Σ| = 2)");
foreach (int n in new[] { 4, 16, 64, 256, 1024, 4096, 16384 })
    Console.WriteLine($"|Q| = {n,6}: Minsky {2 * n,6}, compact {CompactDfaConstruction.HiddenSize(n, 2),5}");

Section("4. n-gram → transformer: hard attention is exact, soft attention converges exponentially in β");
var ngram = Workbench.Automata.Generators.RandomNGrams.Model(new Random(3), 3, 2, 0);
var hard = new NeuralLanguageModel(NGramTransformerConstruction.Compile(ngram, AttentionKind.Hard, maxLength: 16));
int[] sample = ab.Parse("abbabbaab");
Console.WriteLine($"log p(abbabbaab): 3-gram {ngram.LogProbability(sample):R}, hard-attention transformer {hard.LogProbability(sample):R}");
double gap = NGramTransformerConstruction.ScoreGap(sample.Length);
foreach (double k in new[] { 0.5, 1, 2, 4, 8, 16 })
{
    var soft = new NeuralLanguageModel(NGramTransformerConstruction.Compile(ngram, AttentionKind.Soft, k / gap, 16));
    Console.WriteLine($"βΔ = {k,2}: |log p_soft − log p_3gram| = {Math.Abs(soft.LogProbability(sample) - ngram.LogProbability(sample)):G3}");
}

Section("5. A Turing-complete RNN needs unbounded precision: stacks as base-10 fractions");
var points = StackPrecision.Measure(maxDepth: 24, seed: 1);
Console.WriteLine($"exact rationals read every stack up to depth 24: {points.All(p => p.ExactCorrect)}");
Console.WriteLine($"float64 first misreads a stack of depth {points.First(p => !p.Float64Correct).Depth} (a double holds about 16 decimal digits; each pop multiplies the error by 10)");

static void Section(string title) => Console.WriteLine($"\n── {title}");
