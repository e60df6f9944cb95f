using Workbench.Automata.Grammars;
using Workbench.Automata.Grammars.Parsing;
using Workbench.Automata.Operations;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;

namespace Workbench.Experiments.Languages;

/// <summary>
/// Languages from the user's files for the runner: <c>fsa:PATH</c>, a deterministic PFSA (AT&amp;T text or JSON; ε-arcs
/// removed) with its exact entropy and its Minsky baseline, and <c>cfg:PATH</c>, a PCFG (NLTK notation or JSON). A
/// string is in the language when the model gives it positive probability. A grammar may be ambiguous, so its string
/// entropy is not known exactly and KL is measured only by the paired estimator.
/// </summary>
internal static class FileLanguages
{
    /// <summary>The language of a deterministic PFSA file.</summary>
    /// <exception cref="WorkbenchException">The file is unreadable, not a PFSA, or not deterministic.</exception>
    public static FormalLanguage Pfsa(string name, string path)
    {
        var pfsa = EpsilonRemoval.Remove(Cli.Fsa.MachineFile.Read(path)).Map(w => new Real(Log.ToReal(w)));
        if (!pfsa.IsDeterministic)
            throw new WorkbenchException($"language '{name}': the runner needs the exact entropy of the source, which a non-deterministic PFSA does not give; `workbench fsa determinize {path}` first.");
        var model = new DeterministicPfsaLanguageModel<Real>(pfsa, Cli.Fsa.MachineFile.PfsaTolerance);
        return FormalLanguage.Autoregressive(name, ChomskyLevel.Regular, $"the support of the deterministic PFSA {path}", model,
            y => double.IsFinite(model.LogProbability(y)), model.Entropy().Value, new Automata.Pfsa.PfsaLengthSampler(pfsa)) with { Automaton = pfsa };
    }

    /// <summary>The language of a PCFG file.</summary>
    /// <exception cref="WorkbenchException">The file is unreadable or not a PCFG.</exception>
    public static FormalLanguage Grammar(string name, string path)
    {
        var grammar = Cli.Cfg.CfgCommands.ReadGrammar(new FileInfo(path), weighted: false);
        var cnf = ChomskyNormalForm.Convert(grammar);
        return ContextFreeLanguages.FromPcfg(name, $"the support of the PCFG {path}", grammar,
            (_, y) => double.IsFinite(InsideChart.Empty(cnf).ExtendAll(y).LogWeight), entropy: null);
    }
}
