using TorchSharp;
using Workbench.Formal.Errors;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Layers;
using Workbench.Neural.Models;
using Workbench.Neural.Storage;
using Workbench.Neural.Training;
using static TorchSharp.torch;

namespace Workbench.Neural.Tests;

/// <summary>
/// Weight tying: the input embedding of y is row y of the output layer E, so a tied network is the untied one constrained to
/// V = E[:rows]; its gradient with respect to E is therefore the untied gradient of E plus that of V (chain rule), which these
/// tests check against an untied twin holding the same weights.
/// </summary>
public sealed class WeightTyingTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("workbench-tying-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static readonly Alphabet Alphabet = Alphabet.FromCharacters("abc");

    public static TheoryData<string> Kinds => new()
    {
        "elman:hidden=6,dtype=float64",
        "lstm:hidden=6,layers=2,dtype=float64",
        "gru:hidden=6,dtype=float64",
        "rnn:hidden=6,layers=2,dtype=float64",
        "transformer:hidden=8,layers=1,heads=2,dtype=float64",
        "stackrnn:hidden=6,stack=4,cell=2,dtype=float64",
        "tapernn:hidden=6,tape=4,cell=2,dtype=float64",
        "nsrnn:hidden=6,states=2,symbols=2,window=4,dtype=float64",
    };

    private static SymbolEmbedding EmbeddingOf(SequenceModel network) => network.modules().OfType<SymbolEmbedding>().Single();

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_gradient_of_tied_weights_is_the_sum_of_the_untied_gradients(string spec)
    {
        var untiedArchitecture = NeuralArchitecture.Parse(spec);
        var tiedArchitecture = NeuralArchitecture.Parse(spec + ",tie=true");
        manual_seed(3);
        using var tied = NetworkFactory.Create(Alphabet, tiedArchitecture);
        using var untied = NetworkFactory.Create(Alphabet, untiedArchitecture);
        SymbolEmbedding tiedEmbedding = EmbeddingOf(tied), untiedEmbedding = EmbeddingOf(untied);
        long rows = untiedEmbedding.Weight.shape[0];
        Assert.True(tiedEmbedding.Tied);
        Assert.False(untiedEmbedding.Tied);

        // The untied twin holds the tied network's weights, with V set to E's first rows.
        var untiedParameters = untied.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
        {
            foreach (var (name, parameter) in tied.named_parameters())
                untiedParameters[name].copy_(parameter);
            untiedEmbedding.Weight.copy_(tied.Readout.weight!.narrow(0, 0, rows));
        }
        // The tied network has exactly V's parameters fewer, and its embedding is a view of E (a change to E shows in it).
        Assert.Equal(untied.parameters().Sum(p => p.numel()) - rows * tiedArchitecture.Hidden, tied.parameters().Sum(p => p.numel()));

        var batch = SymbolBatch.Create([[0, 1, 2, 2], [1], [], [2, 0]], Alphabet.Eos, CPU);
        Tensor Loss(SequenceModel network) =>
            TensorFunctions.Loss(OutputProjection.Softmax, network.Scores(batch.Inputs), batch.Targets).masked_select(batch.Mask).mean();
        tied.eval();
        untied.eval();
        Tensor tiedLoss = Loss(tied), untiedLoss = Loss(untied);
        Assert.Equal(untiedLoss.item<double>(), tiedLoss.item<double>(), 12);
        tiedLoss.backward();
        untiedLoss.backward();

        Tensor expected = untied.Readout.weight!.grad!.clone();
        expected.narrow(0, 0, rows).add_(untiedEmbedding.Weight.grad!);
        Assert.True(expected.allclose(tied.Readout.weight!.grad!, rtol: 1e-10, atol: 1e-12), $"{spec}: ∂L/∂E of the tied network is not ∂L/∂E + ∂L/∂V of the untied one");
        // And the two gradients really differ, so the test sees the embedding's contribution.
        Assert.False(untied.Readout.weight!.grad!.allclose(tied.Readout.weight!.grad!, rtol: 1e-6, atol: 1e-9));
    }

    [Fact]
    public void Training_keeps_the_embedding_equal_to_the_output_rows_and_a_saved_model_stays_tied()
    {
        manual_seed(5);
        var architecture = NeuralArchitecture.Parse("lstm:hidden=8,tie=true");
        using var network = NetworkFactory.Create(Alphabet, architecture);
        var options = new TrainingOptions { Steps = 5, WarmupSteps = 0, LearningRate = 0.05 };
        using var optimizer = Optimizers.Create(network.parameters(), options);
        var batch = SymbolBatch.Create([[0, 1, 2], [2, 2]], Alphabet.Eos, CPU);
        Tensor before = network.Readout.weight!.detach().clone();
        for (int step = 0; step < 5; step++)
            Trainer.Step(network, optimizer, batch, options, step, options.LearningRateAt(step));
        Assert.False(before.allclose(network.Readout.weight!));
        Assert.True(EmbeddingOf(network).Weight.allclose(network.Readout.weight!.narrow(0, 0, Alphabet.Size), rtol: 0, atol: 0));

        string path = Path.Combine(folder, "tied.wbm");
        ModelFile.Save(network, path);
        using var loaded = ModelFile.Load(path);
        Assert.True(loaded.Architecture.TiedEmbeddings);
        network.eval();
        loaded.eval();
        Assert.True(network.LogProbabilities(batch.Inputs).allclose(loaded.LogProbabilities(batch.Inputs)));
        Assert.True(EmbeddingOf(loaded).Tied);
    }

    [Fact]
    public void The_size_counts_the_shared_rows_once_and_the_spec_round_trips()
    {
        var architecture = NeuralArchitecture.Parse("transformer:hidden=8,heads=2,tie=true");
        Assert.True(architecture.TiedEmbeddings);
        Assert.Equal(architecture, NeuralArchitecture.Parse(architecture.ToString()));
        Assert.DoesNotContain("tie", NeuralArchitecture.Parse("lstm:hidden=8").ToString(), StringComparison.Ordinal);
        Assert.Contains("'maybe' is not true or false", Assert.Throws<ParseException>(() => NeuralArchitecture.Parse("lstm:tie=maybe")).Message, StringComparison.Ordinal);

        using var tied = NetworkFactory.Create(Alphabet, architecture);
        using var untied = NetworkFactory.Create(Alphabet, architecture with { TiedEmbeddings = false });
        ModelSize tiedSize = ModelSize.Of(tied), untiedSize = ModelSize.Of(untied);
        Assert.Equal(untiedSize.NonEmbedding, tiedSize.NonEmbedding);
        // The transformer's BOS row is EOS's output row: all |Σ| + 1 input rows are shared.
        Assert.Equal(untiedSize.Embedding - (Alphabet.Size + 1L) * 8, tiedSize.Embedding);
        Assert.Equal(Alphabet.SizeWithEos * (8L + 1), tiedSize.Embedding);
    }

    [Fact]
    public void A_tied_embedding_needs_an_output_layer_with_its_rows()
    {
        using var readout = TorchSharp.torch.nn.Linear(4, 3);
        Assert.Contains("at least as many, not 3", Assert.Throws<ArgumentException>(() => new SymbolEmbedding(5, readout)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new SymbolEmbedding(2, null!));
        using var own = new SymbolEmbedding(5, 4);
        Assert.Equal(20, own.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Hand_set_elman_weights_refuse_a_tied_architecture()
    {
        var weights = new ElmanWeights(new double[2, 2], new double[3, 2], new double[2], new double[2], new double[4, 2], new double[4]);
        var exception = Assert.Throws<ArgumentException>(() => ElmanNetwork.FromWeights(Alphabet, NeuralArchitecture.Parse("elman:hidden=2,tie=true"), weights));
        Assert.Contains("tied embeddings", exception.Message, StringComparison.Ordinal);
    }
}
