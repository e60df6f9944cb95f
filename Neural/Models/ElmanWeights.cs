namespace Workbench.Neural.Models;

/// <summary>
/// Every parameter of an Elman LM as plain arrays, for networks built by hand (the constructions of
/// §5.2, the counter-example of P6.2) and for exact analyses: hₜ = σ(U hₜ₋₁ + V_{yₜ} + b) from h₀, and
/// scores E hₜ + c over Σ̄.
/// </summary>
/// <param name="Recurrence">U [D, D].</param>
/// <param name="Input">V as one row per symbol [|Σ|, D].</param>
/// <param name="Bias">b [D].</param>
/// <param name="Initial">h₀ [D].</param>
/// <param name="Output">E [|Σ̄|, D] (EOS last).</param>
/// <param name="OutputBias">c [|Σ̄|].</param>
public sealed record ElmanWeights(double[,] Recurrence, double[,] Input, double[] Bias, double[] Initial, double[,] Output, double[] OutputBias);
