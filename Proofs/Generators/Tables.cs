using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Models;
using Workbench.Formal.Symbols;

namespace Workbench.Proofs.Generators;

/// <summary>
/// A random finite-support LM: distinct strings over the first <see cref="AlphabetSize"/> letters of
/// "abc" with positive integer weights, normalised into a <see cref="TableLanguageModel"/>.
/// </summary>
public sealed record TableInstance(int AlphabetSize, int[][] Strings, int[] Weights)
{
    /// <summary>Σ = {a, …}.</summary>
    public Alphabet Alphabet => Alphabet.FromCharacters("abc"[..AlphabetSize]);

    /// <summary>The model p(y) = w(y)/Σw.</summary>
    public TableLanguageModel Model() => ModelWith(Weights);

    /// <summary>A model on the same support with other weights.</summary>
    public TableLanguageModel ModelWith(int[] weights) =>
        TableLanguageModel.FromWeights(Alphabet, Strings.Zip(weights, (s, w) => (s, (double)w)));

    /// <summary>The longest string in the table.</summary>
    public int MaxLength => Strings.Max(s => s.Length);

    /// <inheritdoc />
    public override string ToString() =>
        $"Σ = {Alphabet}; weights {{{string.Join(", ", Strings.Zip(Weights, (s, w) => $"{Alphabet.Format(s)}: {w.ToString(CultureInfo.InvariantCulture)}"))}}}";
}

/// <summary>Generators of table instances.</summary>
public static class Tables
{
    /// <summary>Tables of 1–8 distinct strings of length ≤ 5 over |Σ| ≤ 3, weights in [1, 100]; shrinking drops strings.</summary>
    public static Arbitrary<TableInstance> Instances() =>
        Arb.From(
            from size in Gen.Choose(1, 3)
            from count in Gen.Choose(1, 8)
            from strings in Gen.ArrayOf(RandomString(size, 5), count)
            let distinct = strings.DistinctBy(s => string.Join(",", s)).ToArray()
            from weights in Gen.ArrayOf(Gen.Choose(1, 100), distinct.Length)
            select new TableInstance(size, distinct, weights),
            Shrink);

    /// <summary>A table together with a second weight vector on the same support (a competing model q for the table's p).</summary>
    public static Gen<(TableInstance Table, int[] OtherWeights)> WithAlternativeWeights() =>
        from table in Instances().Generator
        from other in Gen.ArrayOf(Gen.Choose(1, 100), table.Strings.Length)
        select (table, other);

    /// <summary>A string of length 0..maxLength over symbols 0..size−1.</summary>
    public static Gen<int[]> RandomString(int size, int maxLength) =>
        Gen.Choose(0, maxLength).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, size - 1), n));

    private static IEnumerable<TableInstance> Shrink(TableInstance instance)
    {
        if (instance.Strings.Length < 2) yield break;
        for (var i = 0; i < instance.Strings.Length; i++)
            yield return instance with
            {
                Strings = instance.Strings.Where((_, j) => j != i).ToArray(),
                Weights = instance.Weights.Where((_, j) => j != i).ToArray(),
            };
    }
}
