using TorchSharp;
using TorchSharp.Modules;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Layers;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Neural.Models;

/// <summary>
/// An Elman RNN LM with a hand-written cell hₜ = σ(U hₜ₋₁ + V·onehot(yₜ) + b), h₀ fixed, σ ∈ {tanh,
/// sigmoid, ReLU, Heaviside, saturated sigmoid}. Every parameter is reachable, so networks can be set by
/// hand (the constructions of §5.2). O(T·D²) per string. Notes §5.1.2 (D5.1.x), §5.2.
/// </summary>
public sealed class ElmanNetwork : SequenceModel, IStackableEncoder
{
    private readonly SymbolEmbedding input;
    private readonly Linear recurrence;
    private readonly Parameter bias;
    private readonly Tensor initial;

    /// <summary>Creates a randomly initialised network (libtorch's default initialisation; seed with torch.manual_seed).</summary>
    public ElmanNetwork(Alphabet alphabet, NeuralArchitecture architecture) : base(nameof(ElmanNetwork), alphabet, architecture)
    {
        int hidden = architecture.Hidden;
        input = CreateEmbedding(alphabet.Size);
        recurrence = Linear(hidden, hidden, hasBias: false);
        double scale = 1 / Math.Sqrt(hidden);
        bias = Parameter(empty(hidden).uniform_(-scale, scale));
        initial = zeros(hidden);
        register_buffer(nameof(initial), initial);
        RegisterComponents();
        this.to(ArchitectureType);
    }

    /// <summary>U [D, D].</summary>
    public Tensor Recurrence => recurrence.weight!;

    /// <summary>V, stored as one row per input symbol: [|Σ|, D] (V·onehot(y) is row y).</summary>
    public Tensor InputWeights => input.Weight;

    /// <summary>b [D].</summary>
    public Tensor Bias => bias;

    /// <summary>h₀ [D] (a buffer, saved with the model).</summary>
    public Tensor InitialHidden => get_buffer(nameof(initial))!;

    /// <summary>A network with the given weights (sizes must match the architecture and alphabet).</summary>
    /// <exception cref="ArgumentException">A weight has the wrong shape, or the architecture ties V to E (which separate weights would contradict).</exception>
    public static ElmanNetwork FromWeights(Alphabet alphabet, NeuralArchitecture architecture, ElmanWeights weights)
    {
        if (architecture.TiedEmbeddings)
            throw new ArgumentException("a network with tied embeddings takes V from E: give an untied architecture for separate weights", nameof(architecture));
        var network = new ElmanNetwork(alphabet, architecture);
        int hidden = architecture.Hidden;
        RequireShape(weights.Recurrence, hidden, hidden, "U");
        RequireShape(weights.Input, alphabet.Size, hidden, "V");
        RequireShape(weights.Output, alphabet.SizeWithEos, hidden, "E");
        if (weights.Bias.Length != hidden || weights.Initial.Length != hidden || weights.OutputBias.Length != alphabet.SizeWithEos)
            throw new ArgumentException(Invariant($"b and h₀ need {hidden} entries and c needs {alphabet.SizeWithEos}"), nameof(weights));
        using var noGrad = no_grad();
        ScalarType type = network.DataType;
        network.recurrence.weight!.copy_(tensor(weights.Recurrence, dtype: type));
        network.input.Weight.copy_(tensor(weights.Input, dtype: type));
        network.bias.copy_(tensor(weights.Bias, dtype: type));
        network.InitialHidden.copy_(tensor(weights.Initial, dtype: type));
        network.readout.weight!.copy_(tensor(weights.Output, dtype: type));
        network.readout.bias!.copy_(tensor(weights.OutputBias, dtype: type));
        return network;
    }

    /// <summary>The network's weights as arrays (a copy, in float64).</summary>
    public ElmanWeights Weights()
    {
        using var noGrad = no_grad();
        double[] Vector(Tensor x) => x.to(ScalarType.Float64).cpu().data<double>().ToArray();
        return new ElmanWeights(
            Tightness.NeuralTightness.Matrix(recurrence.weight!), Tightness.NeuralTightness.Matrix(input.Weight), Vector(bias),
            Vector(InitialHidden), Tightness.NeuralTightness.Matrix(readout.weight!), Vector(readout.bias!));
    }

    /// <summary>One transition hₜ = σ(U hₜ₋₁ + V_y + b) from any hidden vector [D] (for Jacobians and constructions).</summary>
    public Tensor Transition(Tensor hidden, int symbol) =>
        Cell(hidden.unsqueeze(0), input.forward(SymbolColumn([symbol])).select(1, 0)).squeeze(0);

    private static void RequireShape(double[,] matrix, int rows, int columns, string name)
    {
        if (matrix.GetLength(0) != rows || matrix.GetLength(1) != columns)
            throw new ArgumentException(Invariant($"{name} must be {rows}×{columns}, not {matrix.GetLength(0)}×{matrix.GetLength(1)}"));
    }

    /// <inheritdoc />
    public override Tensor Encode(Tensor symbols)
    {
        // unbind, not select per step: select's backward would write a full-size gradient at every step (O(T²) memory traffic).
        Tensor[] inputs = input.forward(symbols).unbind(1);
        var states = new List<Tensor>(inputs.Length + 1) { InitialHidden.expand(symbols.shape[0], -1) };
        foreach (Tensor symbolInput in inputs)
            states.Add(Cell(states[^1], symbolInput));
        return stack(states, dim: 1);
    }

    /// <inheritdoc />
    public override IStackableEncoder Stackable => this;

    /// <summary>V, U, b and h₀.</summary>
    public IReadOnlyList<Tensor> EncoderWeights => [input.Weight, recurrence.weight!, bias, InitialHidden];

    /// <summary>hₜ = σ(U_k hₜ₋₁ + V_k·onehot(yₜ) + b_k) for every stacked network k, as <see cref="Encode"/> computes it.</summary>
    public Tensor EncodeStacked(IReadOnlyList<Tensor> stackedWeights, Tensor symbols)
    {
        Tensor[] inputs = StackedTensors.Lookup(stackedWeights[0], symbols).unbind(2);
        Tensor transposedRecurrence = stackedWeights[1].transpose(1, 2), biases = stackedWeights[2].unsqueeze(1);
        var states = new List<Tensor>(inputs.Length + 1) { stackedWeights[3].unsqueeze(1).expand(symbols.shape[0], symbols.shape[1], -1) };
        foreach (Tensor symbolInput in inputs)
            states.Add(TensorFunctions.Apply(Architecture.Activation, states[^1].bmm(transposedRecurrence).add(symbolInput, PinnedScalars.One).add(biases, PinnedScalars.One)));
        return stack(states, dim: 2);
    }

    /// <inheritdoc />
    public override NetworkBatch StartBatch(int count) => new ElmanBatch { Encodings = InitialHidden.detach().unsqueeze(0).expand(count, -1), Length = 0 };

    /// <inheritdoc />
    public override NetworkBatch StepBatch(NetworkBatch batch, long[] symbols)
    {
        using var scope = NewDisposeScope();
        Tensor next = Cell(batch.Encodings, input.forward(SymbolColumn(symbols)).select(1, 0));
        return new ElmanBatch { Encodings = next.detach().MoveToOuterDisposeScope(), Length = batch.Length + 1 };
    }

    /// <summary>The pre-activation U h + V x + b and the nonlinearity, on a batch [B, D].</summary>
    private Tensor Cell(Tensor previous, Tensor symbolInput) =>
        TensorFunctions.Apply(Architecture.Activation, recurrence.forward(previous).add(symbolInput, PinnedScalars.One).add(bias, PinnedScalars.One));

    private sealed class ElmanBatch : NetworkBatch
    {
        protected override IEnumerable<Tensor> Carried => [];

        protected internal override NetworkBatch Rows(Tensor indices) => new ElmanBatch { Encodings = Encodings.index_select(0, indices), Length = Length };
    }
}
