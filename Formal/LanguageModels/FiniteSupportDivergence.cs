using Workbench.Formal.Numerics;

namespace Workbench.Formal.LanguageModels;

/// <summary>H(p, q) and KL(p ‖ q) of a model with finite support against any model, as finite sums over p's support. O(|support|) scores of q.</summary>
public static class FiniteSupportDivergence
{
    /// <summary>Both sums; naive summation of terms exact to a few ulps adds n·ε·Σ|term|, which is the bound.</summary>
    public static ExactDivergence Of(IFiniteSupportModel p, ILanguageModel q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        var support = p.Support.Where(e => e.Probability > 0).ToArray();
        CertifiedValue Sum(Func<int[], double, double> term)
        {
            var terms = support.Select(e => term(e.String, e.Probability)).ToArray();
            var sum = terms.Sum();
            var bound = double.IsFinite(sum) ? 4 * terms.Length * FloatingPoint.MachineEpsilon * terms.Sum(Math.Abs) : 0;
            return new CertifiedValue(sum, bound, "finite sum over P's support");
        }
        return new ExactDivergence(
            Sum((y, py) => -py * q.LogProbability(y)),
            Sum((y, py) => py * (Math.Log(py) - q.LogProbability(y))),
            null);
    }
}
