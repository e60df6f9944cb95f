namespace Workbench.Neural.Recognition;

/// <summary>
/// One labelled string for recognizer training (Butoi et al. 2025): the symbols, whether the string is in the language and,
/// for a positive, the set of valid next symbols after every prefix (NextSymbols[t][a] for t = 0…|y| and a ∈ Σ̄, EOS last),
/// which the auxiliary next-symbol loss predicts. Negatives have no next-symbol sets.
/// </summary>
/// <param name="Symbols">The string's symbol ids.</param>
/// <param name="Positive">Whether the string is in the language.</param>
/// <param name="NextSymbols">For a positive, [|y| + 1][|Σ̄|] flags of the valid next symbols; null for a negative.</param>
public sealed record RecognitionExample(int[] Symbols, bool Positive, bool[][]? NextSymbols);
