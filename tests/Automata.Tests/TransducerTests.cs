using System.Globalization;
using Workbench.Automata.Core;
using Workbench.Automata.Formats;
using Workbench.Automata.Generators;
using Workbench.Automata.Operations;
using Workbench.Automata.Pathsums;
using Workbench.Automata.Tokenization;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Tests;

public sealed class TransducerTests
{
    private static void AssertSameRelation(Dictionary<(string Input, string Output), double> expected, Dictionary<(string Input, string Output), double> actual, string label, double tolerance = 1e-10)
    {
        foreach (var key in expected.Keys.Union(actual.Keys))
        {
            var (e, a) = (expected.GetValueOrDefault(key), actual.GetValueOrDefault(key));
            Assert.True(Math.Abs(e - a) <= tolerance * Math.Max(1, e), $"{label}: T({key.Item1}, {key.Item2}) = {a}, relational composition {e}");
        }
    }

    [Fact]
    public void Composition_with_epsilons_on_both_tapes_is_relational_composition()
    {
        const int seed = 606;
        var random = new Random(seed);
        var (x, y, z) = (Alphabet.FromCharacters("ab"), Alphabet.FromCharacters("cd"), Alphabet.FromCharacters("ef"));
        for (var trial = 0; trial < 40; trial++)
        {
            var a = RandomTransducers.Acyclic(random, random.Next(2, 5), x, y);
            var b = RandomTransducers.Acyclic(random, random.Next(2, 5), y, z);
            AssertSameRelation(RandomTransducers.Compose(RandomTransducers.Relation(a), RandomTransducers.Relation(b)), RandomTransducers.Relation(Composition.Compose(a, b)), $"seed {seed}, trial {trial}");
        }
    }

    [Fact]
    public void Inversion_swaps_the_tapes_and_projections_sum_the_other_tape()
    {
        var random = new Random(7);
        var fst = RandomTransducers.Acyclic(random, 4, Alphabet.FromCharacters("ab"), Alphabet.FromCharacters("cd"));
        var relation = RandomTransducers.Relation(fst);
        AssertSameRelation(relation.ToDictionary(p => (p.Key.Item2, p.Key.Item1), p => p.Value), RandomTransducers.Relation(fst.Inverse()), "inverse");
        foreach (var group in relation.GroupBy(p => p.Key.Item1))
        {
            var input = group.Key.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(fst.InputAlphabet.IdOf).ToArray();
            Assert.Equal(group.Sum(p => p.Value), Stringsum.Weight(fst.ProjectInput(), input).Value, 10);
        }
    }

    [Fact]
    public void Composing_a_token_acceptor_with_the_decoder_gives_the_character_model()
    {
        var tokenizer = BpeTrainer.Train(["abab aab", "ba"], 9, BaseUnits.Characters, PreTokenization.None).Tokenizer;
        var names = new Alphabet(Enumerable.Range(0, tokenizer.VocabularySize).Select(t => t.ToString(CultureInfo.InvariantCulture)));
        var builder = new WfsaBuilder<Real>(names);
        builder.AddState();
        builder.SetInitial(0, Real.One).SetFinal(0, new Real(0.3));
        for (var t = 0; t < tokenizer.VocabularySize; t++) builder.AddArc(0, t, 0, new Real(0.7 / tokenizer.VocabularySize));
        var tokens = builder.Build();
        var viaComposition = Composition.Compose(Wfst<Real>.Identity(tokens), DecoderTransducer.Of(tokenizer)).ProjectOutput();
        var direct = CharacterModel.ToCharacterPfsa(tokenizer, tokens);
        foreach (var x in Strings.UpTo(tokenizer.BaseSymbols.Length, 4))
            Assert.Equal(Stringsum.Weight(direct, x).Value, Stringsum.Weight(viaComposition, x).Value, 14);
    }

    [Fact]
    public void Composition_agrees_with_openfst()
    {
        // OpenFst (Debian's libfst-tools, which .ci/run installs) on the same transducers, in the log semiring.
        const int seed = 808;
        var random = new Random(seed);
        var (x, y, z) = (Alphabet.FromCharacters("ab"), Alphabet.FromCharacters("cd"), Alphabet.FromCharacters("ef"));
        var directory = Directory.CreateTempSubdirectory("workbench-fst-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "syms.txt"), "<eps> 0\na 1\nb 2\nc 3\nd 4\ne 5\nf 6\n");
            for (var trial = 0; trial < 10; trial++)
            {
                var a = RandomTransducers.Acyclic(random, random.Next(2, 5), x, y);
                var b = RandomTransducers.Acyclic(random, random.Next(2, 5), y, z);
                File.WriteAllText(Path.Combine(directory, "a.txt"), AttTransducerFormat.Write(a));
                File.WriteAllText(Path.Combine(directory, "b.txt"), AttTransducerFormat.Write(b));
                OpenFstTool.Run(directory, "fstcompile --arc_type=log --isymbols=syms.txt --osymbols=syms.txt a.txt | fstarcsort --sort_type=olabel > a.fst");
                OpenFstTool.Run(directory, "fstcompile --arc_type=log --isymbols=syms.txt --osymbols=syms.txt b.txt > b.fst");
                var printed = OpenFstTool.Run(directory, "fstcompose a.fst b.fst | fstprint --isymbols=syms.txt --osymbols=syms.txt");
                var openFst = AttTransducerFormat.Read(printed, "fstcompose", x, z);
                // OpenFst's log arcs hold single-precision weights and fstprint writes six significant digits.
                AssertSameRelation(RandomTransducers.Relation(Composition.Compose(a, b)), RandomTransducers.Relation(openFst), $"seed {seed}, trial {trial}", tolerance: 1e-5);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
