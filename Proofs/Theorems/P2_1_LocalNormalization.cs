using Workbench.Formal.Symbols;
using Workbench.Formal.Generation;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>P2.1: any LM with computable prefix probabilities can be locally normalised, and the chain rule telescopes back to p(y).</summary>
public static class P2_1_LocalNormalization
{
    /// <summary>The theorem, checked on random finite-support LMs against brute-force prefix sums over Σ^{≤L}.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P2.1",
        "Any LM can be locally normalised: p(a|y) = π(ya)/π(y), p(EOS|y) = p(y)/π(y) are distributions, and their product telescopes back to p(y).",
        "§2.4 (local normalisation of a globally normalised LM)",
        Tables.Instances(),
        Check);

    private static void Check(TableInstance instance)
    {
        var model = instance.Model();
        var alphabet = model.Alphabet;
        var next = new double[alphabet.SizeWithEos];
        // π by brute force: sum the table over every entry that starts with the prefix.
        double Prefix(int[] prefix) => model.Entries.Where(e => e.String.AsSpan().StartsWith(prefix)).Sum(e => e.Probability);
        double Exact(int[] y) => model.Entries.Where(e => e.String.AsSpan().SequenceEqual(y)).Sum(e => e.Probability);

        Require.Close(0, model.LogPrefixProbability([]), 1e-12, "log π(ε)");
        foreach (var y in Strings.UpTo(alphabet.Size, instance.MaxLength + 1))
        {
            var chain = ChainRule.LogProbability(model, y);
            var exact = Exact(y);
            Require.Close(exact == 0 ? double.NegativeInfinity : Math.Log(exact), chain, 1e-11, $"chain-rule log p({alphabet.Format(y)})");

            var prefixMass = Prefix(y);
            if (prefixMass == 0) continue;
            model.NextLogProbabilities(ChainRule.StateAfter(model, y), next);
            Require.Close(1, next.Sum(Math.Exp), 1e-12, $"Σ_ȳ p(ȳ | {alphabet.Format(y)})");
            Require.Close(exact / prefixMass, Math.Exp(next[alphabet.Eos]), 1e-12, $"p(EOS | {alphabet.Format(y)}) = p(y)/π(y)");
            for (var a = 0; a < alphabet.Size; a++)
                Require.Close(Prefix([.. y, a]) / prefixMass, Math.Exp(next[a]), 1e-12, $"p({alphabet.NameOf(a)} | {alphabet.Format(y)}) = π(ya)/π(y)");
        }
    }
}
