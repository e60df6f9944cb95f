using TorchSharp;
using TorchSharp.Modules;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Layers;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Neural.Models;

/// <summary>
/// An LSTM or GRU LM: a learned symbol embedding into libtorch's multi-layer LSTM/GRU (zero initial
/// state); the top layer's hidden state is the encoding. O(T·L·D²) per string. Notes §5.1.3.
/// </summary>
public sealed class GatedRecurrentNetwork : SequenceModel
{
    private readonly SymbolEmbedding embedding;
    private readonly LSTM? lstm;
    private readonly GRU? gru;

    /// <summary>Creates a randomly initialised LSTM or GRU LM.</summary>
    public GatedRecurrentNetwork(Alphabet alphabet, NeuralArchitecture architecture) : base(nameof(GatedRecurrentNetwork), alphabet, architecture)
    {
        if (architecture.Kind is not (NetworkKind.Lstm or NetworkKind.Gru))
            throw new ArgumentException(Invariant($"a gated recurrent network is an LSTM or a GRU, not {architecture.Kind}"), nameof(architecture));
        embedding = CreateEmbedding(alphabet.Size);
        if (architecture.Kind == NetworkKind.Lstm)
            lstm = LSTM(architecture.Hidden, architecture.Hidden, architecture.Layers, batchFirst: true);
        else
            gru = GRU(architecture.Hidden, architecture.Hidden, architecture.Layers, batchFirst: true);
        RegisterComponents();
        this.to(ArchitectureType);
    }

    /// <summary>The LSTM, when this is one (for gradient and forget-gate studies, P6.4).</summary>
    public LSTM? Lstm => lstm;

    /// <summary>The symbol embeddings [|Σ|, D] fed to the recurrence.</summary>
    public Tensor SymbolEmbeddings => embedding.Weight;

    /// <summary>
    /// Runs the recurrence over symbols from any hidden and cell state (each [layers, 1, D]; the GRU
    /// ignores the cell) and returns the final ones: for Jacobians such as ∂c_T/∂cₜ (P6.4).
    /// </summary>
    public (Tensor Hidden, Tensor Cell) Transition(Tensor hidden, Tensor cell, int[] symbols)
    {
        if (symbols.Length == 0)
            return (hidden, cell);
        Tensor input = embedding.forward(tensor(symbols.Select(s => (long)s).ToArray(), dtype: ScalarType.Int64, device: Device).view(1, -1));
        if (lstm is not null)
        {
            var (_, finalHidden, finalCell) = lstm.forward(input, (hidden, cell));
            return (finalHidden, finalCell);
        }
        var (_, gruHidden) = gru!.forward(input, hidden);
        return (gruHidden, gruHidden);
    }

    /// <inheritdoc />
    public override Tensor Encode(Tensor symbols)
    {
        Tensor start = zeros(symbols.shape[0], 1, Architecture.Hidden, dtype: DataType, device: symbols.device);
        if (symbols.shape[1] == 0)
            return start; // libtorch's RNNs refuse empty sequences; the empty string has only h₀.
        Tensor inputs = embedding.forward(symbols);
        Tensor outputs = lstm is not null ? lstm.forward(inputs).Item1 : gru!.forward(inputs).Item1;
        return cat([start, outputs], 1);
    }

    /// <inheritdoc />
    public override NetworkState Start()
    {
        Tensor state = zeros(Architecture.Layers, 1, Architecture.Hidden, dtype: DataType, device: Device);
        return new GatedState { Encoding = zeros(Architecture.Hidden, dtype: DataType, device: Device), Length = 0, Hidden = state, Cell = state };
    }

    /// <inheritdoc />
    public override NetworkState Step(NetworkState state, int symbol)
    {
        var gated = (GatedState)state;
        using var scope = NewDisposeScope();
        Tensor input = embedding.forward(SymbolTensor(symbol));
        Tensor output, hidden, cell;
        if (lstm is not null)
            (output, hidden, cell) = lstm.forward(input, (gated.Hidden, gated.Cell));
        else
        {
            (output, hidden) = gru!.forward(input, gated.Hidden);
            cell = hidden;
        }
        return new GatedState
        {
            Encoding = output[0, 0].detach().MoveToOuterDisposeScope(),
            Length = state.Length + 1,
            Hidden = hidden.detach().MoveToOuterDisposeScope(),
            Cell = cell.detach().MoveToOuterDisposeScope(),
        };
    }

    private sealed class GatedState : NetworkState
    {
        public required Tensor Hidden { get; init; }

        public required Tensor Cell { get; init; }
    }
}
