using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Evaluation;
using Workbench.Formal.Models;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>P3.11: perplexity is exp of the per-symbol cross-entropy; the uniform model has perplexity |Σ̄|; the true distribution minimises it.</summary>
public static class P3_11_Perplexity
{
    /// <summary>Checked on random corpora from a table's support and on the table's own distribution against reweighted tables.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P3.11",
        "Perplexity = exp(per-symbol cross-entropy); the uniform model over Σ̄ has perplexity exactly |Σ̄| on any corpus; the true distribution has the lowest expected perplexity.",
        "§3.2 (evaluation: perplexity)",
        Arb.From(
            from pair in Tables.WithAlternativeWeights()
            let table = pair.Table
            from picks in Gen.NonEmptyListOf(Gen.Choose(0, table.Strings.Length - 1))
            select (table, pair.OtherWeights, picks.ToArray())),
        Check);

    private static void Check((TableInstance Table, int[] OtherWeights, int[] Picks) instance)
    {
        var (table, otherWeights, picks) = instance;
        var corpus = picks.Select(i => table.Strings[i]).ToArray();
        var truth = table.Model();
        var score = CorpusEvaluation.Evaluate(truth, corpus);
        var symbols = corpus.Sum(y => y.Length + 1);
        var nll = -corpus.Sum(y => truth.LogProbability(y));
        Require.Close(Math.Exp(nll / symbols), score.Perplexity, 1e-12, "perplexity vs exp(NLL / #symbols incl. EOS)");

        var uniform = CorpusEvaluation.Evaluate(new UniformLanguageModel(table.Alphabet), corpus);
        Require.Close(table.Alphabet.SizeWithEos, uniform.Perplexity, 1e-12, "perplexity of the uniform model");

        // On the true distribution itself (every string weighted by p), expected log-loss per symbol is minimised by p.
        var alternative = table.ModelWith(otherWeights);
        var expectedSymbols = table.Strings.Sum(y => Math.Exp(truth.LogProbability(y)) * (y.Length + 1));
        double ExpectedPerplexity(Formal.LanguageModels.ILanguageModel q) =>
            Math.Exp(-table.Strings.Sum(y => Math.Exp(truth.LogProbability(y)) * q.LogProbability(y)) / expectedSymbols);
        Require.AtMost(ExpectedPerplexity(truth), ExpectedPerplexity(alternative), 1e-12, "expected perplexity of p vs a reweighted model");
    }
}
