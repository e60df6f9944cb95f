using Workbench.Formal.Models;
using Workbench.Formal.Symbols;

namespace Workbench.Formal.Tests;

/// <summary>Hand-written finite tables over {a, b} shared by the sampling, decoding and estimator tests.</summary>
internal static class ExampleTables
{
    public static readonly Alphabet Ab = Alphabet.FromCharacters("ab");

    /// <summary>Six strings up to length 3; the mode is "ab" (0.3).</summary>
    public static TableLanguageModel P() =>
        new(Ab, [([], 0.1), ([0], 0.2), ([1], 0.05), ([0, 1], 0.3), ([1, 1], 0.15), ([0, 0, 1], 0.2)]);

    /// <summary>The support of <see cref="P"/> with other probabilities.</summary>
    public static TableLanguageModel Q() =>
        new(Ab, [([], 0.2), ([0], 0.2), ([1], 0.2), ([0, 1], 0.1), ([1, 1], 0.1), ([0, 0, 1], 0.2)]);
}
