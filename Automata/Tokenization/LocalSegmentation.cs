using Workbench.Formal.Errors;

namespace Workbench.Automata.Tokenization;

/// <summary>
/// Pre-tokenizations whose segment boundaries are decided by the two base symbols around them, which is what lets a
/// finite-state construction over base symbols (the encoder transducers, the canonical automaton) follow them: none
/// at all, and <see cref="PreTokenization.Whitespace"/> over code points (a boundary before each whitespace character that
/// follows a non-whitespace one). Over bytes a whitespace character may take several bytes, and GPT-2's pattern looks
/// ahead past the next symbol, so those are refused.
/// </summary>
internal static class LocalSegmentation
{
    /// <summary>Refuses a tokenizer whose pre-tokenization is not local in its base symbols.</summary>
    /// <exception cref="WorkbenchException">GPT-2 pre-tokenization, or whitespace pre-tokenization over bytes.</exception>
    public static void Require(ITokenizer tokenizer, string what)
    {
        if (tokenizer.PreTokenization == PreTokenization.Gpt2)
            throw new WorkbenchException($"{what} is built for tokenizers without pre-tokenization or with whitespace pre-tokenization; GPT-2's pattern looks ahead beyond the next symbol, which this construction does not follow.");
        if (tokenizer.PreTokenization == PreTokenization.Whitespace && tokenizer.Units == BaseUnits.Bytes)
            throw new WorkbenchException($"{what} follows whitespace pre-tokenization over characters only: over bytes, whether a byte starts a segment depends on the character it belongs to.");
    }

    /// <summary>Whether a segment starts at <paramref name="next"/> when it follows <paramref name="previous"/> (both base symbols of a tokenizer that passed <see cref="Require"/>).</summary>
    public static bool StartsSegment(PreTokenization mode, int previous, int next) =>
        mode == PreTokenization.Whitespace && IsWhiteSpace(next) && !IsWhiteSpace(previous);

    /// <summary>Whether a base symbol contains a segment boundary between two of its units.</summary>
    public static bool ContainsBoundary(PreTokenization mode, IReadOnlyList<int> units)
    {
        for (var i = 1; i < units.Count; i++)
            if (StartsSegment(mode, units[i - 1], units[i])) return true;
        return false;
    }

    // TextUnits.Segments tests UTF-16 code units; no whitespace character lies outside the Basic Multilingual Plane.
    private static bool IsWhiteSpace(int codePoint) => codePoint <= char.MaxValue && char.IsWhiteSpace((char)codePoint);
}
