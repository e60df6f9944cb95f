using Workbench.Automata.Formats;
using Workbench.Automata.Core;
using Workbench.Automata.Generators;
using Workbench.Automata.Grammars;
using Workbench.Automata.Grammars.Parsing;
using Workbench.Automata.Pathsums;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Tests;

public sealed class BarHillelTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.45)]
    public void The_probability_of_an_even_length_is_the_treesum_of_the_intersection(double p)
    {
        // Lengths of S → S S [p] | a [1 − p] have generating function f(x) = p·f(x)² + (1 − p)·x, so
        // P(|y| even) = (f(1) + f(−1))/2 with f(1) = 1 and f(−1) = (1 − √(1 + 4p(1 − p)))/(2p).
        var grammar = CfgTextFormat.Read(FormattableString.Invariant($"S -> S S [{p:R}] | 'a' [{1 - p:R}]"), "branching");
        var expected = (1 + (1 - Math.Sqrt(1 + 4 * p * (1 - p))) / (2 * p)) / 2;
        // Parity automaton with an ε-detour: 0 —a→ 1 —ε→ 2 —a→ 0, final in 0.
        var parity = new WfsaBuilder<Real>(new Alphabet(["a"])).EnsureStates(3);
        parity.SetInitial(0, Real.One).SetFinal(0, Real.One);
        parity.AddArc(0, 0, 1, Real.One).AddArc(1, Wfsa<Real>.Epsilon, 2, Real.One).AddArc(2, 0, 0, Real.One);
        var intersection = BarHillel.Intersect(grammar, parity.Build());
        Assert.Equal(expected, Treesum.Newton(intersection).Values[intersection.Start], 12);
    }

    [Fact]
    public void The_intersection_weighs_every_string_by_the_product_of_both()
    {
        for (var seed = 0; seed < 25; seed++)
        {
            var random = new Random(seed);
            var grammar = RandomGrammars.CnfPcfg(random, 3, 2, 2, 0.35);
            var automaton = RandomAutomata.Wfsa(random, 3, 2, 2, 0.6);
            var intersection = BarHillel.Intersect(grammar, automaton);
            for (var length = 0; length <= 4; length++)
                foreach (var y in Strings.UpTo(2, length).Where(s => s.Length == length))
                {
                    var expected = (y.Length == 0 ? 0 : Math.Exp(Inside.LogWeight(grammar, y))) * Stringsum.Weight(automaton, y).Value;
                    Assert.Equal(expected, Earley.Weight(intersection, y), 1e-14);
                }
        }
    }
}
