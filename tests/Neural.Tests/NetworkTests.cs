using Workbench.Formal.LanguageModels;
using Workbench.Formal.Errors;
using Workbench.Formal.Generation;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;
using static TorchSharp.torch;

namespace Workbench.Neural.Tests;

public sealed class NetworkTests
{
    private static readonly Alphabet Binary = Alphabet.FromCharacters("ab");
    private static readonly Alphabet Ternary = Alphabet.FromCharacters("abc");

    public static TheoryData<string> Architectures() => new(
        "elman:hidden=6,activation=tanh",
        "elman:hidden=6,activation=sigmoid",
        "elman:hidden=6,activation=relu",
        "elman:hidden=6,activation=heaviside",
        "elman:hidden=6,activation=saturatedsigmoid,output=sparsemax",
        "lstm:hidden=6,layers=2",
        "gru:hidden=6,layers=2",
        "rnn:hidden=6,layers=3",
        "stackrnn:hidden=6,stack=4,cell=3",
        "tapernn:hidden=6,tape=5,cell=3",
        "nsrnn:hidden=6,states=2,symbols=2,window=3",
        "transformer:hidden=8,layers=2,heads=2,pe=sinusoidal,attention=soft,ln=pre",
        "transformer:hidden=8,layers=2,heads=2,pe=none,attention=soft,ln=post",
        "transformer:hidden=8,layers=1,heads=2,pe=learned,attention=hard,maxlength=40",
        "transformer:hidden=8,layers=2,heads=4,kv=1,pe=rope,attention=soft",
        "transformer:hidden=8,layers=2,heads=4,kv=2,pe=alibi,attention=sparsemax",
        "transformer:hidden=8,layers=1,heads=2,pe=sinusoidal,output=sparsemax",
        "transformer:hidden=8,layers=2,heads=2,pe=learned,ln=none,maxlength=40",
        "transformer:hidden=8,layers=2,heads=2,pe=randomized,maxlength=64,pemax=256");

    private static NeuralLanguageModel Model(string spec, Alphabet alphabet, int seed, bool float64 = true)
    {
        manual_seed(seed);
        var architecture = NeuralArchitecture.Parse(spec) with { Double = float64 };
        return new NeuralLanguageModel(NetworkFactory.Create(alphabet, architecture));
    }

    private static int[] RandomString(Random random, int alphabetSize, int maxLength) =>
        Enumerable.Range(0, random.Next(maxLength + 1)).Select(_ => random.Next(alphabetSize)).ToArray();

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Every_architecture_keeps_the_language_model_contract(string spec)
    {
        // A network is locally normalised: its view is the model (no normaliser), the chain rule is its score, its prefix
        // probabilities are cylinder masses with π(y) = p(y) + Σ_a π(ya), and its strings of length ≤ 4 carry at most 1.
        var model = Model(spec, Binary, seed: 29);
        var report = LanguageModelContract.Check(model, 4, 1e-9);
        Assert.True(report.Violations.Count == 0, $"{spec}: {string.Join("; ", report.Violations)}");
        Assert.Equal(0.0, ((ILanguageModel)model).LogViewNormaliser);
        Assert.InRange(report.PartialSum, 0, 1 + 1e-12);
    }

    [Fact]
    public void The_tightness_estimate_uses_the_sampling_its_creator_injects_and_says_so()
    {
        var model = new NeuralLanguageModel(Model("lstm:hidden=4", Binary, seed: 3).Network) { TightnessSampling = new Tightness.TightnessSampling(20, 50, 5) };
        var report = model.AnalyzeTightness();
        Assert.Contains(report.Evidence, line => line.StartsWith("Monte Carlo: P(|y| ≥ 50)", StringComparison.Ordinal) && line.EndsWith("(20 samples, seed 5)", StringComparison.Ordinal));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Tightness.TightnessSampling(0, 50, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Tightness.TightnessSampling(10, 0, 5));
    }

    [Fact]
    public void The_character_model_of_a_network_over_tokens_sums_its_coverings()
    {
        // A network over the tokens of a small BPE vocabulary; p_Σ(x) and π_Σ(x) against the network's own scores of
        // every covering of x (for π, the minimal ones: all but the last token spell a proper prefix of x).
        var tokenizer = Workbench.Automata.Tokenization.BpeTrainer.Train(["abab aab"], 6, Workbench.Automata.Tokenization.BaseUnits.Characters, Workbench.Automata.Tokenization.PreTokenization.None).Tokenizer;
        var alphabet = new Alphabet(Enumerable.Range(0, tokenizer.VocabularySize).Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var model = Model("lstm:hidden=5", alphabet, seed: 4);
        var characters = new Workbench.Automata.Tokenization.CharacterLanguageModel(model, tokenizer);
        foreach (var text in new[] { "ab", "aab", "abab", "b a" })
        {
            var x = characters.Alphabet.Parse(string.Join(" ", text.Select(c => Workbench.Automata.Tokenization.CharacterModel.SymbolName(c, Workbench.Automata.Tokenization.BaseUnits.Characters))));
            var strings = Workbench.Formal.Symbols.Strings.UpTo(tokenizer.VocabularySize, text.Length).ToArray();
            var expected = strings.Where(t => tokenizer.Decode(t) == text).Sum(t => Math.Exp(model.LogProbability(t)));
            var expectedPrefix = strings.Where(t => t.Length > 0 && tokenizer.Decode(t).StartsWith(text, StringComparison.Ordinal) && tokenizer.Decode(t[..^1]).Length < text.Length)
                .Sum(t => Math.Exp(model.LogPrefixProbability(t)));
            Assert.Equal(expected, Math.Exp(characters.LogProbability(x)), 12);
            Assert.Equal(expectedPrefix, Math.Exp(characters.LogPrefixProbability(x)), 12);
            var (beam, beamPrefix) = characters.BeamScore(x, 1);
            Assert.True(Math.Abs(beam.Value - expected) <= beam.ErrorBound + 1e-12, $"{text}: {beam} against {expected}");
            Assert.True(Math.Abs(beamPrefix.Value - expectedPrefix) <= beamPrefix.ErrorBound + 1e-12, $"{text}: {beamPrefix} against {expectedPrefix}");
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Batched_distributions_along_strings_equal_the_incremental_steps(string spec)
    {
        // One padded forward pass per batch against the default member, which walks the erased view step by step.
        var model = Model(spec, Ternary, seed: 13);
        var random = new Random(7);
        var strings = Enumerable.Range(0, 9).Select(_ => RandomString(random, 3, 6)).ToArray();
        var batched = model.NextLogProbabilitiesAlong(strings);
        ILanguageModel view = PrefixView.Of(model);
        var walked = view.NextLogProbabilitiesAlong(strings);
        for (var i = 0; i < strings.Length; i++)
        {
            Assert.Equal(strings[i].Length + 1, batched[i].GetLength(0));
            for (var t = 0; t < batched[i].GetLength(0); t++)
                for (var a = 0; a < 4; a++)
                    Assert.Equal(walked[i][t, a], batched[i][t, a], 9);
            Assert.Equal(model.LogProbability(strings[i]), Workbench.Formal.Generation.ChainRule.LogProbability(batched[i], strings[i]), 9);
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void A_padded_batch_encodes_and_backpropagates_as_the_padded_pass_does_at_its_real_positions(string spec)
    {
        // Encode(batch) may skip the padding (the transformer packs its real positions); through the mask, its encodings and
        // every parameter's gradient must be those of Encode(inputs), in training mode (randomized positions drawn alike).
        var network = Model(spec, Ternary, seed: 17).Network;
        var random = new Random(9);
        int[][] strings = [.. Enumerable.Range(0, 7).Select(_ => RandomString(random, 3, 12)), [], [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1]];
        var batch = SymbolBatch.Create(strings, Ternary.Eos, network.Device);
        Tensor padding = batch.Mask.logical_not().unsqueeze(-1);
        Tensor probe = randn([.. batch.Mask.shape, network.Architecture.Hidden], dtype: ScalarType.Float64);
        network.train();
        (double[] Encodings, double[][] Gradients) Pass(Func<Tensor> encode)
        {
            network.zero_grad();
            manual_seed(3);
            Tensor encodings = encode();
            Assert.Equal([.. batch.Mask.shape, network.Architecture.Hidden], encodings.shape);
            if (encodings.requires_grad) // a Heaviside network's encodings are piecewise constant: no gradient flows
                (encodings * probe).masked_fill(padding, 0).sum().backward();
            return (encodings.masked_select(batch.Mask.unsqueeze(-1)).detach().data<double>().ToArray(),
                [.. network.parameters().Select(p => p.grad is { } g ? g.detach().clone().reshape(-1).data<double>().ToArray() : [])]);
        }
        var padded = Pass(() => network.Encode(batch.Inputs));
        var skipping = Pass(() => network.Encode(batch));
        Assert.Equal(padded.Encodings.Length, skipping.Encodings.Length);
        for (int i = 0; i < padded.Encodings.Length; i++)
            Assert.Equal(padded.Encodings[i], skipping.Encodings[i], 1e-12);
        foreach (var (expected, actual) in padded.Gradients.Zip(skipping.Gradients))
        {
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
                Assert.Equal(expected[i], actual[i], 1e-11);
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Incremental_steps_equal_the_full_forward_pass_and_batches_equal_single_strings(string spec)
    {
        var model = Model(spec, Ternary, seed: 11);
        var random = new Random(5);
        var strings = Enumerable.Range(0, 12).Select(_ => RandomString(random, 3, 14)).ToArray();
        double[] batched = model.LogProbabilities(strings, batchSize: 5);
        for (int i = 0; i < strings.Length; i++)
        {
            double stepwise = ChainRule.LogProbability(model, strings[i]);
            double single = model.LogProbability(strings[i]);
            Assert.Equal(single, batched[i], 1e-10);
            if (double.IsNegativeInfinity(single))
                Assert.True(double.IsNegativeInfinity(stepwise));
            else
                Assert.Equal(single, stepwise, 1e-10);
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Next_symbol_distributions_sum_to_one_and_string_mass_plus_tail_is_one(string spec)
    {
        // Σ_{|y|≤3} p(y) + Σ_{|y|=4} π(y) = 1 exactly: the cylinders of Σ⁴ hold the unfinished mass.
        var model = Model(spec, Binary, seed: 3);
        var next = new double[Binary.SizeWithEos];
        var total = 0.0;
        foreach (int[] y in Enumerable.Range(0, 5).SelectMany(length => AllStrings(2, length)))
        {
            if (y.Length == 4)
            {
                total += Math.Exp(ChainRule.LogPrefixProbability(model, y));
                continue;
            }
            total += Math.Exp(model.LogProbability(y));
            model.NextLogProbabilities(ChainRule.StateAfter(model, y), next);
            Assert.Equal(1.0, next.Sum(Math.Exp), 1e-12);
        }
        Assert.Equal(1.0, total, 1e-12);
    }

    [Fact]
    public void Forked_states_stay_independent_when_their_caches_share_a_prefix()
    {
        var model = Model("transformer:hidden=8,layers=2,heads=2,pe=rope", Ternary, seed: 6);
        var random = new Random(8);
        var states = new List<(int[] Prefix, Models.NetworkState State)> { ([], model.InitialState) };
        for (int i = 0; i < 60; i++)
        {
            var (prefix, state) = states[random.Next(states.Count)];
            int symbol = random.Next(3);
            states.Add(([.. prefix, symbol], model.Advance(state, symbol)));
        }
        var next = new double[Ternary.SizeWithEos];
        foreach (var (prefix, state) in states)
        {
            model.NextLogProbabilities(state, next);
            // log p(EOS | y) = log p(y) − log π(y), both from full forward passes.
            Assert.Equal(model.LogProbability(prefix) - model.LogPrefixProbability(prefix), next[Ternary.Eos], 1e-10);
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Lock_step_sampling_draws_the_strings_of_one_at_a_time_sampling(string spec)
    {
        // The batched sampler (rows dropped as their draws stop, caches selected) against draws made one by one through the
        // typed view from the same per-draw generators: the same strings, truncations and log-probabilities.
        var model = Model(spec, Ternary, seed: 12);
        var batched = AncestralSampler.SampleMany((ILanguageModel)model, 60, 31, 12);
        var single = AncestralSampler.SampleMany<NetworkState>(model, 60, 31, 12);
        Assert.Equal(single.Select(s => s.Symbols), batched.Select(s => s.Symbols));
        Assert.Equal(single.Select(s => s.Truncated), batched.Select(s => s.Truncated));
        Assert.Contains(batched, s => s.Symbols.Length >= 4);
        for (int i = 0; i < single.Count; i++)
            Assert.Equal(single[i].LogProbability, batched[i].LogProbability, 1e-9);
    }

    [Fact]
    public void Lock_step_sampling_crosses_its_batch_boundary_and_starts_at_any_draw()
    {
        var model = Model("lstm:hidden=6", Binary, seed: 3);
        int count = NeuralLanguageModel.SamplingBatch + 7;
        var all = model.SampleMany(0, count, 5, 6);
        var tail = model.SampleMany(NeuralLanguageModel.SamplingBatch - 2, 9, 5, 6);
        var single = AncestralSampler.SampleMany<NetworkState>(model, 9, 5, 6, first: NeuralLanguageModel.SamplingBatch - 2);
        Assert.Equal(all.Skip(NeuralLanguageModel.SamplingBatch - 2).Select(s => s.Symbols), tail.Select(s => s.Symbols));
        Assert.Equal(single.Select(s => s.Symbols), tail.Select(s => s.Symbols));
        Assert.Contains(all, s => s.Truncated);
        Assert.Empty(model.SampleMany(0, 0, 5, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.SampleMany(-1, 3, 5, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.SampleMany(0, 3, 5, -1));
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Prefix_probabilities_equal_the_chain_rule_without_eos(string spec)
    {
        var model = Model(spec, Ternary, seed: 4);
        int[] y = [2, 0, 1, 1, 0, 2, 2];
        Assert.Equal(0.0, model.LogPrefixProbability([]));
        Assert.Equal(ChainRule.LogPrefixProbability(model, y), model.LogPrefixProbability(y), 1e-10);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Saved_and_reloaded_models_score_identically(string spec)
    {
        var model = Model(spec, Ternary, seed: 9, float64: spec.Contains("elman"));
        string path = Path.Combine(Path.GetTempPath(), $"workbench-{Guid.NewGuid():N}.wbm");
        try
        {
            Storage.ModelFile.Save(model.Network, path);
            var reloaded = new NeuralLanguageModel(Storage.ModelFile.Load(path));
            Assert.Equal(model.Network.Architecture, reloaded.Network.Architecture);
            int[][] strings = [[], [0], [2, 1, 0, 0, 2], [1, 1, 1, 2, 0, 1, 2, 0, 0]];
            Assert.Equal(model.LogProbabilities(strings), reloaded.LogProbabilities(strings));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Damaged_or_foreign_model_files_are_reported_by_name()
    {
        string path = Path.Combine(Path.GetTempPath(), $"workbench-{Guid.NewGuid():N}.wbm");
        try
        {
            File.WriteAllText(path, "not a model");
            var error = Assert.ThrowsAny<WorkbenchException>(() => Storage.ModelFile.Load(path));
            Assert.Contains(path, error.Message);
            Storage.ModelFile.Save(Model("lstm:hidden=4", Binary, seed: 1).Network, path);
            byte[] bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
            error = Assert.ThrowsAny<WorkbenchException>(() => Storage.ModelFile.Load(path));
            Assert.Contains("damaged", error.Message);
            // One changed byte among the weights would load silently as another network: the checksum refuses it.
            var flipped = (byte[])bytes.Clone();
            flipped[^5] ^= 0x10;
            File.WriteAllBytes(path, flipped);
            error = Assert.ThrowsAny<WorkbenchException>(() => Storage.ModelFile.Load(path));
            Assert.Contains("SHA-256 does not match", error.Message);
            File.WriteAllBytes(path, bytes);
            Assert.Equal(Model("lstm:hidden=4", Binary, seed: 1).LogProbability([0, 1]), new NeuralLanguageModel(Storage.ModelFile.Load(path)).LogProbability([0, 1]), 12);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Float32_models_agree_with_their_incremental_steps_to_single_precision()
    {
        foreach (string spec in new[] { "lstm:hidden=16", "transformer:hidden=16,layers=2,heads=2" })
        {
            var model = Model(spec, Ternary, seed: 2, float64: false);
            Assert.Equal(ScalarType.Float32, model.Network.DataType);
            int[] y = [0, 1, 2, 2, 1, 0, 0, 1];
            Assert.Equal(model.LogProbability(y), ChainRule.LogProbability(model, y), 1e-4);
        }
    }

    [Fact]
    public void A_learned_position_table_defines_a_distribution_over_all_strings_beyond_its_length()
    {
        // Positions past the table reuse its last row: strings longer than the table are scored, incrementally and at
        // once alike, and Σ_{|y|≤5} p(y) + Σ_{|y|=6} π(y) = 1 although the table covers positions 0…2 only.
        var model = Model("transformer:hidden=8,heads=2,pe=learned,maxlength=2", Binary, seed: 1);
        int[] longer = [0, 1, 0, 1, 0, 1, 1];
        Assert.True(double.IsFinite(model.LogProbability(longer)));
        Assert.Equal(model.LogProbability(longer), ChainRule.LogProbability(model, longer), 1e-10);
        var total = 0.0;
        IEnumerable<int[]> level = [[]];
        for (var n = 0; n <= 6; n++)
        {
            foreach (var y in level) total += Math.Exp(n < 6 ? model.LogProbability(y) : model.LogPrefixProbability(y));
            level = level.SelectMany(y => new[] { (int[])[.. y, 0], [.. y, 1] }).ToArray();
        }
        Assert.Equal(1.0, total, 12);
    }

    [Fact]
    public void Unknown_symbols_are_rejected_with_the_position()
    {
        var model = Model("gru:hidden=4", Binary, seed: 1);
        Assert.Throws<UnknownSymbolException>(() => model.LogProbability([0, 7]));
        Assert.Throws<UnknownSymbolException>(() => model.Advance(model.InitialState, 2));
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Architecture_specs_round_trip_through_text(string spec)
    {
        var architecture = NeuralArchitecture.Parse(spec);
        Assert.Equal(architecture, NeuralArchitecture.Parse(architecture.ToString()));
    }

    [Theory]
    [InlineData("mlp:hidden=4", "kind 'mlp'")]
    [InlineData("lstm:hidden=x", "hidden 'x' is not an integer")]
    [InlineData("transformer:hidden=10,heads=4", "heads 4 must divide the width 10")]
    [InlineData("transformer:heads=4,kv=3", "key/value heads 3 must divide heads 4")]
    [InlineData("elman:layers=2", "an Elman RNN has one layer")]
    [InlineData("stackrnn:layers=2", "a stack RNN has one layer")]
    [InlineData("stackrnn:stack=1", "the stack depth 1 must be in 2..65536")]
    [InlineData("stackrnn:cell=0", "the stack cell size 0 must be in 1..4096")]
    [InlineData("tapernn:tape=1", "the tape length 1 must be in 2..65536")]
    [InlineData("tapernn:layers=3", "a tape RNN has one layer")]
    [InlineData("nsrnn:layers=2", "a nondeterministic stack RNN has one layer")]
    [InlineData("nsrnn:states=0", "the stack automaton's states 0 must be in 1..8")]
    [InlineData("nsrnn:symbols=9", "the stack automaton's symbols 9 must be in 1..8")]
    [InlineData("nsrnn:window=1", "the stack window 1 must be in 2..1024")]
    [InlineData("nsrnn:states=8,symbols=8,window=100", "the stack's table of (window + 1)²·(states·symbols)² = 41783296 weights per string and step is over 4194304")]
    [InlineData("lstm:colour=red", "unknown key 'colour'")]
    public void Bad_architecture_specs_are_reported(string spec, string expected)
    {
        var error = Assert.Throws<ParseException>(() => NeuralArchitecture.Parse(spec));
        Assert.Contains(expected, error.Message);
    }

    internal static IEnumerable<int[]> AllStrings(int alphabetSize, int length) =>
        length == 0
            ? [[]]
            : AllStrings(alphabetSize, length - 1).SelectMany(prefix => Enumerable.Range(0, alphabetSize).Select(symbol => (int[])[.. prefix, symbol]));
}
