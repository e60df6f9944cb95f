using Workbench.Automata.Core;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Tokenization;

/// <summary>
/// κ as a transducer from token ids to base symbols: one state, initial and final, and for each token a cycle through
/// fresh states that reads the token and writes the symbols it stands for (the first arc reads τ and writes the first
/// symbol, the others read ε). It is a homomorphism, so composing a token acceptor with it and projecting on the output
/// gives the character model (<see cref="CharacterModel"/>). The input symbols are token ids as decimal numbers, the output
/// symbols those of <see cref="CharacterModel.BaseAlphabet"/>. O(Σ_τ |κ(τ)|) states and arcs.
/// </summary>
public static class DecoderTransducer
{
    /// <summary>κ of <paramref name="tokenizer"/>.</summary>
    public static Wfst<Real> Of(ITokenizer tokenizer) => Weighted(tokenizer, _ => Real.One);

    /// <summary>κ restricted to the tokens that <paramref name="weightOf"/> weighs (null leaves a token out), each token's cycle weighted by it.</summary>
    internal static Wfst<Real> Weighted(ITokenizer tokenizer, Func<int, Real?> weightOf)
    {
        var input = CharacterModel.TokenAlphabet(tokenizer);
        var output = CharacterModel.BaseAlphabet(tokenizer);
        var baseIndex = CharacterModel.BaseIndex(tokenizer);
        var arcs = new List<List<FstArc<Real>>> { new() };
        for (var token = 0; token < tokenizer.VocabularySize; token++)
        {
            if (weightOf(token) is not { } weight) continue;
            var units = tokenizer.UnitsOf(token);
            var from = 0;
            for (var i = 0; i < units.Length; i++)
            {
                var to = i == units.Length - 1 ? 0 : arcs.Count;
                if (to != 0) arcs.Add([]);
                arcs[from].Add(new FstArc<Real>(i == 0 ? token : Wfst<Real>.Epsilon, baseIndex[units[i]], to, i == 0 ? weight : Real.One));
                from = to;
            }
        }
        var initial = new Real[arcs.Count];
        var final = new Real[arcs.Count];
        initial[0] = final[0] = Real.One;
        return new Wfst<Real>(input, output, initial, final, arcs);
    }
}
