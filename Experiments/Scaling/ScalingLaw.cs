using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using Workbench.Formal.Errors;

namespace Workbench.Experiments.Scaling;

/// <summary>One training run of a scaling grid: non-embedding parameters N, training tokens D and the held-out loss L (nats per symbol).</summary>
public sealed record ScalingPoint(double Parameters, double Tokens, double Loss);

/// <summary>
/// L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, eq. 2), with the compute-optimal allocation it implies for C = 6ND:
/// N*(C) = G·(C/6)^(β/(α+β)), D*(C) = (C/6)^(α/(α+β))/G with G = (αA/(βB))^(1/(α+β)) (their eq. 4).
/// </summary>
public sealed record ScalingLaw(double E, double A, double Alpha, double B, double Beta)
{
    /// <summary>The predicted loss of a model of N parameters trained on D tokens.</summary>
    public double Loss(double parameters, double tokens) => E + A / Math.Pow(parameters, Alpha) + B / Math.Pow(tokens, Beta);

    /// <summary>The compute-optimal (N*, D*) for a budget of C FLOPs (C = 6ND).</summary>
    public (double Parameters, double Tokens) ComputeOptimal(double flops)
    {
        double g = Math.Pow(Alpha * A / (Beta * B), 1 / (Alpha + Beta));
        return (g * Math.Pow(flops / 6, Beta / (Alpha + Beta)), Math.Pow(flops / 6, Alpha / (Alpha + Beta)) / g);
    }
}

/// <summary>A fitted law, its Huber objective, and (when bootstrapped) percentile intervals of its constants.</summary>
/// <param name="Law">The best fit over the initialisations.</param>
/// <param name="Objective">The summed Huber loss of the fit on log L.</param>
/// <param name="EFixed">Whether E was held at a given value (the source's exact entropy rate) instead of fitted.</param>
/// <param name="Intervals">95% bootstrap intervals of E, A, α, B and β by name (empty without a bootstrap).</param>
/// <param name="Resamples">Bootstrap resamples that were fitted.</param>
public sealed record ScalingFit(ScalingLaw Law, double Objective, bool EFixed, IReadOnlyDictionary<string, (double Lower, double Upper)> Intervals, int Resamples);

/// <summary>
/// Fits <see cref="ScalingLaw"/> as Hoffmann et al. (2022, §D.2) do: in log space, E = eᵉ, A = eᵃ, B = eᵇ, minimising
/// Σᵢ Huber_δ(log(eᵃ⁻ᵅ ˡᵒᵍ ᴺⁱ + eᵇ⁻ᵝ ˡᵒᵍ ᴰⁱ + eᵉ) − log Lᵢ) with δ = 10⁻³, by BFGS with analytic gradients from a grid of
/// initialisations (the best result wins), optionally with E fixed; and bootstrap intervals by refitting resampled points from
/// the best fit. O(grid · iterations · points).
/// </summary>
public static class ScalingLawFitter
{
    /// <summary>Hoffmann et al.'s Huber threshold on the log-loss residuals.</summary>
    public const double HuberDelta = 1e-3;

    /// <summary>Fits the law to points (E free, or fixed at fixedE), with resamples bootstrap refits (0: none) from the seed.</summary>
    /// <exception cref="WorkbenchException">Fewer points than free constants, or a point that is not positive and finite.</exception>
    public static ScalingFit Fit(IReadOnlyList<ScalingPoint> points, double? fixedE = null, int resamples = 0, int seed = 1)
    {
        int free = fixedE is null ? 5 : 4;
        if (points.Count < free + 1)
            throw new WorkbenchException(Invariant($"fitting {free} constants needs at least {free + 1} points, not {points.Count}"));
        foreach (var (point, index) in points.Select((p, i) => (p, i)))
            if (!(point.Parameters > 0 && point.Tokens > 0 && point.Loss > 0) || !double.IsFinite(point.Parameters + point.Tokens + point.Loss))
                throw new WorkbenchException(Invariant($"point {index}: N = {point.Parameters}, D = {point.Tokens}, L = {point.Loss}: every value must be positive and finite"));
        if (fixedE is { } e && !(e > 0 && e < points.Min(p => p.Loss)))
            throw new WorkbenchException(Invariant($"a fixed E = {e} must be positive and below every loss (the smallest is {points.Min(p => p.Loss)})"));
        var (best, objective) = Initialisations(fixedE).Select(start => Minimise(points, start, fixedE)).MinBy(r => r.Objective);
        var intervals = new Dictionary<string, (double, double)>();
        if (resamples > 0)
        {
            var random = new Random(seed);
            var refits = Enumerable.Range(0, resamples)
                .Select(_ => Enumerable.Range(0, points.Count).Select(__ => points[random.Next(points.Count)]).ToArray())
                .Select(sample => Minimise(sample, Encode(best, fixedE), fixedE).Law).ToArray();
            foreach (var (name, value) in new (string, Func<ScalingLaw, double>)[] { ("E", l => l.E), ("A", l => l.A), ("alpha", l => l.Alpha), ("B", l => l.B), ("beta", l => l.Beta) })
            {
                double[] sorted = [.. refits.Select(value).Order()];
                intervals[name] = (sorted[(int)Math.Floor(0.025 * (sorted.Length - 1))], sorted[(int)Math.Ceiling(0.975 * (sorted.Length - 1))]);
            }
        }
        return new ScalingFit(best, objective, fixedE is not null, intervals, resamples);
    }

    // The grid of starts: α, β ∈ {0.25, 0.5, 1}, a, b ∈ {0, 5, 10}, e ∈ {−1, 0, 1} (e only when free).
    private static IEnumerable<double[]> Initialisations(double? fixedE)
    {
        double[] exponents = [0.25, 0.5, 1.0], scales = [0, 5, 10], offsets = fixedE is null ? [-1, 0, 1] : [0];
        foreach (double a in scales)
            foreach (double alpha in exponents)
                foreach (double b in scales)
                    foreach (double beta in exponents)
                        foreach (double e in offsets)
                            yield return fixedE is null ? [a, alpha, b, beta, e] : [a, alpha, b, beta];
    }

    private static double[] Encode(ScalingLaw law, double? fixedE) =>
        fixedE is null ? [Math.Log(law.A), law.Alpha, Math.Log(law.B), law.Beta, Math.Log(law.E)] : [Math.Log(law.A), law.Alpha, Math.Log(law.B), law.Beta];

    private static (ScalingLaw Law, double Objective) Minimise(IReadOnlyList<ScalingPoint> points, double[] start, double? fixedE)
    {
        var logN = points.Select(p => Math.Log(p.Parameters)).ToArray();
        var logD = points.Select(p => Math.Log(p.Tokens)).ToArray();
        var logL = points.Select(p => Math.Log(p.Loss)).ToArray();
        double logE = fixedE is { } given ? Math.Log(given) : 0;
        (double Value, double[] Gradient) Evaluate(Vector<double> x)
        {
            double a = x[0], alpha = x[1], b = x[2], beta = x[3], e = fixedE is null ? x[4] : logE;
            double value = 0;
            var gradient = new double[x.Count];
            for (int i = 0; i < logN.Length; i++)
            {
                double t1 = a - alpha * logN[i], t2 = b - beta * logD[i];
                double top = Math.Max(t1, Math.Max(t2, e));
                double w1 = Math.Exp(t1 - top), w2 = Math.Exp(t2 - top), w3 = Math.Exp(e - top), sum = w1 + w2 + w3;
                double residual = top + Math.Log(sum) - logL[i];
                value += Math.Abs(residual) <= HuberDelta ? 0.5 * residual * residual : HuberDelta * (Math.Abs(residual) - 0.5 * HuberDelta);
                double slope = Math.Abs(residual) <= HuberDelta ? residual : HuberDelta * Math.Sign(residual);
                gradient[0] += slope * w1 / sum;
                gradient[1] -= slope * w1 / sum * logN[i];
                gradient[2] += slope * w2 / sum;
                gradient[3] -= slope * w2 / sum * logD[i];
                if (fixedE is null)
                    gradient[4] += slope * w3 / sum;
            }
            return (value, gradient);
        }
        var objective = ObjectiveFunction.Gradient(x =>
        {
            var (value, gradient) = Evaluate(x);
            return (value, Vector<double>.Build.DenseOfArray(gradient));
        });
        Vector<double> solution;
        try
        {
            solution = new BfgsMinimizer(1e-12, 1e-12, 1e-12, 2000).FindMinimum(objective, Vector<double>.Build.DenseOfArray(start)).MinimizingPoint;
        }
        catch (Exception exception) when (exception is MaximumIterationsException or InnerOptimizationException or EvaluationException)
        {
            // BFGS stops early on the Huber loss's kink or a flat direction; Nelder–Mead from the same start finishes the job.
            solution = new NelderMeadSimplex(1e-14, 20_000).FindMinimum(ObjectiveFunction.Value(x => Evaluate(x).Value), Vector<double>.Build.DenseOfArray(start)).MinimizingPoint;
        }
        double fittedE = fixedE ?? Math.Exp(solution[4]);
        return (new ScalingLaw(fittedE, Math.Exp(solution[0]), solution[1], Math.Exp(solution[2]), solution[3]), Evaluate(solution).Value);
    }
}
