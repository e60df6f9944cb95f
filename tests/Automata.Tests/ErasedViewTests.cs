using Workbench.Automata.Formats;
using Workbench.Automata.Generators;
using Workbench.Automata.Grammars;
using Workbench.Automata.Pfsa;
using Workbench.Formal.Generation;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Tests;

/// <summary>The erased view of the finite-state and context-free models agrees with their own scores and typed samplers.</summary>
public sealed class ErasedViewTests
{
    public static TheoryData<string> Models() => ["deterministic-pfsa", "pfsa", "leaky-pfsa", "pcfg"];

    private static ILanguageModel Make(string name) => name switch
    {
        "deterministic-pfsa" => new DeterministicPfsaLanguageModel<Real>(RandomAutomata.Pfsa(new Random(4), 5, 2, 2, deterministic: true)),
        "pfsa" => new PfsaLanguageModel<Real>(RandomAutomata.Pfsa(new Random(4), 5, 2, 2)),
        "leaky-pfsa" => new DeterministicPfsaLanguageModel<Real>(Machines.LeakyPfsa()),
        _ => new PcfgLanguageModel(ChomskyNormalForm.Convert(CfgTextFormat.Read("S -> S S [0.3] | 'a' [0.5] | 'b' S [0.2]", "g"))),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void The_erased_chain_rule_gives_the_models_own_probability(string name)
    {
        var model = Make(name);
        var random = new Random(9);
        for (var i = 0; i < 40; i++)
        {
            var y = Enumerable.Range(0, random.Next(6)).Select(_ => random.Next(model.Alphabet.Size)).ToArray();
            var erased = ChainRule.LogProbability(model, y);
            if (double.IsFinite(erased)) Assert.Equal(model.LogProbability(y), erased, 10);
            else Assert.Equal(double.NegativeInfinity, model.LogProbability(y));
        }
    }

    [Fact]
    public void Erased_sampling_of_a_pfsa_model_matches_its_typed_sampling()
    {
        var model = new PfsaLanguageModel<Real>(RandomAutomata.Pfsa(new Random(4), 5, 2, 2));
        var typed = AncestralSampler.SampleMany(model, 100, 2, 20);
        var erased = AncestralSampler.SampleMany((ILanguageModel)model, 100, 2, 20);
        Assert.Equal(typed.Select(s => s.Symbols), erased.Select(s => s.Symbols));
    }
}
