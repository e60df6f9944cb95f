namespace Workbench.Automata.Pfsa;

/// <summary>
/// The autoregressive state of a non-deterministic PFSA after a prefix y: the forward weights α_y(q)
/// normalised to sum to 1 (the posterior over states). All zero once the prefix has probability 0.
/// Treated as immutable.
/// </summary>
public sealed class ForwardVector
{
    internal ForwardVector(double[] weights) => Weights = weights;

    /// <summary>α_y(q)/Σα_y, or all zero for a prefix of probability 0.</summary>
    public IReadOnlyList<double> Weights { get; }

    internal double[] Array => (double[])Weights;

    /// <summary>Whether the prefix had probability 0.</summary>
    public bool IsDead => Array.All(w => w == 0);
}
