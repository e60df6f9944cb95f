using TorchSharp;
using TorchSharp.Modules;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Layers;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Neural.Models;

/// <summary>
/// The nondeterministic stack RNN of DuSell &amp; Chiang (2020; memory-limited as in 2022): a tanh controller
/// hₜ = tanh(W_h hₜ₋₁ + e(yₜ) + W_r rₜ₋₁ + b) that reads the stack's distribution over configurations rₜ₋₁ and emits, for
/// every configuration, a softmax over its transitions (|Q|·|Γ| pushes, |Q|·|Γ| replacements, |Q| pops), which
/// <see cref="NondeterministicStack"/> applies to every run of the pushdown automaton at once. The encoding is hₜ, with
/// h₀ = 0 and r₀ the bottom configuration. O(T·(D² + D·P² + W²·P³)) per string for P = |Q|·|Γ| configurations and
/// window W; the stack is kept in float64 whatever the network's precision.
/// </summary>
public sealed class NondeterministicStackRnnNetwork : SequenceModel
{
    private readonly SymbolEmbedding embedding;
    private readonly Linear recurrence;
    private readonly Linear stackRead;
    private readonly Linear transitions;
    private readonly int configurations;
    private readonly int states;
    private readonly int window;

    /// <summary>Creates a randomly initialised network (seed libtorch first for reproducibility).</summary>
    /// <exception cref="ArgumentException">The architecture is not of the <see cref="NetworkKind.NsRnn"/> kind.</exception>
    public NondeterministicStackRnnNetwork(Alphabet alphabet, NeuralArchitecture architecture) : base(nameof(NondeterministicStackRnnNetwork), alphabet, architecture)
    {
        if (architecture.Kind != NetworkKind.NsRnn)
            throw new ArgumentException(Invariant($"a nondeterministic stack RNN needs the {NetworkKind.NsRnn} kind, not {architecture.Kind}"), nameof(architecture));
        int hidden = architecture.Hidden;
        states = architecture.StackStates;
        configurations = states * architecture.StackSymbols;
        window = architecture.StackWindow + 1;
        embedding = CreateEmbedding(alphabet.Size);
        recurrence = Linear(hidden, hidden);
        stackRead = Linear(configurations, hidden, hasBias: false);
        transitions = Linear(hidden, configurations * (2 * configurations + states));
        RegisterComponents();
        this.to(ArchitectureType);
    }

    /// <inheritdoc />
    public override Tensor Encode(Tensor symbols)
    {
        Tensor inputs = embedding.forward(symbols);
        long batch = symbols.shape[0], length = symbols.shape[1];
        Tensor hidden = zeros(batch, Architecture.Hidden, dtype: DataType, device: symbols.device);
        var (inner, forward) = NondeterministicStack.Initial(batch, configurations, symbols.device);
        var encodings = new List<Tensor>((int)length + 1) { hidden };
        // Without a graph to keep (scoring), each step's tables are freed as soon as the next exist: a batch of long strings
        // would otherwise hold T tables of B·S²·P² weights until its scope ends.
        bool recording = is_grad_enabled();
        for (long t = 0; t < length; t++)
        {
            using var step = recording ? null : NewDisposeScope();
            var (previousInner, previousForward) = (inner, forward);
            (hidden, inner, forward) = Cell(hidden, inner, forward, inputs.select(1, t));
            encodings.Add(hidden);
            if (step is null) continue;
            hidden.MoveToOuterDisposeScope();
            inner.MoveToOuterDisposeScope();
            forward.MoveToOuterDisposeScope();
            previousInner.Dispose();
            previousForward.Dispose();
        }
        return stack(encodings, dim: 1);
    }

    /// <inheritdoc />
    public override NetworkBatch StartBatch(int count)
    {
        var (inner, forward) = NondeterministicStack.Initial(count, configurations, Device);
        return new StackBatch { Encodings = zeros(count, Architecture.Hidden, dtype: DataType, device: Device), Length = 0, Inner = inner, Forward = forward };
    }

    /// <inheritdoc />
    public override NetworkBatch StepBatch(NetworkBatch batch, long[] symbols)
    {
        var previous = (StackBatch)batch;
        using var scope = NewDisposeScope();
        var (hidden, inner, forward) = Cell(previous.Encodings, previous.Inner, previous.Forward, embedding.forward(SymbolColumn(symbols)).select(1, 0));
        return new StackBatch
        {
            Encodings = hidden.detach().MoveToOuterDisposeScope(),
            Length = batch.Length + 1,
            Inner = inner.detach().MoveToOuterDisposeScope(),
            Forward = forward.detach().MoveToOuterDisposeScope(),
        };
    }

    // One step on a batch: the controller reads the stack, then its transitions move every run.
    private (Tensor Hidden, Tensor Inner, Tensor Forward) Cell(Tensor hidden, Tensor inner, Tensor forward, Tensor symbolInput)
    {
        Tensor reading = NondeterministicStack.Reading(forward).to(DataType);
        Tensor next = tanh(recurrence.forward(hidden) + symbolInput + stackRead.forward(reading));
        Tensor weights = softmax(transitions.forward(next).view(-1, configurations, 2 * configurations + states), -1).to(ScalarType.Float64);
        var (nextInner, nextForward) = NondeterministicStack.Step(inner, forward,
            weights.narrow(-1, 0, configurations), weights.narrow(-1, configurations, configurations), weights.narrow(-1, 2 * configurations, states), window);
        return (next, nextInner, nextForward);
    }

    private sealed class StackBatch : NetworkBatch
    {
        public required Tensor Inner { get; init; }

        public required Tensor Forward { get; init; }

        protected override IEnumerable<Tensor> Carried => [Inner, Forward];

        protected internal override NetworkBatch Rows(Tensor indices) => new StackBatch
        {
            Encodings = Encodings.index_select(0, indices),
            Length = Length,
            Inner = Inner.index_select(0, indices),
            Forward = Forward.index_select(0, indices),
        };
    }
}
