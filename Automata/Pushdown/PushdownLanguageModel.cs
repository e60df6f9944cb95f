using Workbench.Automata.Grammars;

namespace Workbench.Automata.Pushdown;

/// <summary>
/// A probabilistic PDA as an autoregressive language model: its triple grammar
/// (<see cref="PushdownConversions.ToGrammar"/>), in Chomsky normal form and locally renormalised
/// (<see cref="ChomskyNormalForm.Renormalise"/>), drives a <see cref="PcfgLanguageModel"/>. String, prefix and
/// next-symbol probabilities are exact; the distribution is the PDA's over finite strings divided by their
/// total mass (the PDA's own when it is tight). Notes §4.2 (P5.6).
/// </summary>
public static class PushdownLanguageModel
{
    /// <summary>The language model of <paramref name="pda"/>.</summary>
    /// <exception cref="Formal.Errors.WorkbenchException">The automaton accepts no string, or its triple grammar is too large for the prefix parser.</exception>
    public static PcfgLanguageModel Of(Wpda pda)
    {
        var grammar = PushdownConversions.ToGrammar(pda);
        if (grammar.Rules.Count == 0) throw new Formal.Errors.WorkbenchException("The pushdown automaton accepts no string, so it defines no language model.");
        return new PcfgLanguageModel(ChomskyNormalForm.Renormalise(ChomskyNormalForm.Convert(grammar)));
    }
}
