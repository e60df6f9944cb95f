using System.Collections.Immutable;
using Workbench.Automata.Core;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Tokenization;

/// <summary>
/// A tokenizer as the formal pair (τ, κ): an encoder τ from text to token ids and a decoder κ, the homomorphism that maps
/// each token to the base symbols it stands for. BPE and Unigram are tokenizers; the character model of a token model
/// (<see cref="CharacterModel"/>) needs only κ. Notes Part 2 (tokenization; Gastaldi et al. 2024).
/// </summary>
public interface ITokenizer
{
    /// <summary>Code points or bytes.</summary>
    BaseUnits Units { get; }

    /// <summary>How text is cut into segments first.</summary>
    PreTokenization PreTokenization { get; }

    /// <summary>What the tokenizer does to text before encoding it (<see cref="NormalizedTokenizer"/>); none for the tokenizers themselves.</summary>
    Normalization Normalization => Normalization.None;

    /// <summary>|V|.</summary>
    int VocabularySize { get; }

    /// <summary>The base symbols the tokens are made of, each once.</summary>
    ImmutableArray<int> BaseSymbols { get; }

    /// <summary>κ(token).</summary>
    ImmutableArray<int> UnitsOf(int token);

    /// <summary>τ(x).</summary>
    int[] Encode(string text);

    /// <summary>The text of κ(τ) for a token sequence.</summary>
    string Decode(IReadOnlyList<int> tokens);

    /// <summary>
    /// τ as a transducer from the characters it reads — the base symbols (<see cref="CharacterModel.BaseAlphabet"/>), and
    /// for a normalising tokenizer every character that normalises to one — to token ids, exact on every text over them: functional for BPE and WordPiece (one path of weight 1, writing τ(x)); for Unigram the
    /// lattice weighted by piece probabilities, whose best path is τ(x) and whose paths sum to the marginal. Built for
    /// pre-tokenizations that are local in the base symbols (<see cref="LocalSegmentation"/>), refused otherwise.
    /// </summary>
    /// <exception cref="Formal.Errors.WorkbenchException">The pre-tokenization is not local, or the construction exceeds its budget.</exception>
    Wfst<Real> EncoderTransducer();

    /// <summary>A few lines that characterise the vocabulary: the first merges of BPE, the most probable pieces of Unigram.</summary>
    IReadOnlyList<string> Highlights(int count);
}
