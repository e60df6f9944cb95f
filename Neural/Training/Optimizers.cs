using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Workbench.Neural.Training;

/// <summary>The optimisers a training run can use.</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent with (heavy-ball) momentum <see cref="TrainingOptions.Momentum"/> and coupled L2 weight decay.</summary>
    Sgd,
    /// <summary>Adam (Kingma &amp; Ba 2015), β = (0.9, 0.999), weight decay added to the gradient.</summary>
    Adam,
    /// <summary>AdamW (Loshchilov &amp; Hutter 2019), β = (0.9, 0.999), decoupled weight decay: the default.</summary>
    AdamW,
    /// <summary>Lion (Chen et al. 2023): the sign of an interpolated momentum, β = (0.9, 0.99), decoupled weight decay.</summary>
    Lion,
}

/// <summary>
/// An optimiser as the training loop uses it: the learning rate of the step, clearing gradients, one update, and its state
/// in a checkpoint (the moments), so a resumed run continues exactly.
/// </summary>
public interface ITrainingOptimizer : IDisposable
{
    /// <summary>Sets the learning rate of the next <see cref="Step"/>.</summary>
    void SetLearningRate(double learningRate);

    /// <summary>Clears the gradients of the parameters.</summary>
    void ZeroGrad();

    /// <summary>Updates the parameters from their gradients.</summary>
    void Step();

    /// <summary>Writes the state (moments, step counts).</summary>
    void Save(BinaryWriter writer);

    /// <summary>Reads a state written by <see cref="Save"/> for the same parameters.</summary>
    void Load(BinaryReader reader);
}

/// <summary>Builds the optimiser a run's options name.</summary>
public static class Optimizers
{
    /// <summary>The optimiser of options over parameters, at the peak learning rate (the loop sets each step's rate).</summary>
    public static ITrainingOptimizer Create(IEnumerable<Parameter> parameters, TrainingOptions options) => options.Optimizer switch
    {
        OptimizerKind.Sgd => new Library(optim.SGD(parameters, options.LearningRate, momentum: options.Momentum, weight_decay: options.WeightDecay)),
        OptimizerKind.Adam => new Library(optim.Adam(parameters, options.LearningRate, weight_decay: options.WeightDecay)),
        OptimizerKind.AdamW => new Library(optim.AdamW(parameters, options.LearningRate, weight_decay: options.WeightDecay)),
        OptimizerKind.Lion => new LionOptimizer(parameters, options.LearningRate, options.WeightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, null),
    };

    /// <summary>One of libtorch's optimisers, whose state TorchSharp writes.</summary>
    private sealed class Library(OptimizerHelper optimizer) : ITrainingOptimizer
    {
        public void SetLearningRate(double learningRate)
        {
            foreach (var group in optimizer.ParamGroups)
                group.LearningRate = learningRate;
        }

        public void ZeroGrad() => optimizer.zero_grad();

        public void Step() => optimizer.step();

        public void Save(BinaryWriter writer) => optimizer.save_state_dict(writer);

        public void Load(BinaryReader reader) => optimizer.load_state_dict(reader);

        public void Dispose() => optimizer.Dispose();
    }
}

/// <summary>
/// Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"): with momentum m and gradient g,
/// p ← p − η·(sign(β₁m + (1 − β₁)g) + λp), then m ← β₂m + (1 − β₂)g; β = (0.9, 0.99). Every update has the same size per
/// coordinate, so its learning rates are typically 3–10× below AdamW's. O(parameters) per step.
/// </summary>
public sealed class LionOptimizer : ITrainingOptimizer
{
    private const double Beta1 = 0.9, Beta2 = 0.99;
    private readonly Parameter[] parameters;
    private readonly Tensor[] momenta;
    private readonly double weightDecay;
    private double learningRate;

    /// <summary>Lion over parameters at a learning rate and decoupled weight decay λ.</summary>
    public LionOptimizer(IEnumerable<Parameter> parameters, double learningRate, double weightDecay)
    {
        this.parameters = [.. parameters];
        momenta = [.. this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
    }

    /// <inheritdoc />
    public void SetLearningRate(double learningRate) => this.learningRate = learningRate;

    /// <inheritdoc />
    public void ZeroGrad()
    {
        foreach (var p in parameters)
            p.grad?.zero_();
    }

    /// <inheritdoc />
    public void Step()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (int i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].grad is not { } gradient)
                continue;
            Tensor direction = (momenta[i] * Beta1 + gradient * (1 - Beta1)).sign();
            parameters[i].mul_(1 - learningRate * weightDecay).sub_(direction * learningRate);
            momenta[i].mul_(Beta2).add_(gradient * (1 - Beta2));
        }
    }

    /// <inheritdoc />
    public void Save(BinaryWriter writer)
    {
        writer.Write(momenta.Length);
        foreach (var momentum in momenta)
            momentum.Save(writer);
    }

    /// <inheritdoc />
    public void Load(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count != momenta.Length)
            throw new InvalidOperationException(Invariant($"the checkpoint holds Lion momenta for {count} parameters, not {momenta.Length}"));
        foreach (var momentum in momenta)
            momentum.Load(reader);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var momentum in momenta)
            momentum.Dispose();
    }
}
