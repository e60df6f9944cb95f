using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Evaluation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Models;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>P3.8: −(1/N) log L(θ) = H(p̃_D, p_θ): maximum likelihood is cross-entropy minimisation against the empirical distribution.</summary>
public static class P3_8_MaximumLikelihoodIsCrossEntropy
{
    /// <summary>Random corpora drawn from a table's support, scored by that table, a reweighted one and the uniform LM.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P3.8",
        "Maximising the log-likelihood of a corpus is minimising the cross-entropy of its empirical distribution against the model: −(1/N)·log L(θ) = H(p̃_D, p_θ).",
        "§3.2 (maximum likelihood estimation)",
        Arb.From(
            from pair in Tables.WithAlternativeWeights()
            let table = pair.Table
            from picks in Gen.ArrayOf(Gen.Choose(0, table.Strings.Length - 1), 30)
            from size in Gen.Choose(1, 30)
            select (table, pair.OtherWeights, picks.Take(size).ToArray())),
        Check);

    private static void Check((TableInstance Table, int[] OtherWeights, int[] Picks) instance)
    {
        var (table, otherWeights, picks) = instance;
        var corpus = picks.Select(i => table.Strings[i]).ToArray();
        ILanguageModel[] models = [table.Model(), table.ModelWith(otherWeights), new UniformLanguageModel(table.Alphabet)];
        var empirical = picks.GroupBy(i => i).Select(g => (String: table.Strings[g.Key], Share: g.Count() / (double)picks.Length)).ToArray();

        var byLikelihood = new double[models.Length];
        var byCrossEntropy = new double[models.Length];
        for (var m = 0; m < models.Length; m++)
        {
            byLikelihood[m] = CorpusEvaluation.Evaluate(models[m], corpus).CrossEntropyPerString;
            byCrossEntropy[m] = -empirical.Sum(e => e.Share * models[m].LogProbability(e.String));
            Require.Close(byCrossEntropy[m], byLikelihood[m], 1e-12, $"−(1/N) log L vs H(p̃_D, p) for {models[m]}");
        }
        for (var a = 0; a < models.Length; a++)
            for (var b = 0; b < models.Length; b++)
                if (Math.Abs(byCrossEntropy[a] - byCrossEntropy[b]) > 1e-9)
                    Require.That(byLikelihood[a] < byLikelihood[b] == byCrossEntropy[a] < byCrossEntropy[b], "the two criteria rank two models differently");
    }
}
