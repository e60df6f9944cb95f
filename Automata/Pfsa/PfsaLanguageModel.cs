using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Pfsa;

/// <summary>
/// A PFSA (ε-free, possibly non-deterministic) as a language model: p(y) = λᵀ T^(y₁)…T^(yₙ) ρ, prefix
/// probabilities π(y) = λᵀ T^(y₁)…T^(yₙ) 1 (the cylinder of y, leaked mass included), and next-symbol
/// distributions p(ȳ | y) = Σ_q α̂_y(q) p(ȳ | q) from the normalised forward vector α̂_y. Notes §4.1 (D4.4, P4.5).
/// </summary>
/// <remarks>Scoring costs O(|y|·|δ|); one autoregressive step O(|δ| + |Q||Σ̄|).</remarks>
public sealed class PfsaLanguageModel<T> : PfsaModel<T>, IAutoregressiveLanguageModel<ForwardVector>, IPrefixProbabilityModel
    where T : struct, ISemiring<T>, IRealWeight<T>
{
    private readonly double[] _arcWeights;
    private readonly double[] _final;

    /// <summary>Wraps a PFSA, validating it.</summary>
    /// <exception cref="InvalidModelException">The machine is not a PFSA (the message names the state) or has ε-arcs.</exception>
    public PfsaLanguageModel(Wfsa<T> fsa, double tolerance = PfsaValidation.DefaultTolerance)
        : base(fsa, tolerance)
    {
        if (fsa.HasEpsilonArcs)
            throw new InvalidModelException("The PFSA has ε-arcs; a PFSA language model needs an ε-free machine.");
        _arcWeights = new double[fsa.ArcCount];
        for (var e = 0; e < _arcWeights.Length; e++) _arcWeights[e] = T.ToReal(fsa.ArcWeights[e]);
        _final = new double[fsa.StateCount];
        for (var q = 0; q < _final.Length; q++) _final[q] = T.ToReal(fsa.FinalWeights[q]);
        var initial = new double[fsa.StateCount];
        for (var q = 0; q < initial.Length; q++) initial[q] = T.ToReal(fsa.InitialWeights[q]);
        InitialState = Normalised(initial, out _);
    }

    /// <inheritdoc />
    public ForwardVector InitialState { get; }

    /// <inheritdoc />
    public void NextLogProbabilities(ForwardVector state, Span<double> logProbabilities)
    {
        var alpha = state.Array;
        logProbabilities.Clear();
        if (state.IsDead)
        {
            logProbabilities.Fill(double.NegativeInfinity);
            logProbabilities[Alphabet.Eos] = 0;
            return;
        }
        for (var q = 0; q < alpha.Length; q++)
        {
            if (alpha[q] == 0) continue;
            logProbabilities[Alphabet.Eos] += alpha[q] * _final[q];
            for (var e = Automaton.ArcStart(q); e < Automaton.ArcEnd(q); e++)
                logProbabilities[Automaton.ArcLabels[e]] += alpha[q] * _arcWeights[e];
        }
        for (var i = 0; i < logProbabilities.Length; i++) logProbabilities[i] = Math.Log(logProbabilities[i]);
    }

    /// <inheritdoc />
    public ForwardVector Advance(ForwardVector state, int symbol)
    {
        Alphabet.Validate([symbol]);
        return Normalised(Step(state.Array, symbol), out _);
    }

    /// <summary>log λᵀT^(y₁)…T^(yₙ)ρ with rescaling at every step. O(|y|·|δ|).</summary>
    public override double LogProbability(ReadOnlySpan<int> symbols)
    {
        var (alpha, logScale) = ScaledForward(symbols);
        var mass = 0.0;
        for (var q = 0; q < alpha.Length; q++) mass += alpha[q] * _final[q];
        return Math.Log(mass) + logScale;
    }

    /// <summary>log λᵀT^(y₁)…T^(yₙ)1. O(|y|·|δ|).</summary>
    public double LogPrefixProbability(ReadOnlySpan<int> prefix)
    {
        var (alpha, logScale) = ScaledForward(prefix);
        return Math.Log(alpha.Sum()) + logScale;
    }

    /// <inheritdoc />
    public override IPrefix Start() => AutoregressivePrefix.Start(this);

    /// <inheritdoc />
    public override string ToString() => $"PFSA LM ({Automaton.StateCount} states, {Automaton.ArcCount} arcs) over {Alphabet}";

    private (double[] Alpha, double LogScale) ScaledForward(ReadOnlySpan<int> symbols)
    {
        Alphabet.Validate(symbols);
        var alpha = InitialState.Array;
        var logScale = 0.0;
        foreach (var symbol in symbols)
        {
            alpha = Normalised(Step(alpha, symbol), out var total).Array;
            if (total == 0) return (alpha, double.NegativeInfinity);
            logScale += Math.Log(total);
        }
        return (alpha, logScale);
    }

    private double[] Step(double[] alpha, int symbol)
    {
        var next = new double[alpha.Length];
        for (var q = 0; q < alpha.Length; q++)
        {
            if (alpha[q] == 0) continue;
            var arc = Automaton.FindArc(q, symbol);
            if (arc < 0) continue;
            for (var e = arc; e < Automaton.ArcEnd(q) && Automaton.ArcLabels[e] == symbol; e++)
                next[Automaton.ArcTargets[e]] += alpha[q] * _arcWeights[e];
        }
        return next;
    }

    private static ForwardVector Normalised(double[] weights, out double total)
    {
        total = weights.Sum();
        if (total > 0)
            for (var q = 0; q < weights.Length; q++) weights[q] /= total;
        return new ForwardVector(weights);
    }
}
