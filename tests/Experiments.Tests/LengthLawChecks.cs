using Workbench.Experiments.Languages;

namespace Workbench.Experiments.Tests;

/// <summary>Shared checks of a language's length law against the strings of one length and their exact probabilities.</summary>
internal static class LengthLawChecks
{
    /// <summary>
    /// P(|y| = n) by the length law against the sum of the given strings' probabilities (every string of the language of length n),
    /// and, with two or more strings, a G-test of <paramref name="samples"/> length-conditioned draws against p(y)/P(|y| = n).
    /// </summary>
    public static void Check(FormalLanguage language, int length, IReadOnlyList<int[]> strings, Random random, int samples, int seed)
    {
        var weighted = strings.Select(y => (Key: string.Join(",", y), P: Math.Exp(language.Model.LogProbability(y)))).Where(s => s.P > 0).ToArray();
        double total = weighted.Sum(s => s.P), law = Math.Exp(language.LengthSampler.LogLengthProbability(length));
        Assert.True(Math.Abs(total - law) <= 1e-10 * Math.Max(total, 1e-300), $"{language.Name}: P(|y| = {length}) is {law} by the length law, {total} by brute force");
        if (weighted.Length < 2)
            return;
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < samples; i++)
        {
            string key = string.Join(",", language.LengthSampler.SampleOfLength(random, length));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        Assert.True(counts.Keys.All(k => weighted.Any(s => s.Key == k)), $"{language.Name}: a draw of length {length} outside the support");
        double g = weighted.Sum(s => counts.GetValueOrDefault(s.Key) is var o and > 0 ? 2 * o * Math.Log(o / (samples * s.P / total)) : 0);
        double pValue = 1 - MathNet.Numerics.Distributions.ChiSquared.CDF(weighted.Length - 1, g);
        Assert.True(pValue >= 1e-7, $"{language.Name}, seed {seed}: draws of length {length}: G = {g} on {weighted.Length - 1} degrees of freedom (p = {pValue})");
    }

    /// <summary>The repository's root folder (the one holding Workbench.sln), above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Workbench.sln")))
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("the repository root is not above the test folder");
        return root;
    }
}
