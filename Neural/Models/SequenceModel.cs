using TorchSharp;
using TorchSharp.Modules;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Layers;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Neural.Models;

/// <summary>
/// The state of an autoregressive network after a prefix: the encoding hₜ that scores the next symbol,
/// plus whatever the network carries forward (hidden and cell states, or the KV cache). States are
/// values: stepping never changes them, so decoders can fork them.
/// </summary>
public abstract class NetworkState
{
    /// <summary>The encoding enc(y≤ₜ) [D] that the output layer turns into next-symbol scores.</summary>
    public required Tensor Encoding { get; init; }

    /// <summary>Number of symbols consumed.</summary>
    public required int Length { get; init; }
}

/// <summary>
/// A neural LM as a TorchSharp module over an alphabet: an encoder from prefixes to vectors, a linear
/// output layer to scores over Σ̄ = Σ ∪ {EOS}, and softmax or sparsemax. Symbol ids are the alphabet's;
/// a batch is a [B, T] int64 tensor right-padded with any valid id (positions past a string's length are
/// never read for that string's score, because the encoders are causal). Notes §3.1 (D3.x), §5.
/// </summary>
public abstract class SequenceModel : Module
{
    /// <summary>The output layer E, b: scores = E h + b over Σ̄ (EOS last).</summary>
    protected readonly Linear readout;

    /// <summary>Creates the module and its output layer.</summary>
    protected SequenceModel(string name, Alphabet alphabet, NeuralArchitecture architecture) : base(name)
    {
        Alphabet = alphabet;
        Architecture = architecture.Validated();
        readout = Linear(architecture.Hidden, alphabet.SizeWithEos);
    }

    /// <summary>Σ, with EOS.</summary>
    public Alphabet Alphabet { get; }

    /// <summary>The shape of the network.</summary>
    public NeuralArchitecture Architecture { get; }

    /// <summary>The output layer (E is its weight [|Σ̄|, D], b its bias).</summary>
    public Linear Readout => readout;

    /// <summary>The precision the parameters are in (the architecture's, or bfloat16 for a mixed-precision training copy).</summary>
    public ScalarType DataType => readout.weight!.dtype;

    /// <summary>The precision the architecture asks for, which a new network's parameters are converted to.</summary>
    protected ScalarType ArchitectureType => Architecture.Double ? ScalarType.Float64 : ScalarType.Float32;

    /// <summary>The device the parameters are on.</summary>
    public Device Device => readout.weight!.device;

    /// <summary>Encodings of every prefix y≤ₜ, t = 0…T, of the strings in symbols [B, T]: shape [B, T+1, D].</summary>
    public abstract Tensor Encode(Tensor symbols);

    /// <summary>
    /// The capability of this network's shape to encode for K stacked networks in one pass (<see cref="IStackableEncoder"/>),
    /// where it has one: the Elman RNN, LSTM and GRU. Null for the others, which train one network at a time.
    /// </summary>
    public virtual IStackableEncoder? Stackable => null;

    /// <summary>Next-symbol scores after every prefix: [B, T+1, |Σ̄|].</summary>
    public Tensor Scores(Tensor symbols) => readout.forward(Encode(symbols));

    /// <summary>log p(ȳ | y≤ₜ) for every prefix and ȳ ∈ Σ̄: [B, T+1, |Σ̄|].</summary>
    public Tensor LogProbabilities(Tensor symbols) => TensorFunctions.LogProbabilities(Architecture.Output, Scores(symbols));

    /// <summary>The state of the empty prefix.</summary>
    public abstract NetworkState Start();

    /// <summary>The state after appending symbol to the prefix of state. O(D²) for RNNs, O(t·d) per layer for transformers.</summary>
    public abstract NetworkState Step(NetworkState state, int symbol);

    /// <summary>log p(· | prefix) over Σ̄ at a state: [|Σ̄|].</summary>
    public Tensor NextLogProbabilities(NetworkState state) =>
        TensorFunctions.LogProbabilities(Architecture.Output, readout.forward(state.Encoding));

    /// <summary>Moves the module to a device, keeping its precision.</summary>
    public SequenceModel MoveTo(Device device)
    {
        this.to(device);
        return this;
    }

    /// <summary>
    /// The input embedding of a network whose ids run over rows (|Σ|, or |Σ| + 1 with a BOS row): a table of its own, or the
    /// first rows of the output layer when the architecture ties them (<see cref="NeuralArchitecture.TiedEmbeddings"/>).
    /// </summary>
    protected SymbolEmbedding CreateEmbedding(long rows) =>
        Architecture.TiedEmbeddings ? new SymbolEmbedding(rows, readout) : new SymbolEmbedding(rows, Architecture.Hidden);

    /// <summary>The one-symbol batch [1, 1] for an incremental step.</summary>
    protected Tensor SymbolTensor(int symbol) => tensor(new long[] { symbol }, dtype: ScalarType.Int64, device: Device).view(1, 1);
}
