using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Generation;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P8.7: greedy and beam search do not find the most probable string in general, but never return a
/// string more probable than the mode, and a beam as wide as the model's prefix tree finds it exactly.
/// </summary>
public static class P8_7_BeamSearchAndTheMode
{
    /// <summary>Random finite tables; the mode by enumeration of the table.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P8.7",
        "Greedy and beam search need not find the mode, but p(beam_k) ≤ p(mode) for every width k, the k results are sorted and distinct, and a beam at least as wide as every level of the prefix tree returns the mode.",
        "lecture on decoding (beam search); the mode of a finite-state LM is its shortest path",
        Arb.From(
            from table in Tables.Instances().Generator
            from width in Gen.Choose(1, 4)
            select (table, width)),
        Check);

    private static void Check((TableInstance Table, int Width) instance)
    {
        var (table, width) = instance;
        var model = table.Model();
        var mode = model.Entries.Max(e => e.Probability);
        var greedy = Decoding.Greedy(model, table.MaxLength + 1);
        Require.AtMost(Math.Exp(greedy.LogProbability), mode, 1e-15, "p(greedy) ≤ p(mode)");

        var beam = Decoding.Beam(model, width, table.MaxLength + 1);
        Require.That(beam.Count is > 0 && beam.Count <= width, $"beam of width {width} returned {beam.Count} strings");
        Require.That(beam.Select(b => model.Alphabet.Format(b.Symbols)).Distinct().Count() == beam.Count, "beam returned a string twice");
        for (var i = 0; i < beam.Count; i++)
        {
            Require.Close(model.LogProbability(beam[i].Symbols), beam[i].LogProbability, 1e-12, $"score of beam result {i}");
            Require.AtMost(Math.Exp(beam[i].LogProbability), mode, 1e-15, $"p(beam result {i}) ≤ p(mode)");
            if (i > 0) Require.AtMost(beam[i].LogProbability, beam[i - 1].LogProbability, 0, "beam results are not sorted");
        }

        // A beam as wide as the largest level of the prefix tree never prunes a live prefix.
        var widest = Enumerable.Range(0, table.MaxLength + 1)
            .Max(length => table.Strings.Where(s => s.Length >= length).Select(s => string.Join(",", s.Take(length))).Distinct().Count());
        var exhaustive = Decoding.Beam(model, widest, table.MaxLength + 1);
        Require.Close(Math.Log(mode), exhaustive[0].LogProbability, 1e-12, $"a beam of width {widest} finds the mode");
    }
}
