using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Constructions;
using Workbench.Neural.Models;

namespace Workbench.Neural.Tests;

public sealed class ConstructionTests
{
    [Fact]
    public void The_stack_rnn_is_exact_in_rationals_and_misreads_in_float64_once_the_stack_outgrows_the_significand()
    {
        // A double carries 15.95 decimal digits; each pop multiplies the error by 10, so deep stacks fail.
        var points = StackPrecision.Measure(maxDepth: 24, seed: 1);
        Assert.All(points, p => Assert.True(p.ExactCorrect, $"the exact run misread depth {p.Depth}"));
        Assert.All(points.Where(p => p.Depth <= 12), p => Assert.True(p.Float64Correct, $"float64 misread a shallow stack of depth {p.Depth}"));
        int failure = points.First(p => !p.Float64Correct).Depth;
        Assert.InRange(failure, 13, 20);
        Assert.All(points.Where(p => p.Depth >= 21), p => Assert.False(p.Float64Correct));
    }

    [Fact]
    public void Two_stack_machines_refuse_transitions_that_pop_an_empty_stack()
    {
        var transitions = new TwoStackTransition?[1, 1, 3, 3];
        transitions[0, 0, 0, 0] = new TwoStackTransition(0, StackOperation.Pop, StackOperation.Keep);
        var error = Assert.Throws<ArgumentException>(() => new TwoStackPda(1, 1, 0, [true], transitions));
        Assert.Contains("pops an empty stack", error.Message);
        Assert.Throws<ArgumentException>(() => StackRnnConstruction.DecodeStack(Rational.Of(2, 10)));
    }

    [Fact]
    public void Minsky_refuses_non_deterministic_machines_and_extraction_refuses_non_heaviside_networks()
    {
        var alphabet = Alphabet.FromCharacters("a");
        var nondeterministic = new WfsaBuilder<Real>(alphabet).EnsureStates(2)
            .SetInitial(0, Real.One).SetFinal(0, new Real(0.5)).SetFinal(1, Real.One)
            .AddArc(0, 0, 0, new Real(0.25)).AddArc(0, 0, 1, new Real(0.25))
            .Build();
        Assert.Contains("deterministic", Assert.Throws<InvalidModelException>(() => MinskyConstruction.Compile(nondeterministic)).Message);
        var tanh = new ElmanNetwork(alphabet, NeuralArchitecture.Parse("elman:hidden=2,activation=tanh"));
        Assert.Contains("Heaviside", Assert.Throws<InvalidModelException>(() => HeavisideExtraction.Extract(tanh)).Message);
    }

    [Fact]
    public void Extraction_stops_at_its_state_limit()
    {
        const int hidden = 6;
        var u = new double[hidden, hidden];
        var bias = new double[hidden];
        // A twisted ring (Johnson counter): each unit copies the next and the last negates the first, so the
        // hidden state runs through 2D distinct vectors.
        for (int i = 0; i < hidden; i++)
        {
            if (i + 1 < hidden)
                u[i, i + 1] = 1;
            else
                u[i, 0] = -1;
            bias[i] = i + 1 < hidden ? 0 : 1;
        }
        var weights = new ElmanWeights(u, new double[1, hidden], bias, new double[hidden], new double[2, hidden], [0, 0]);
        var network = ElmanNetwork.FromWeights(Alphabet.FromCharacters("a"), new NeuralArchitecture { Kind = NetworkKind.Elman, Hidden = hidden, Activation = Activation.Heaviside, Double = true }, weights);
        Assert.Equal(2 * hidden, HeavisideExtraction.Extract(network).StateCount);
        Assert.Contains("more than 5 hidden states", Assert.Throws<InvalidModelException>(() => HeavisideExtraction.Extract(network, maxStates: 5)).Message);
    }
}
