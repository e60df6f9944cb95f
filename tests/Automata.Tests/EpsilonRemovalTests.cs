using Workbench.Automata.Core;
using Workbench.Automata.Formats;
using Workbench.Automata.Generators;
using Workbench.Automata.Operations;
using Workbench.Automata.Pathsums;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Tests;

public sealed class EpsilonRemovalTests
{
    private static Wfsa<Real> WithEpsilonArcs(int seed)
    {
        var random = new Random(seed);
        var fsa = RandomAutomata.Wfsa(random, 6, 2, 2, 0.5);
        var builder = new WfsaBuilder<Real>(fsa.Alphabet).EnsureStates(fsa.StateCount);
        for (var q = 0; q < fsa.StateCount; q++)
        {
            builder.SetInitial(q, fsa.InitialWeights[q]).SetFinal(q, fsa.FinalWeights[q]);
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++) builder.AddArc(q, fsa.ArcLabels[e], fsa.ArcTargets[e], fsa.ArcWeights[e]);
            // ε-arcs, cycles included, light enough that every ε-closure converges.
            if (random.NextDouble() < 0.6) builder.AddArc(q, Wfsa<Real>.Epsilon, random.Next(fsa.StateCount), new Real(0.3 * random.NextDouble()));
        }
        return builder.Build();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void String_weights_survive_epsilon_removal(int seed)
    {
        var fsa = WithEpsilonArcs(seed);
        Assert.True(fsa.HasEpsilonArcs);
        var free = EpsilonRemoval.Remove(fsa);
        Assert.False(free.HasEpsilonArcs);
        foreach (var y in new[] { Array.Empty<int>(), [0], [1, 0], [0, 0, 1], [1, 1, 0, 1] })
            Assert.Equal(Stringsum.Weight(fsa, y).Value, Stringsum.Weight(free, y).Value, 12);
        Assert.Equal(RealPathsum.Compute(fsa).Allsum.Value, RealPathsum.Compute(free).Allsum.Value, 11);
    }

    [Fact]
    public void A_pfsa_with_an_epsilon_start_becomes_an_epsilon_free_pfsa_with_the_same_language()
    {
        var original = RandomAutomata.Pfsa(new Random(9), 6, 3, 2);
        var viaText = AttFormat.Read(AttFormat.Write(original), "memory", alphabet: original.Alphabet);
        Assert.True(viaText.HasEpsilonArcs);
        var free = EpsilonRemoval.Remove(viaText);
        PfsaValidation.Validate(free);
        var direct = new PfsaLanguageModel<Real>(original);
        var restored = new PfsaLanguageModel<Log>(free);
        foreach (var y in new[] { Array.Empty<int>(), [0], [2, 1], [1, 1, 0] })
            Assert.Equal(direct.LogProbability(y), restored.LogProbability(y), 10);
    }
}
