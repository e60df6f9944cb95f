using TorchSharp;
using TorchSharp.Modules;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Layers;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Neural.Models;

/// <summary>
/// An LSTM, GRU or multi-layer tanh RNN LM: a learned symbol embedding into libtorch's multi-layer LSTM, GRU or RNN (zero
/// initial state); the top layer's hidden state is the encoding. O(T·L·D²) per string. Notes §5.1.2–5.1.3.
/// </summary>
public sealed class LibtorchRecurrentNetwork : SequenceModel, IStackableEncoder
{
    private readonly SymbolEmbedding embedding;
    private readonly LSTM? lstm;
    private readonly GRU? gru;
    private readonly RNN? rnn;

    /// <summary>Creates a randomly initialised LSTM, GRU or tanh RNN LM.</summary>
    public LibtorchRecurrentNetwork(Alphabet alphabet, NeuralArchitecture architecture) : base(nameof(LibtorchRecurrentNetwork), alphabet, architecture)
    {
        embedding = CreateEmbedding(alphabet.Size);
        switch (architecture.Kind)
        {
            case NetworkKind.Lstm:
                lstm = LSTM(architecture.Hidden, architecture.Hidden, architecture.Layers, batchFirst: true);
                break;
            case NetworkKind.Gru:
                gru = GRU(architecture.Hidden, architecture.Hidden, architecture.Layers, batchFirst: true);
                break;
            case NetworkKind.Rnn:
                rnn = RNN(architecture.Hidden, architecture.Hidden, architecture.Layers, NonLinearities.Tanh, batchFirst: true);
                break;
            default:
                throw new ArgumentException(Invariant($"libtorch's recurrent layers are an LSTM, a GRU or a tanh RNN, not {architecture.Kind}"), nameof(architecture));
        }
        RegisterComponents();
        this.to(ArchitectureType);
    }

    /// <summary>The LSTM, when this is one (for gradient and forget-gate studies, P6.4).</summary>
    public LSTM? Lstm => lstm;

    /// <summary>The symbol embeddings [|Σ|, D] fed to the recurrence.</summary>
    public Tensor SymbolEmbeddings => embedding.Weight;

    /// <summary>
    /// Runs the recurrence over symbols from any hidden and cell state (each [layers, 1, D]; the GRU and the RNN
    /// ignore the cell) and returns the final ones: for Jacobians such as ∂c_T/∂cₜ (P6.4).
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
        var (_, finalState) = Ungated(input, hidden);
        return (finalState, finalState);
    }

    /// <inheritdoc />
    public override Tensor Encode(Tensor symbols)
    {
        Tensor start = zeros(symbols.shape[0], 1, Architecture.Hidden, dtype: DataType, device: symbols.device);
        if (symbols.shape[1] == 0)
            return start; // libtorch's RNNs refuse empty sequences; the empty string has only h₀.
        Tensor inputs = embedding.forward(symbols);
        Tensor outputs = lstm is not null ? lstm.forward(inputs).Item1 : Ungated(inputs, null).Output;
        return cat([start, outputs], 1);
    }

    /// <inheritdoc />
    public override IStackableEncoder Stackable => this;

    /// <summary>The symbol embeddings, then per layer libtorch's W_ih, W_hh, b_ih and b_hh (gates i, f, g, o for the LSTM; r, z, n for the GRU; one block for the RNN).</summary>
    public IReadOnlyList<Tensor> EncoderWeights
    {
        get
        {
            var named = ((Module?)lstm ?? (Module?)gru ?? rnn)!.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
            return [embedding.Weight, .. Enumerable.Range(0, Architecture.Layers)
                .SelectMany(l => new[] { "weight_ih", "weight_hh", "bias_ih", "bias_hh" }.Select(role => named[Invariant($"{role}_l{l}")]))];
        }
    }

    /// <summary>
    /// The LSTM (cₜ = f ⊙ cₜ₋₁ + i ⊙ g, hₜ = o ⊙ tanh cₜ), GRU (hₜ = (1 − z) ⊙ n + z ⊙ hₜ₋₁, n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)))
    /// or RNN (hₜ = tanh(W_ih x + b_ih + W_hh hₜ₋₁ + b_hh)) recurrence of libtorch, layer by layer from zero states, for every stacked network: what <see cref="Encode"/> computes.
    /// </summary>
    public Tensor EncodeStacked(IReadOnlyList<Tensor> stackedWeights, Tensor symbols)
    {
        long count = symbols.shape[0], batch = symbols.shape[1], length = symbols.shape[2];
        Tensor start = zeros(count, batch, 1, Architecture.Hidden, dtype: stackedWeights[0].dtype, device: symbols.device);
        if (length == 0)
            return start;
        Tensor layerInput = StackedTensors.Lookup(stackedWeights[0], symbols);
        for (int layer = 0; layer < Architecture.Layers; layer++)
        {
            Tensor inputBiases = stackedWeights[3 + 4 * layer], recurrenceBiases = stackedWeights[4 + 4 * layer];
            // The input projection for all steps at once; unbind, not select per step, because select's backward would write a
            // full-size gradient at every step (O(T²) memory traffic).
            Tensor[] projected = StackedTensors.Linear(layerInput, stackedWeights[1 + 4 * layer], inputBiases).unbind(2);
            Tensor transposedRecurrence = stackedWeights[2 + 4 * layer].transpose(1, 2);
            Tensor hidden = start.select(2, 0), cell = hidden;
            var outputs = new List<Tensor>((int)length);
            foreach (Tensor fromInput in projected)
            {
                // bmm then add: TorchSharp 0.107's baddbmm does not take its arguments in libtorch's order.
                Tensor fromHidden = hidden.bmm(transposedRecurrence).add(recurrenceBiases.unsqueeze(1));
                (hidden, cell) = lstm is not null ? LstmCell(fromHidden.add(fromInput), cell)
                    : gru is not null ? (GruCell(fromInput, fromHidden, hidden), cell)
                    : (fromHidden.add(fromInput).tanh(), cell);
                outputs.Add(hidden);
            }
            layerInput = stack(outputs, dim: 2);
        }
        return cat([start, layerInput], 2);
    }

    /// <summary>One LSTM step from the pre-activations [K, B, 4D] of the gates i, f, g, o.</summary>
    private static (Tensor Hidden, Tensor Cell) LstmCell(Tensor gates, Tensor cell)
    {
        Tensor[] parts = gates.chunk(4, -1);
        Tensor next = parts[1].sigmoid().mul(cell).add(parts[0].sigmoid().mul(parts[2].tanh()));
        return (parts[3].sigmoid().mul(next.tanh()), next);
    }

    private static Tensor GruCell(Tensor fromInput, Tensor fromHidden, Tensor hidden)
    {
        Tensor[] input = fromInput.chunk(3, -1), recurrent = fromHidden.chunk(3, -1);
        Tensor reset = input[0].add(recurrent[0]).sigmoid(), update = input[1].add(recurrent[1]).sigmoid();
        Tensor candidate = input[2].add(reset.mul(recurrent[2])).tanh();
        return candidate.add(update.mul(hidden.sub(candidate)));
    }

    /// <inheritdoc />
    public override NetworkBatch StartBatch(int count)
    {
        Tensor state = zeros(Architecture.Layers, count, Architecture.Hidden, dtype: DataType, device: Device);
        return new RecurrentBatch { Encodings = zeros(count, Architecture.Hidden, dtype: DataType, device: Device), Length = 0, Hidden = state, Cell = state };
    }

    /// <inheritdoc />
    public override NetworkBatch StepBatch(NetworkBatch batch, long[] symbols)
    {
        var recurrent = (RecurrentBatch)batch;
        using var scope = NewDisposeScope();
        Tensor input = embedding.forward(SymbolColumn(symbols));
        Tensor output, hidden, cell;
        if (lstm is not null)
            (output, hidden, cell) = lstm.forward(input, (recurrent.Hidden, recurrent.Cell));
        else
        {
            (output, hidden) = Ungated(input, recurrent.Hidden);
            cell = hidden;
        }
        Tensor kept = hidden.detach().MoveToOuterDisposeScope();
        return new RecurrentBatch
        {
            Encodings = output.select(1, 0).detach().MoveToOuterDisposeScope(),
            Length = batch.Length + 1,
            Hidden = kept,
            Cell = lstm is null ? kept : cell.detach().MoveToOuterDisposeScope(),
        };
    }

    // libtorch's GRU or RNN over inputs [B, T, D] from a state [layers, B, D] (zeros when null): the top layer's outputs and the final state.
    private (Tensor Output, Tensor State) Ungated(Tensor inputs, Tensor? state) =>
        gru is not null ? gru.forward(inputs, state) : rnn!.forward(inputs, state);

    // The GRU and the RNN have no cell state: Cell is Hidden itself.
    private sealed class RecurrentBatch : NetworkBatch
    {
        public required Tensor Hidden { get; init; }

        public required Tensor Cell { get; init; }

        protected override IEnumerable<Tensor> Carried => [Hidden, Cell];

        // The states are [layers, B, D]: their rows are along dimension 1.
        protected internal override NetworkBatch Rows(Tensor indices)
        {
            Tensor hidden = Hidden.index_select(1, indices);
            return new RecurrentBatch
            {
                Encodings = Encodings.index_select(0, indices),
                Length = Length,
                Hidden = hidden,
                Cell = ReferenceEquals(Cell, Hidden) ? hidden : Cell.index_select(1, indices),
            };
        }
    }
}
