using FsCheck;
using FsCheck.Fluent;
using Workbench.Automata.Core;
using Workbench.Automata.Generators;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Adapters;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;
using Workbench.Proofs.Generators;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P8.6: a state-wise sampling adapter applied to a deterministic PFSA is another PFSA whose conditionals are
/// adapter(p(· | q)); its tightness is decided by the graph criterion (P4.6) and can differ from the original's — greedy
/// decoding (top-1) never stops when EOS is never a state's most probable symbol.
/// </summary>
public static class P8_6_AdaptedPfsas
{
    /// <summary>Random deterministic PFSAs (traps included) under temperature, top-k, top-p and locally typical adapters.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P8.6",
        "A sampling adapter applied to a deterministic PFSA is a PFSA with conditionals adapter(p(· | q)) on the same states; the graph criterion decides its tightness, which can change (top-1 on a state whose EOS is never the argmax never stops).",
        "lecture on decoding (sampling adapters; notes Part 3) with §4.1 (P4.6)",
        Arb.From(
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from states in Gen.Choose(1, 7)
            from size in Gen.Choose(1, 3)
            from arcs in Gen.Choose(1, size)
            from traps in Gen.Choose(0, 2)
            from kind in Gen.Choose(0, 4)
            from parameter in Numbers.Between(0.05, 0.95)
            from strings in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(0, size - 1), 6), 8)
            select (new PfsaInstance(seed, states, size, arcs, true, traps), kind, parameter, strings)),
        Check, defaultTrials: 60);

    private static ISamplingAdapter Adapter(int kind, double parameter) => kind switch
    {
        0 => new TemperatureAdapter(0.2 + 3 * parameter),
        1 => new TopKAdapter(1),
        2 => new TopKAdapter(2),
        3 => new TopPAdapter(parameter),
        _ => new LocallyTypicalAdapter(parameter),
    };

    private static void Check((PfsaInstance Instance, int Kind, double Parameter, int[][] Strings) input)
    {
        var pfsa = input.Instance.Build();
        var adapter = Adapter(input.Kind, input.Parameter);
        var adapted = PfsaAdaptation.Adapt(pfsa, adapter);
        PfsaValidation.Validate(adapted);
        Require.That(adapted.IsDeterministic && adapted.StateCount == pfsa.StateCount, "the adapted machine keeps the deterministic states");
        // Its string probabilities are those of the adapted language model, computed step by step on the original.
        var reference = new AdaptedLanguageModel<int>(new DeterministicPfsaLanguageModel<Real>(pfsa), adapter);
        var built = new DeterministicPfsaLanguageModel<Real>(adapted);
        foreach (var y in input.Strings.Select(s => s.Take(s.Length % 7).ToArray()))
            Require.Close(reference.LogProbability(y), built.LogProbability(y), 1e-10, $"log q([{string.Join(' ', y)}]) under {adapter.Name}");
        // The verdict is the graph criterion's, and it agrees with the allsum of the adapted machine.
        var report = PfsaTightness.Analyze(adapted);
        Require.That(report.Verdict != TightnessVerdict.Unknown, "the adapted PFSA's tightness is decided");
        Require.That((report.Verdict == TightnessVerdict.Tight) == (Math.Abs(report.Mass - 1) < 1e-9), $"verdict {report.Verdict} against the mass {report.Mass}");
        CheckGreedyLoop();
    }

    // p(a | q) = 0.6 > p(EOS | q) = 0.4: tight, but top-1 keeps only a, so the greedy model never stops.
    private static void CheckGreedyLoop()
    {
        var loop = new WfsaBuilder<Real>(RandomAutomata.Letters(1)).EnsureStates(1).SetInitial(0, Real.One).SetFinal(0, new Real(0.4)).AddArc(0, 0, 0, new Real(0.6)).Build();
        Require.That(PfsaTightness.Analyze(loop).Verdict == TightnessVerdict.Tight, "the loop PFSA is tight");
        var greedy = PfsaAdaptation.Adapt(loop, new TopKAdapter(1));
        var report = PfsaTightness.Analyze(greedy);
        Require.That(report.Verdict == TightnessVerdict.NotTight && report.Mass == 0, $"greedy decoding of the loop stops with probability {report.Mass}, not 0");
    }
}
