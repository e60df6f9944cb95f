using Workbench.Automata.Core;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Pfsa;

/// <summary>
/// A model that is a deterministic PFSA and exposes the machine: one path per string, so −log q(y) is a sum of arc
/// rewards along it, which is what the exact cross-entropies against it (PFSA × DPFSA, PCFG × DPFSA) need. Notes §4.1.
/// </summary>
public interface IDeterministicPfsaModel : ILanguageModel
{
    /// <summary>The deterministic PFSA, with real weights.</summary>
    Wfsa<Real> DeterministicMachine { get; }
}
