using TorchSharp;
using TorchSharp.Modules;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Neural.Models;

/// <summary>
/// The stack-augmented RNN of Joulin &amp; Mikolov 2015, one of the memory-augmented networks Delétang et al. 2023
/// compare: a tanh recurrence that also reads the top cell of a differentiable stack,
/// hₜ = tanh(W_x e(yₜ) + W_h hₜ₋₁ + W_s sₜ₋₁[0] + b), then soft actions (push, pop, no-op) = softmax(A hₜ) and a pushed
/// value v = tanh(W_v hₜ) update every cell at once — sₜ[i] = push·sₜ₋₁[i−1] + pop·sₜ₋₁[i+1] + no-op·sₜ₋₁[i], with
/// sₜ₋₁[−1] = v and the cell below the bottom 0. The stack has <see cref="NeuralArchitecture.StackDepth"/> cells of
/// <see cref="NeuralArchitecture.StackCell"/> values (what falls off the bottom is lost); the encoding is hₜ, with h₀ = 0
/// and an empty stack. O(T·(D² + D·m + K·m)) per string.
/// </summary>
public sealed class StackRnnNetwork : SequenceModel
{
    private readonly Embedding embedding;
    private readonly Linear recurrence;
    private readonly Linear stackRead;
    private readonly Linear actions;
    private readonly Linear pushed;

    /// <summary>Creates a randomly initialised network (libtorch's default initialisation; seed with torch.manual_seed).</summary>
    public StackRnnNetwork(Alphabet alphabet, NeuralArchitecture architecture) : base(nameof(StackRnnNetwork), alphabet, architecture)
    {
        if (architecture.Kind != NetworkKind.StackRnn)
            throw new ArgumentException(Invariant($"a stack RNN network needs the stackrnn kind, not {architecture.Kind}"), nameof(architecture));
        int hidden = architecture.Hidden, cell = architecture.StackCell;
        embedding = Embedding(alphabet.Size, hidden);
        recurrence = Linear(hidden, hidden);
        stackRead = Linear(cell, hidden, hasBias: false);
        actions = Linear(hidden, 3);
        pushed = Linear(hidden, cell);
        RegisterComponents();
        this.to(DataType);
    }

    /// <inheritdoc />
    public override Tensor Encode(Tensor symbols)
    {
        Tensor inputs = embedding.forward(symbols);
        long batch = symbols.shape[0], length = symbols.shape[1];
        Tensor hidden = zeros(batch, Architecture.Hidden, dtype: DataType, device: symbols.device);
        Tensor memory = zeros(batch, Architecture.StackDepth, Architecture.StackCell, dtype: DataType, device: symbols.device);
        var states = new List<Tensor>((int)length + 1) { hidden };
        for (long t = 0; t < length; t++)
        {
            (hidden, memory) = Cell(hidden, memory, inputs.select(1, t));
            states.Add(hidden);
        }
        return stack(states, dim: 1);
    }

    /// <inheritdoc />
    public override NetworkState Start() => new StackState
    {
        Encoding = zeros(Architecture.Hidden, dtype: DataType, device: Device),
        Length = 0,
        Memory = zeros(1, Architecture.StackDepth, Architecture.StackCell, dtype: DataType, device: Device),
    };

    /// <inheritdoc />
    public override NetworkState Step(NetworkState state, int symbol)
    {
        var previous = (StackState)state;
        using var scope = NewDisposeScope();
        var (hidden, memory) = Cell(previous.Encoding.unsqueeze(0), previous.Memory, embedding.forward(SymbolTensor(symbol)).select(1, 0));
        return new StackState
        {
            Encoding = hidden[0].detach().MoveToOuterDisposeScope(),
            Length = state.Length + 1,
            Memory = memory.detach().MoveToOuterDisposeScope(),
        };
    }

    // One step on a batch: hidden [B, D], memory [B, K, m], the symbol's embedding [B, D].
    private (Tensor Hidden, Tensor Memory) Cell(Tensor hidden, Tensor memory, Tensor symbolInput)
    {
        Tensor next = tanh(recurrence.forward(hidden) + symbolInput + stackRead.forward(memory.select(1, 0)));
        Tensor weights = softmax(actions.forward(next), -1).unsqueeze(-1);   // [B, 3, 1]: push, pop, no-op
        Tensor value = tanh(pushed.forward(next)).unsqueeze(1);              // [B, 1, m]
        long depth = Architecture.StackDepth;
        Tensor pushedStack = cat([value, memory.narrow(1, 0, depth - 1)], 1);
        Tensor poppedStack = cat([memory.narrow(1, 1, depth - 1), zeros_like(value)], 1);
        Tensor updated = weights.narrow(1, 0, 1) * pushedStack + weights.narrow(1, 1, 1) * poppedStack + weights.narrow(1, 2, 1) * memory;
        return (next, updated);
    }

    private sealed class StackState : NetworkState
    {
        public required Tensor Memory { get; init; }
    }
}
