using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Numerics;
using Workbench.Formal.Symbols;

namespace Workbench.Formal.Models;

/// <summary>
/// A locally normalised LM over a one-symbol alphabet {a} given by its EOS schedule:
/// p(EOS | aᵗ) = f(t), p(a | aᵗ) = 1 − f(t), hence p(aⁿ) = f(n)·∏_{t&lt;n} (1 − f(t)). The smallest family
/// in which tight and non-tight LMs can be told apart exactly. Notes §2.5 (P2.3–P2.5).
/// </summary>
/// <remarks>The autoregressive state is the length t of the prefix.</remarks>
public sealed class UnaryLanguageModel : IAutoregressiveLanguageModel<int>, IPrefixProbabilityModel, IPartitionFunctionModel, ITightnessAnalyzable, ILengthTailModel
{
    /// <summary>Number of leading factors of ∏ (1 − f(t)) the tightness analysis multiplies out before bounding the tail.</summary>
    public const int AnalysisHorizon = 1 << 16;

    /// <summary>Creates the model; the symbol is named <paramref name="symbol"/> (default "a").</summary>
    public UnaryLanguageModel(EosSchedule schedule, string symbol = "a")
    {
        Schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
        Alphabet = new Alphabet([symbol]);
    }

    /// <summary>The EOS schedule f.</summary>
    public EosSchedule Schedule { get; }

    /// <inheritdoc />
    public Alphabet Alphabet { get; }

    /// <inheritdoc />
    public int InitialState => 0;

    /// <inheritdoc />
    public void NextLogProbabilities(int state, Span<double> logProbabilities)
    {
        var f = Schedule.Probability(state);
        logProbabilities[0] = LogSpace.Log1P(-f);
        logProbabilities[1] = Math.Log(f);
    }

    /// <inheritdoc />
    public int Advance(int state, int symbol)
    {
        Alphabet.Validate([symbol]);
        return state + 1;
    }

    /// <summary>log p(aⁿ) = log f(n) + Σ_{t&lt;n} log(1 − f(t)). O(n).</summary>
    public double LogProbability(ReadOnlySpan<int> symbols) => ChainRule.LogProbability(this, symbols);

    /// <summary>log π(aⁿ) = Σ_{t&lt;n} log(1 − f(t)) = log P(|y| ≥ n), leaked mass included. O(n).</summary>
    public double LogPrefixProbability(ReadOnlySpan<int> prefix) => ChainRule.LogPrefixProbability(this, prefix);

    /// <summary>P(|y| ≥ T) = π(a^T) = ∏_{t&lt;T} (1 − f(t)). O(T).</summary>
    public CertifiedValue ProbabilityOfLengthAtLeast(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var log = LogPrefixProbability(new int[length]);
        return new CertifiedValue(Math.Exp(log), Math.Exp(log) * FloatingPoint.MachineEpsilon * (2 + 4 * length), "∏_{t<T} (1 − f(t))");
    }

    /// <summary>The finite-string mass 1 − ∏ (1 − f(t)), the midpoint of the tightness analysis' bounds. O(horizon).</summary>
    public CertifiedValue PartitionFunction()
    {
        var report = AnalyzeTightness();
        return new CertifiedValue(report.Mass, (report.MassUpperBound - report.MassLowerBound) / 2, report.Method.ToString());
    }

    /// <summary>
    /// Decides tightness from the EOS schedule: a step with f(t) = 1 ends every string; otherwise the
    /// partial product P_T = ∏_{t&lt;T} (1 − f(t)) (compensated summation of logs, T = <see cref="AnalysisHorizon"/>)
    /// is combined with the schedule's closed form, or with tail bounds L ≤ Σ_{t≥T} f(t) ≤ U through
    /// e^(−U/(1 − f(T))) ≤ ∏_{t≥T} (1 − f(t)) ≤ e^(−L) (the schedule's tail is non-increasing, and
    /// x ≤ −log(1 − x) ≤ x/(1 − x)): Σ f = ∞ means tight (P2.5), Σ f &lt; ∞ with f &lt; 1 means not tight (P2.4). Without either the verdict is unknown and only a lower bound on the mass is given.
    /// O(T).
    /// </summary>
    public TightnessReport AnalyzeTightness()
    {
        var product = new CompensatedSum();
        var steps = 0;
        for (; steps < AnalysisHorizon; steps++)
        {
            var f = Schedule.Probability(steps);
            if (f == 1)
                return new TightnessReport(TightnessVerdict.Tight, 1, 1, 1, TightnessMethod.EosScheduleBounds,
                    [Invariant($"p(EOS | a^{steps}) = 1, so every string has length at most {steps}.")]);
            // Compensated: the rounding stays O(ε·|sum|) instead of O(T·ε·|sum|).
            product.Add(LogSpace.Log1P(-f));
        }
        var logSurvival = product.Value;
        // Each log1p is within 2 ulps of its term (all terms ≤ 0, so Σ|term| = |sum|) and compensated
        // summation adds about 2ε|sum|: an absolute error below ε(2 + 8|sum|) on the log of the product.
        var logError = FloatingPoint.MachineEpsilon * (2 + 8 * Math.Abs(logSurvival));
        var partialEvidence = Invariant($"partial product ∏_{{t<{steps}}} (1 − f(t)) = exp({logSurvival:G15})");

        if (Schedule.SurvivalLimit is { } limit)
        {
            var mass = 1 - limit;
            return new TightnessReport(limit == 0 ? TightnessVerdict.Tight : TightnessVerdict.NotTight, mass, mass, mass,
                TightnessMethod.ClosedForm,
                [Invariant($"closed form: ∏_{{t≥0}} (1 − f(t)) = {limit:G15} for f(t) = {Schedule.Name}"), partialEvidence]);
        }

        if (!Schedule.HasTailSumBounds)
            return new TightnessReport(TightnessVerdict.Unknown, MassOf(logSurvival), MassOf(logSurvival + logError), 1, TightnessMethod.EosScheduleBounds,
                [partialEvidence, "no closed form or tail bound is known for this schedule, so only a lower bound on the mass is certain"]);

        var (lower, upper) = Schedule.TailSum(steps);
        var tailEvidence = Invariant($"Σ_{{t≥{steps}}} f(t) ∈ [{lower:G6}, {upper:G6}]");
        if (double.IsPositiveInfinity(lower))
            return new TightnessReport(TightnessVerdict.Tight, 1, 1, 1, TightnessMethod.EosScheduleBounds,
                [Invariant($"Σ_t f(t) diverges for f(t) = {Schedule.Name}, so ∏ (1 − f(t)) = 0 (P2.5)"), tailEvidence]);
        // The verdict follows from the mathematics (a convergent Σ f with every f(t) < 1 leaves a positive
        // product), not from whether the floating-point product underflows.
        var tailFactor = 1 - Schedule.Probability(steps);
        var logSurvivalUpper = logSurvival + logError - lower;
        // Stryker disable Equality,Logical,Conditional : every schedule with tail bounds has f(T) < 1 and a finite U; the guards keep a future one honest
        var logSurvivalLower = tailFactor > 0 && double.IsFinite(upper) ? logSurvival - logError - upper / tailFactor : double.NegativeInfinity;
        var verdict = logSurvivalLower > double.NegativeInfinity ? TightnessVerdict.NotTight : TightnessVerdict.Unknown;
        // Stryker restore Equality,Logical,Conditional
        return new TightnessReport(verdict, MassOf((logSurvivalLower + logSurvivalUpper) / 2), MassOf(logSurvivalUpper), MassOf(logSurvivalLower),
            TightnessMethod.EosScheduleBounds,
            [partialEvidence, tailEvidence, "exp(−U/(1 − f(T))) ≤ ∏_{t≥T} (1 − f(t)) ≤ exp(−L) bounds the rest of the product (P2.4)"]);
    }

    // 1 − e^(log survival) without cancellation when the survival is close to one.
    // Stryker disable once Conditional : −expm1(−∞) is 1 as well; the branch states it
    private static double MassOf(double logSurvival) =>
        double.IsNegativeInfinity(logSurvival) ? 1 : -LogSpace.ExpM1(Math.Min(logSurvival, 0));

    /// <inheritdoc />
    public override string ToString() => $"unary LM with p(EOS | a^t) = {Schedule.Name}";
}
