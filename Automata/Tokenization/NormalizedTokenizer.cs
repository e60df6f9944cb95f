using System.Collections.Immutable;
using System.Text;
using Workbench.Automata.Core;
using Workbench.Automata.Operations;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Tokenization;

/// <summary>What a tokenizer does to text before it encodes it.</summary>
public enum Normalization
{
    /// <summary>Nothing: the text is encoded as it is.</summary>
    None,

    /// <summary>Each code point replaced by its invariant simple lowercase mapping (<see cref="Rune.ToLowerInvariant"/>), one code point for one.</summary>
    Lowercase,
}

/// <summary>
/// A tokenizer that normalises text before another tokenizer encodes it: τ(x) = τ_inner(N(x)), κ unchanged. A normaliser
/// makes a tokenizer lossy exactly where it acts: κ(τ(x)) = x iff N(x) = x (for an exact inner tokenizer), and the
/// character model it induces from a source p is the pushforward of p along N, at total variation from p equal to the
/// mass of the strings N changes (theorem P8.13; Gastaldi et al. 2024). Lowercasing is a letter-to-letter homomorphism,
/// so the encoder transducer is a one-state transducer c ↦ N(c) composed with the inner one. Immutable.
/// </summary>
public sealed class NormalizedTokenizer : ITokenizer
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="normalization"/> is <see cref="Normalization.None"/>, or the inner tokenizer normalises already.</exception>
    public NormalizedTokenizer(ITokenizer inner, Normalization normalization)
    {
        if (normalization == Normalization.None) throw new ArgumentException("A normalised tokenizer needs a normalisation.", nameof(normalization));
        if (inner.Normalization != Normalization.None) throw new ArgumentException("The inner tokenizer normalises already.", nameof(inner));
        Inner = inner;
        Normalization = normalization;
    }

    /// <summary>The tokenizer that encodes the normalised text.</summary>
    public ITokenizer Inner { get; }

    /// <inheritdoc />
    public Normalization Normalization { get; }

    /// <inheritdoc />
    public BaseUnits Units => Inner.Units;

    /// <inheritdoc />
    public PreTokenization PreTokenization => Inner.PreTokenization;

    /// <inheritdoc />
    public int VocabularySize => Inner.VocabularySize;

    /// <inheritdoc />
    public ImmutableArray<int> BaseSymbols => Inner.BaseSymbols;

    /// <inheritdoc />
    public ImmutableArray<int> UnitsOf(int token) => Inner.UnitsOf(token);

    /// <summary>N(x): the text with every code point lowercased. O(|x|).</summary>
    public static string Normalize(string text, Normalization normalization)
    {
        if (normalization == Normalization.None) return text;
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes()) builder.Append(Rune.ToLowerInvariant(rune).ToString());
        return builder.ToString();
    }

    /// <summary>τ_inner(N(x)).</summary>
    public int[] Encode(string text) => Inner.Encode(Normalize(text, Normalization));

    /// <inheritdoc />
    public string Decode(IReadOnlyList<int> tokens) => Inner.Decode(tokens);

    /// <inheritdoc />
    public IReadOnlyList<string> Highlights(int count) => Inner.Highlights(count);

    /// <summary>
    /// The one-state transducer that reads every code point c with N(c) a base symbol and writes N(c), composed with the
    /// inner encoder; its input alphabet is those code points (each base symbol and, say, its capital). Characters only:
    /// over bytes a code point and its lowercase may have UTF-8 forms of different lengths.
    /// </summary>
    /// <exception cref="WorkbenchException">Byte units, or the inner encoder transducer is refused.</exception>
    public Wfst<Real> EncoderTransducer()
    {
        if (Units == BaseUnits.Bytes) throw new WorkbenchException("The encoder transducer of a normalised tokenizer is built over characters only.");
        var inner = Inner.EncoderTransducer();
        var targets = CharacterModel.BaseIndex(this);
        var preimages = new List<(int CodePoint, int Target)>();
        for (var codePoint = 0; codePoint <= 0x10FFFF; codePoint++)
            if (Rune.IsValid(codePoint) && targets.TryGetValue(Rune.ToLowerInvariant(new Rune(codePoint)).Value, out var target)) preimages.Add((codePoint, target));
        var input = new Alphabet(preimages.Select(p => CharacterModel.SymbolName(p.CodePoint, BaseUnits.Characters)));
        var normaliser = new Wfst<Real>(input, inner.InputAlphabet, [Real.One], [Real.One],
            [[.. preimages.Select((p, i) => new FstArc<Real>(i, p.Target, 0, Real.One))]]);
        return Composition.Compose(normaliser, inner);
    }
}
