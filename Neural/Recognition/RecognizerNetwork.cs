using TorchSharp;
using TorchSharp.Modules;
using Workbench.Neural.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Neural.Recognition;

/// <summary>The three heads' outputs on a batch.</summary>
/// <param name="Recognition">The acceptance logit of every string, read at the encoding of the whole string: [B].</param>
/// <param name="NextSymbolScores">The network's own LM scores after every prefix: [B, T+1, |Σ̄|].</param>
/// <param name="NextSymbolSetLogits">The next-symbol-set logits after every prefix (one independent logit per symbol): [B, T+1, |Σ̄|].</param>
public sealed record RecognizerOutputs(Tensor Recognition, Tensor NextSymbolScores, Tensor NextSymbolSetLogits);

/// <summary>
/// A network trained as a recognizer (Butoi et al. 2025): any <see cref="SequenceModel"/> encoder with a binary head on the
/// encoding of the whole string (accept iff the logit is ≥ 0), the network's own output layer as the auxiliary language-model
/// head, and a next-symbol-set head (one logistic output per symbol of Σ̄). Both heads are always present, so the parameter
/// count does not depend on which losses train them. A forward pass costs the encoder's plus O(B·T·D·|Σ̄|).
/// </summary>
public sealed class RecognizerNetwork : Module
{
    private readonly SequenceModel network;
    private readonly Linear recognition, nextSymbolSets;

    /// <summary>Puts the heads on network (their initialisation draws from libtorch's generator after the network's).</summary>
    public RecognizerNetwork(SequenceModel network) : base(nameof(RecognizerNetwork))
    {
        this.network = network;
        recognition = Linear(network.Architecture.Hidden, 1);
        nextSymbolSets = Linear(network.Architecture.Hidden, network.Alphabet.SizeWithEos);
        RegisterComponents();
        this.to(network.DataType).to(network.Device);
    }

    /// <summary>The encoder with its LM head, usable as a language model on its own.</summary>
    public SequenceModel Network => network;

    /// <summary>The heads' outputs for strings [B, T] (right-padded) whose lengths are lengths [B] (int64).</summary>
    public RecognizerOutputs Forward(Tensor symbols, Tensor lengths)
    {
        Tensor encodings = network.Encode(symbols);
        long width = encodings.shape[2];
        Tensor whole = encodings.gather(1, lengths.view(-1, 1, 1).expand(-1, 1, width)).squeeze(1);
        return new RecognizerOutputs(recognition.forward(whole).squeeze(1), network.Readout.forward(encodings), nextSymbolSets.forward(encodings));
    }

    /// <summary>The acceptance logit of each string, in length-sorted batches of at most batchSize (fewer when long: <see cref="SymbolBatch.LengthSortedChunks"/>), without gradients. O(Σ|y|) encoder steps.</summary>
    public double[] Logits(IReadOnlyList<int[]> strings, int batchSize = 64)
    {
        var logits = new double[strings.Count];
        eval();
        using var noGrad = no_grad();
        foreach (var (indices, chunk) in SymbolBatch.LengthSortedChunks(strings, batchSize))
        {
            using var scope = NewDisposeScope();
            SymbolBatch batch = SymbolBatch.Create(chunk, network.Alphabet.Eos, network.Device);
            Tensor lengths = tensor(chunk.Select(y => (long)y.Length).ToArray(), dtype: ScalarType.Int64, device: network.Device);
            double[] batchLogits = Forward(batch.Inputs, lengths).Recognition.to(ScalarType.Float64).cpu().data<double>().ToArray();
            for (int i = 0; i < indices.Length; i++)
                logits[indices[i]] = batchLogits[i];
        }
        return logits;
    }

    /// <summary>Whether the recognizer accepts each string: its logit is ≥ 0.</summary>
    public bool[] Accepts(IReadOnlyList<int[]> strings, int batchSize = 64) => [.. Logits(strings, batchSize).Select(logit => logit >= 0)];
}
