using Workbench.Automata.Generators;
using Workbench.Automata.Operations;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Semirings;
using Workbench.Neural.Constructions;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P6.7: Heaviside RNN LMs and deterministic PFSA LMs are the same class (weak equivalence): the round trip
/// dPFSA → RNN (Minsky) → dPFSA (reachable hidden states) gives the same LM, and after minimisation it has no
/// more states than the machine it started from.
/// </summary>
public static class P6_7_HeavisideRnnsEqualDeterministicPfsas
{
    /// <summary>Random deterministic PFSAs through the round trip.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P6.7",
        "HRNN LMs ≡ deterministic PFSA LMs: dPFSA → HRNN → dPFSA gives the same LM, and its minimal form has no more states than the original.",
        "§5.2 (Theorem 5.2.1)",
        P6_6_MinskyConstruction.Machines,
        Check,
        defaultTrials: 30);

    private static void Check((int Seed, int States, int Symbols, int Arcs, bool Sparsemax) instance)
    {
        var random = new Random(instance.Seed);
        var original = RandomAutomata.Pfsa(random, instance.States, instance.Symbols, instance.Arcs, deterministic: true);
        var network = MinskyConstruction.Compile(original, instance.Sparsemax ? Neural.Architecture.OutputProjection.Sparsemax : Neural.Architecture.OutputProjection.Softmax);
        var roundTrip = HeavisideExtraction.Extract(network);
        var before = new DeterministicPfsaLanguageModel<Real>(original);
        var after = new DeterministicPfsaLanguageModel<Real>(roundTrip);
        for (int i = 0; i < 20; i++)
        {
            int[] y = Enumerable.Range(0, random.Next(10)).Select(_ => random.Next(instance.Symbols)).ToArray();
            Require.Close(before.LogProbability(y), after.LogProbability(y), 1e-10, $"log p of [{string.Join(' ', y)}] before and after the round trip");
        }
        int minimal = Minimization.Minimize(roundTrip).StateCount;
        Require.AtMost(minimal, original.StateCount, 0, Invariant($"the round trip's minimal machine ({minimal} states, {roundTrip.StateCount} before minimising) against the original's {original.StateCount} states"));
    }
}
