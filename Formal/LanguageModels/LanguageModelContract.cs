namespace Workbench.Formal.LanguageModels;

/// <summary>What <see cref="LanguageModelContract.Check"/> found.</summary>
/// <param name="PartialSum">Σ_{|y|≤L} p(y) by <see cref="ILanguageModel.LogProbability"/>: with a certified tail Σ_{|y|&gt;L} p(y) from an independent source it must give the partition function.</param>
/// <param name="StringsChecked">|Σ^{≤L}|, the strings visited.</param>
/// <param name="Violations">Each broken clause, with the string and both sides; empty when the model keeps the contract.</param>
public sealed record ContractReport(double PartialSum, int StringsChecked, IReadOnlyList<string> Violations);

/// <summary>
/// The contract every <see cref="ILanguageModel"/> keeps (docs/formal.md, "The contract"), checked by brute force on
/// every string up to a length, so that a new model can be tested against it before anything else:
/// <list type="number">
/// <item>the view's next-symbol distributions sum to 1;</item>
/// <item>the chain rule of the view (<see cref="ILanguageModel.Start"/>) is log p(y) − <see cref="ILanguageModel.LogViewNormaliser"/>;</item>
/// <item>for a <see cref="IPrefixProbabilityModel"/>: π(ε) = Z_view, π(y) = p(y) + Σ_a π(ya), and the view's product of
/// conditionals over y is log π(y) − log Z_view (the cylinder measure of y for a locally normalised model, the mass of
/// y's finite continuations for a PCFG);</item>
/// <item>for a <see cref="IPartitionFunctionModel"/>: Σ_{|y|≤L} p(y) does not exceed Z.</item>
/// </list>
/// O(|Σ|^L) model calls; refused beyond <see cref="MaxStrings"/> strings.
/// </summary>
public static class LanguageModelContract
{
    /// <summary>The most strings one check visits.</summary>
    public const int MaxStrings = 200_000;

    /// <summary>Checks the clauses on every string of length at most <paramref name="maxLength"/>, comparing logs within <paramref name="tolerance"/> (relative above 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">|Σ^{≤L}| exceeds <see cref="MaxStrings"/>.</exception>
    public static ContractReport Check(ILanguageModel model, int maxLength, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        var size = model.Alphabet.Size;
        var count = 0.0;
        for (var l = 0; l <= maxLength; l++) count += Math.Pow(size, l);
        if (count > MaxStrings) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"|Σ^≤L| = {count:G3} strings exceeds the {MaxStrings} a check visits.");
        var walk = new Walk(model, maxLength, tolerance);
        walk.Visit(model.Start(), [], 0);
        if (model is IPartitionFunctionModel partition)
        {
            var z = partition.PartitionFunction();
            if (walk.PartialSum > z.Value + z.ErrorBound + tolerance)
                walk.Violations.Add(Invariant($"Σ_{{|y|≤{maxLength}}} p(y) = {walk.PartialSum:R} exceeds the partition function {z}"));
        }
        return new ContractReport(walk.PartialSum, walk.Strings, walk.Violations);
    }

    private sealed class Walk(ILanguageModel model, int maxLength, double tolerance)
    {
        private readonly IPrefixProbabilityModel? _prefixes = model as IPrefixProbabilityModel;
        private readonly double _normaliser = model.LogViewNormaliser;

        public List<string> Violations { get; } = [];

        public double PartialSum { get; private set; }

        public int Strings { get; private set; }

        // logView is the view's log product of conditionals over y (without EOS).
        public void Visit(IPrefix prefix, List<int> y, double logView)
        {
            Strings++;
            var alphabet = model.Alphabet;
            var name = alphabet.Format(y.ToArray());
            var next = new double[alphabet.SizeWithEos];
            prefix.NextLogProbabilities(next);
            var total = next.Sum(Math.Exp);
            if (!(Math.Abs(total - 1) <= tolerance)) Violations.Add(Invariant($"p(· | {name}) sums to {total:R}, not 1"));
            var logP = model.LogProbability(y.ToArray());
            PartialSum += Math.Exp(logP);
            Compare(logView + next[alphabet.Eos], logP - _normaliser, $"chain rule of the view for {name}", "log p(y) − log Z_view");
            if (_prefixes is not null && y.Count < maxLength)
            {
                var logPrefix = _prefixes.LogPrefixProbability(y.ToArray());
                Compare(logView, logPrefix - _normaliser, $"the view's product of conditionals over {name}", "log π(y) − log Z_view");
                var extensions = 0.0;
                for (var a = 0; a < alphabet.Size; a++) extensions += Math.Exp(_prefixes.LogPrefixProbability([.. y, a]));
                var right = Math.Exp(logP) + extensions;
                if (!(Math.Abs(Math.Exp(logPrefix) - right) <= tolerance * Math.Max(1, right)))
                    Violations.Add(Invariant($"π({name}) = {Math.Exp(logPrefix):R} but p(y) + Σ_a π(ya) = {right:R}"));
            }
            if (y.Count == maxLength) return;
            for (var a = 0; a < alphabet.Size; a++)
            {
                y.Add(a);
                Visit(prefix.Advance(a), y, logView + next[a]);
                y.RemoveAt(y.Count - 1);
            }
        }

        private void Compare(double left, double right, string what, string expected)
        {
            var agree = double.IsNegativeInfinity(left) && double.IsNegativeInfinity(right)
                || Math.Abs(left - right) <= tolerance * Math.Max(1, Math.Abs(right));
            if (!agree) Violations.Add(Invariant($"{what}: {left:R}, but {expected} = {right:R}"));
        }
    }
}
