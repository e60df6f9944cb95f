using TorchSharp;
using TorchSharp.Modules;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Layers;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Neural.Models;

/// <summary>
/// The states of B prefixes of one length, advanced together: the encodings hₜ [B, D] that score the next symbols, plus
/// whatever each network carries forward per row (hidden and cell states, a stack or tape, the KV cache). Batches are values:
/// stepping or selecting never changes them (a KV cache is appended in place only by the batch that owns its last position).
/// </summary>
public abstract class NetworkBatch
{
    /// <summary>The encodings enc(y≤ₜ) [B, D], one row per prefix.</summary>
    public required Tensor Encodings { get; init; }

    /// <summary>The number of symbols every prefix has consumed.</summary>
    public required int Length { get; init; }

    /// <summary>The tensors the batch carries besides <see cref="Encodings"/>.</summary>
    protected abstract IEnumerable<Tensor> Carried { get; }

    /// <summary>Every tensor of the batch, each once.</summary>
    internal IEnumerable<Tensor> Tensors => Carried.Prepend(Encodings).Distinct<Tensor>(ReferenceEqualityComparer.Instance);

    /// <summary>The batch of the prefixes indices (int64 on the batch's device, in that order): every tensor cut to those rows.</summary>
    protected internal abstract NetworkBatch Rows(Tensor indices);

    /// <summary>
    /// Frees this batch's tensors that later, a batch stepped or selected from it, does not share (all of them when later is
    /// null). For the owner of a chain of batches that will not use this one again (a sampler); forks of a prefix must not
    /// call it. O(tensors).
    /// </summary>
    public void DisposeUnsharedWith(NetworkBatch? later)
    {
        var kept = new HashSet<Tensor>(later is null ? [] : later.Tensors, ReferenceEqualityComparer.Instance);
        foreach (Tensor tensor in Tensors)
            if (!kept.Contains(tensor))
                tensor.Dispose();
    }
}

/// <summary>
/// The state of an autoregressive network after one prefix: the encoding hₜ that scores the next symbol, and the batch of
/// one row that carries the rest. States are values: stepping never changes them, so decoders can fork them.
/// </summary>
public sealed class NetworkState
{
    internal NetworkState(NetworkBatch batch)
    {
        Batch = batch;
        Encoding = batch.Encodings[0];
    }

    /// <summary>The encoding enc(y≤ₜ) [D] that the output layer turns into next-symbol scores.</summary>
    public Tensor Encoding { get; }

    /// <summary>Number of symbols consumed.</summary>
    public int Length => Batch.Length;

    /// <summary>The batch of one prefix this state is.</summary>
    internal NetworkBatch Batch { get; }
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
    /// Encodings of a padded batch's prefixes [B, T+1, D]: those of <see cref="Encode(Tensor)"/> on batch.Inputs at the
    /// positions batch.Mask marks; a padded position holds zeros or what the padded pass gives there, so read the result
    /// through the mask only. A network whose cost grows with the padded positions skips them (the transformer).
    /// </summary>
    public virtual Tensor Encode(SymbolBatch batch) => Encode(batch.Inputs);

    /// <summary>
    /// The capability of this network's shape to encode for K stacked networks in one pass (<see cref="IStackableEncoder"/>),
    /// where it has one: the Elman RNN, LSTM and GRU. Null for the others, which train one network at a time.
    /// </summary>
    public virtual IStackableEncoder? Stackable => null;

    /// <summary>Next-symbol scores after every prefix: [B, T+1, |Σ̄|].</summary>
    public Tensor Scores(Tensor symbols) => readout.forward(Encode(symbols));

    /// <summary>log p(ȳ | y≤ₜ) for every prefix and ȳ ∈ Σ̄: [B, T+1, |Σ̄|].</summary>
    public Tensor LogProbabilities(Tensor symbols) => TensorFunctions.LogProbabilities(Architecture.Output, Scores(symbols));

    /// <summary>log p(ȳ | y≤ₜ) for every prefix of a padded batch, [B, T+1, |Σ̄|], meaningful where batch.Mask is true (<see cref="Encode(SymbolBatch)"/>).</summary>
    public Tensor LogProbabilities(SymbolBatch batch) => TensorFunctions.LogProbabilities(Architecture.Output, readout.forward(Encode(batch)));

    /// <summary>The state of the empty prefix: <see cref="StartBatch"/> of one row.</summary>
    public NetworkState Start() => new(StartBatch(1));

    /// <summary>The state after appending symbol to the prefix of state: <see cref="StepBatch"/> of one row. O(D²) for RNNs, O(t·d) per layer for transformers.</summary>
    public NetworkState Step(NetworkState state, int symbol) => new(StepBatch(state.Batch, [symbol]));

    /// <summary>count copies of the empty prefix.</summary>
    public abstract NetworkBatch StartBatch(int count);

    /// <summary>
    /// The batch after appending symbols[i] to prefix i (one id of Σ per row): one step of the network on B rows, which costs
    /// about what one row costs while B·D is small, so that B prefixes advance in lock-step for the price of one.
    /// </summary>
    public abstract NetworkBatch StepBatch(NetworkBatch batch, long[] symbols);

    /// <summary>The prefixes rows (indices into batch, in that order), for a batch whose other prefixes are done. O(rows·state).</summary>
    public NetworkBatch SelectRows(NetworkBatch batch, long[] rows)
    {
        using var scope = NewDisposeScope();
        NetworkBatch selected = batch.Rows(tensor(rows, dtype: ScalarType.Int64, device: Device));
        foreach (Tensor kept in selected.Tensors)
            kept.MoveToOuterDisposeScope();
        return selected;
    }

    /// <summary>log p(· | prefix) over Σ̄ at a state: [|Σ̄|].</summary>
    public Tensor NextLogProbabilities(NetworkState state) =>
        TensorFunctions.LogProbabilities(Architecture.Output, readout.forward(state.Encoding));

    /// <summary>log p(· | prefix) over Σ̄ for every prefix of a batch: [B, |Σ̄|].</summary>
    public Tensor NextLogProbabilities(NetworkBatch batch) =>
        TensorFunctions.LogProbabilities(Architecture.Output, readout.forward(batch.Encodings));

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

    /// <summary>The symbols of a batch step as a column [B, 1] of ids on the network's device.</summary>
    protected Tensor SymbolColumn(long[] symbols) => tensor(symbols, dtype: ScalarType.Int64, device: Device).view(-1, 1);
}
