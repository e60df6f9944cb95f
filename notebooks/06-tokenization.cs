#:project ../Automata/Automata.csproj
// Notebook 06 — tokenization as a formal object (notes Part 2; Gastaldi et al. 2024).
// Run: dotnet run notebooks/06-tokenization.cs
//
// A tokenizer is a pair (τ, κ): an encoder from text to tokens and a decoder κ that maps each token to the characters it
// stands for. A language model over tokens induces one over characters, p_Σ(x) = Σ_{κ(τ) = x} p(τ). We compare the
// canonical score p(τ_BPE(x)) with that marginal, measure the mass a token model puts on non-canonical token strings,
// look at the exact marginal of a unigram tokenizer over all segmentations, build the character model of a token bigram
// two ways, and write BPE's encoder as a transducer.

using System.Globalization;
using Workbench.Automata.Core;
using Workbench.Automata.NGrams;
using Workbench.Automata.Operations;
using Workbench.Automata.Pfsa;
using Workbench.Automata.Tokenization;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

Section("1. BPE on a tiny corpus");
var trained = BpeTrainer.Train(["aaabdaaabac", "abab", "aab"], 10, BaseUnits.Characters, PreTokenization.None);
var bpe = trained.Tokenizer;
foreach (var record in trained.History)
    Console.WriteLine($"merge {bpe.TextOf(record.Merge.Left)} + {bpe.TextOf(record.Merge.Right)} → {bpe.TextOf(record.Merge.Result)}: {record.PairCount} adjacent, {record.Occurrences} replaced");
Console.WriteLine($"corpus: {trained.InitialLength} symbols → {trained.FinalLength} tokens; τ(aaab) = {string.Join("|", bpe.Encode("aaab").Select(bpe.TextOf))}");

Section("2. A token-level PFSA and the character model it induces");
// One state: every token with probability proportional to 1/(1 + |κ(τ)|), stopping with probability 0.2.
var names = new Alphabet(Enumerable.Range(0, bpe.VocabularySize).Select(t => t.ToString(CultureInfo.InvariantCulture)));
var weights = Enumerable.Range(0, bpe.VocabularySize).Select(t => 1.0 / (1 + bpe.UnitsOf(t).Length)).ToArray();
var builder = new WfsaBuilder<Real>(names);
builder.AddState();
builder.SetInitial(0, Real.One).SetFinal(0, new Real(0.2));
for (var t = 0; t < weights.Length; t++) builder.AddArc(0, t, 0, new Real(0.8 * weights[t] / weights.Sum()));
var tokens = new PfsaLanguageModel<Real>(builder.Build());
var characters = new PfsaLanguageModel<Real>(CharacterModel.ToCharacterPfsa(bpe, builder.Build()));
Console.WriteLine($"Z(tokens) = {tokens.PartitionFunction().Value:G6}, Z(characters) = {characters.PartitionFunction().Value:G6}: the pushforward keeps the mass (P8.8)");
foreach (var text in new[] { "a", "ab", "aaab", "abab" })
{
    var x = text.Select(c => bpe.BaseSymbols.IndexOf(c)).ToArray();
    var canonical = Math.Exp(tokens.LogProbability(bpe.Encode(text)));
    var marginal = Math.Exp(characters.LogProbability(x));
    Console.WriteLine($"{text,-5} canonical p(τ_BPE(x)) = {canonical:G6}   marginal p_Σ(x) = {marginal:G6}   non-canonical share {Math.Max(0, marginal - canonical) / marginal:P1}");
}

Section("3. The mass on non-canonical token strings");
// Σ over token strings of length ≤ 4 of p(τ), split by whether τ = τ_BPE(κ(τ)).
double canonicalMass = 0, otherMass = 0;
foreach (var tau in Strings.UpTo(bpe.VocabularySize, 4))
{
    var p = Math.Exp(tokens.LogProbability(tau));
    if (bpe.Encode(bpe.Decode(tau)).SequenceEqual(tau)) canonicalMass += p; else otherMass += p;
}
Console.WriteLine($"token strings of length ≤ 4: canonical mass {canonicalMass:G6}, non-canonical mass {otherMass:G6} — the model puts {otherMass / (canonicalMass + otherMass):P0} of this mass on token strings that BPE never produces");
// Exactly, over all lengths: canonicality is bigram-local (P8.12), so its automaton intersects the token PFSA.
var (_, exactCanonical) = Canonicality.Restrict(bpe, builder.Build());
Console.WriteLine($"over all lengths, exactly: canonical mass {exactCanonical.Value:G6}, so {1 - exactCanonical.Value:P1} of the model's mass is on non-canonical token strings");

Section("4. Unigram: the exact marginal over all segmentations");
var unigram = UnigramTrainer.Train(SyntheticCorpus.Lines(30_000, seed: 1), 200, BaseUnits.Characters, PreTokenization.Whitespace);
foreach (var word in new[] { "the", " steend", " chistrener" })
{
    var units = TextUnits.Of(word, BaseUnits.Characters);
    var best = unigram.Encode(word);
    var viterbi = Math.Exp(best.Sum(p => unigram.LogProbabilities[p]));
    var marginal = Math.Exp(unigram.LogMarginal(word));
    Console.WriteLine($"\"{word}\": {unigram.AllSegmentations(units).Count()} segmentations; Viterbi {string.Join("|", best.Select(p => unigram.Decode([p])))} carries {viterbi / marginal:P1} of the marginal {marginal:G4}");
    var random = new Random(3);
    Console.WriteLine($"  samples: {string.Join("  ", Enumerable.Range(0, 4).Select(_ => string.Join("|", unigram.Sample(word, random).Select(p => unigram.Decode([p])))))}");
}

Section("5. A character model from a token bigram");
// A bigram over token ids, estimated from the BPE encoding of a corpus (add-1/2). As a deterministic PFSA its character
// model is again a PFSA; the character-level view over coverings (which works for any token model, a network too)
// gives the same numbers, and its state after x is the set of minimal coverings of x.
var lines = new[] { "aaabdaaabac", "abab", "aab", "dab", "abacab" };
var bigram = NGramEstimation.AddLambda(names, 2, lines.Select(bpe.Encode), 0.5);
var bigramCharacters = new PfsaLanguageModel<Real>(CharacterModel.ToCharacterPfsa(bpe, bigram.ToDeterministicPfsa()));
var view = new CharacterLanguageModel(bigram, bpe);
foreach (var text in new[] { "ab", "aaab", "abac" })
{
    var x = text.Select(c => bpe.BaseSymbols.IndexOf(c)).ToArray();
    Console.WriteLine($"{text,-5} p_Σ(x): PFSA {Math.Exp(bigramCharacters.LogProbability(x)):G8}, view {Math.Exp(view.LogProbability(x)):G8};   π_Σ(x): PFSA {Math.Exp(bigramCharacters.LogPrefixProbability(x)):G8}, view {Math.Exp(view.LogPrefixProbability(x)):G8}");
}
var abac = "abac".Select(c => bpe.BaseSymbols.IndexOf(c)).ToArray();
// The beam keeps the heaviest coverings at each position; its interval always contains the exact value.
foreach (var width in new[] { 1, 4, 16 })
    Console.WriteLine($"beam of {width} on abac: p_Σ = {view.BeamScore(abac, width).Probability}");

Section("6. BPE's encoder as a transducer");
// τ(x) is the one canonical token string that spells x, so κ⁻¹ composed with the canonical filter is τ (P8.15).
var encoder = bpe.EncoderTransducer();
var outputs = TransducerApplication.Apply(encoder, "aaabac".Select(c => bpe.BaseSymbols.IndexOf(c)).ToArray());
Console.WriteLine($"encoder: {encoder.StateCount} states, {encoder.ArcCount} arcs; on aaabac it writes {string.Join("; ", outputs.Values.Select(o => string.Join("|", o.Output.Select(t => bpe.TextOf(int.Parse(encoder.OutputAlphabet.NameOf(t), CultureInfo.InvariantCulture))))))}, and τ(aaabac) = {string.Join("|", bpe.Encode("aaabac").Select(bpe.TextOf))}");

static void Section(string title) => Console.WriteLine($"\n== {title}");
