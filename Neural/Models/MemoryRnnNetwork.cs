using TorchSharp;
using TorchSharp.Modules;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Layers;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Neural.Models;

/// <summary>
/// A tanh RNN with a differentiable external memory of <see cref="NeuralArchitecture.StackDepth"/> cells of
/// <see cref="NeuralArchitecture.StackCell"/> values (Delétang et al. 2023's memory-augmented networks):
/// hₜ = tanh(W_x e(yₜ) + W_h hₜ₋₁ + W_r mₜ₋₁[0] + b) reads cell 0 of the memory (the stack's top, the tape's head), then soft
/// actions softmax(A hₜ) and a written value v = tanh(W_v hₜ) update the memory as the subclass defines. The encoding is hₜ,
/// with h₀ = 0 and an all-zero memory. O(T·(D² + D·m + K·m)) per string.
/// </summary>
public abstract class MemoryRnnNetwork : SequenceModel
{
    private readonly SymbolEmbedding embedding;
    private readonly Linear recurrence;
    private readonly Linear memoryRead;
    private readonly Linear actions;
    private readonly Linear written;

    /// <summary>Creates a randomly initialised network with the given number of soft actions.</summary>
    protected MemoryRnnNetwork(string name, Alphabet alphabet, NeuralArchitecture architecture, NetworkKind kind, int actionCount) : base(name, alphabet, architecture)
    {
        if (architecture.Kind != kind)
            throw new ArgumentException(Invariant($"a {name} needs the {kind} kind, not {architecture.Kind}"), nameof(architecture));
        int hidden = architecture.Hidden, cell = architecture.StackCell;
        embedding = CreateEmbedding(alphabet.Size);
        recurrence = Linear(hidden, hidden);
        memoryRead = Linear(cell, hidden, hasBias: false);
        actions = Linear(hidden, actionCount);
        written = Linear(hidden, cell);
        RegisterComponents();
        this.to(ArchitectureType);
    }

    /// <inheritdoc />
    public override Tensor Encode(Tensor symbols)
    {
        // unbind, not select per step: select's backward would write a full-size gradient at every step (O(T²) memory traffic).
        Tensor[] inputs = embedding.forward(symbols).unbind(1);
        long batch = symbols.shape[0];
        Tensor hidden = zeros(batch, Architecture.Hidden, dtype: DataType, device: symbols.device);
        Tensor memory = zeros(batch, Architecture.StackDepth, Architecture.StackCell, dtype: DataType, device: symbols.device);
        var states = new List<Tensor>(inputs.Length + 1) { hidden };
        foreach (Tensor symbolInput in inputs)
        {
            (hidden, memory) = Cell(hidden, memory, symbolInput);
            states.Add(hidden);
        }
        return stack(states, dim: 1);
    }

    /// <inheritdoc />
    public override NetworkBatch StartBatch(int count) => new MemoryBatch
    {
        Encodings = zeros(count, Architecture.Hidden, dtype: DataType, device: Device),
        Length = 0,
        Memory = zeros(count, Architecture.StackDepth, Architecture.StackCell, dtype: DataType, device: Device),
    };

    /// <inheritdoc />
    public override NetworkBatch StepBatch(NetworkBatch batch, long[] symbols)
    {
        var previous = (MemoryBatch)batch;
        using var scope = NewDisposeScope();
        var (hidden, memory) = Cell(previous.Encodings, previous.Memory, embedding.forward(SymbolColumn(symbols)).select(1, 0));
        return new MemoryBatch
        {
            Encodings = hidden.detach().MoveToOuterDisposeScope(),
            Length = batch.Length + 1,
            Memory = memory.detach().MoveToOuterDisposeScope(),
        };
    }

    /// <summary>The memory after the soft actions: memory [B, K, m], action weights [B, actions, 1] (rows sum to 1), the written value [B, 1, m].</summary>
    protected abstract Tensor Update(Tensor memory, Tensor weights, Tensor value);

    /// <summary>The weight [B, 1, 1] of action i.</summary>
    protected static Tensor Action(Tensor weights, int i) => weights.narrow(1, i, 1);

    // One step on a batch: hidden [B, D], memory [B, K, m], the symbol's embedding [B, D].
    private (Tensor Hidden, Tensor Memory) Cell(Tensor hidden, Tensor memory, Tensor symbolInput)
    {
        Tensor next = tanh(recurrence.forward(hidden) + symbolInput + memoryRead.forward(memory.select(1, 0)));
        Tensor weights = softmax(actions.forward(next), -1).unsqueeze(-1);
        Tensor value = tanh(written.forward(next)).unsqueeze(1);
        return (next, Update(memory, weights, value));
    }

    private sealed class MemoryBatch : NetworkBatch
    {
        public required Tensor Memory { get; init; }

        protected override IEnumerable<Tensor> Carried => [Memory];

        protected internal override NetworkBatch Rows(Tensor indices) =>
            new MemoryBatch { Encodings = Encodings.index_select(0, indices), Length = Length, Memory = Memory.index_select(0, indices) };
    }
}

/// <summary>
/// The stack-augmented RNN of Joulin &amp; Mikolov 2015: the memory is a stack whose top is cell 0, and the soft actions
/// (push, pop, no-op) update every cell at once — sₜ[i] = push·sₜ₋₁[i−1] + pop·sₜ₋₁[i+1] + no-op·sₜ₋₁[i], with sₜ₋₁[−1] = v
/// and the cell below the bottom 0 (what falls off the bottom is lost).
/// </summary>
public sealed class StackRnnNetwork(Alphabet alphabet, NeuralArchitecture architecture)
    : MemoryRnnNetwork(nameof(StackRnnNetwork), alphabet, architecture, NetworkKind.StackRnn, 3)
{
    /// <inheritdoc />
    protected override Tensor Update(Tensor memory, Tensor weights, Tensor value) => Updated(memory, weights, value);

    /// <summary>The stack after the soft push, pop and no-op: memory [B, K, m] (top first), weights [B, 3, 1], pushed value [B, 1, m].</summary>
    public static Tensor Updated(Tensor memory, Tensor weights, Tensor value)
    {
        long depth = memory.shape[1];
        Tensor pushedStack = cat([value, memory.narrow(1, 0, depth - 1)], 1);
        Tensor poppedStack = cat([memory.narrow(1, 1, depth - 1), zeros_like(value)], 1);
        return Action(weights, 0) * pushedStack + Action(weights, 1) * poppedStack + Action(weights, 2) * memory;
    }
}

/// <summary>
/// The tape RNN of Delétang et al. 2023: the memory is a circular tape whose head cell is cell 0, and the soft actions are
/// write-and-stay, write-and-move-left, write-and-move-right and no-op — the tape after writing v at the head, rolled by
/// 0, +1 or −1 cells, or the tape unchanged. The paper's two jump actions move the head by the length of the task's input,
/// which a causal language model does not know; they are left out.
/// </summary>
public sealed class TapeRnnNetwork(Alphabet alphabet, NeuralArchitecture architecture)
    : MemoryRnnNetwork(nameof(TapeRnnNetwork), alphabet, architecture, NetworkKind.TapeRnn, 4)
{
    /// <inheritdoc />
    protected override Tensor Update(Tensor memory, Tensor weights, Tensor value) => Updated(memory, weights, value);

    /// <summary>The tape after the soft write-stay, write-left, write-right and no-op: memory [B, K, m] (head first), weights [B, 4, 1], written value [B, 1, m].</summary>
    public static Tensor Updated(Tensor memory, Tensor weights, Tensor value)
    {
        long cells = memory.shape[1];
        Tensor writtenTape = cat([value, memory.narrow(1, 1, cells - 1)], 1);
        // Moving the head left brings the cell to its left under it: the tape rolls one cell towards higher indices.
        Tensor left = writtenTape.roll(1, 1), right = writtenTape.roll(-1, 1);
        return Action(weights, 0) * writtenTape + Action(weights, 1) * left + Action(weights, 2) * right + Action(weights, 3) * memory;
    }
}
