using Workbench.Automata.Core;
using Workbench.Automata.Generators;
using Workbench.Automata.Operations;
using Workbench.Automata.Pathsums;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Tests;

public sealed class DeterminizationTests
{
    private static double A(Wfsa<Real> fsa, int[] y) => Stringsum.Weight(fsa, y).Value;

    private static IEnumerable<int[]> AllStrings(int symbols, int maxLength)
    {
        IEnumerable<int[]> level = [[]];
        for (var n = 0; n <= maxLength; n++)
        {
            foreach (var y in level) yield return y;
            level = level.SelectMany(y => Enumerable.Range(0, symbols).Select(a => (int[])[.. y, a])).ToArray();
        }
    }

    // Two branches entered on 'a' that loop on 'a' with weights 0.5 and 0.8 and leave on different symbols: every
    // string has one path (unambiguous), the branches are siblings that are not twins, so no deterministic machine exists.
    private static Wfsa<Real> TwoBranches() =>
        new WfsaBuilder<Real>(RandomAutomata.Letters(3)).EnsureStates(5).SetInitial(0, Real.One)
            .AddArc(0, 0, 1, new Real(0.5)).AddArc(0, 0, 2, new Real(0.5))
            .AddArc(1, 0, 1, new Real(0.5)).AddArc(1, 1, 3, new Real(0.5))
            .AddArc(2, 0, 2, new Real(0.8)).AddArc(2, 2, 4, new Real(0.2))
            .SetFinal(3, Real.One).SetFinal(4, Real.One)
            .Build();

    [Fact]
    public void An_unambiguous_machine_without_the_twins_property_is_refused_with_the_proof()
    {
        var error = Assert.Throws<NotDeterminizableException>(() => Determinization.Determinize(TwoBranches()));
        Assert.True(error.Report.ProvesNonDeterminizable);
        Assert.Contains("not determinizable", error.Message);
        Assert.Contains("loop on 'a'", error.Message);
        var witness = error.Report.Witness!;
        Assert.Equal([0.5, 0.8], new[] { Math.Exp(witness.FirstCycleLogWeight), Math.Exp(witness.SecondCycleLogWeight) }.Order().Select(w => Math.Round(w, 12)));
    }

    [Fact]
    public void A_mixture_of_geometric_distributions_is_refused_with_the_evidence()
    {
        // p(aⁿ) = ½·0.5ⁿ·0.5 + ½·0.8ⁿ·0.2 (P4.7): ambiguous, not twins; the exact residuals never repeat.
        var mixture = new WfsaBuilder<Real>(Machines.Ab).EnsureStates(2)
            .SetInitial(0, new Real(0.5)).SetInitial(1, new Real(0.5))
            .AddArc(0, 0, 0, new Real(0.5)).SetFinal(0, new Real(0.5))
            .AddArc(1, 0, 1, new Real(0.8)).SetFinal(1, new Real(0.2))
            .Build();
        var error = Assert.Throws<NotDeterminizableException>(() => Determinization.Determinize(mixture));
        Assert.False(error.Report.IsUnambiguous);
        Assert.False(error.Report.HasTwinsProperty);
        Assert.Contains("twins property fails", error.Message);
        // Relative merging cannot close it either: the ratio of the residuals drifts by 0.625 per symbol.
        Assert.Throws<NotDeterminizableException>(() => ApproximateDeterminization.Determinize(mixture, 1e-6, stateBudget: 5_000));
    }

    [Fact]
    public void Random_determinizable_machines_keep_every_string_weight_exactly()
    {
        // Unions of a deterministic machine with reweighted copies of itself are ambiguous with the twins property;
        // acyclic machines always determinize. Both against the forward algorithm on every string up to length 6.
        var checkedMachines = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            var random = new Random(seed);
            var d = RandomAutomata.Pfsa(random, 1 + random.Next(6), 2, 1 + random.Next(2), deterministic: true);
            var fsa = RationalOperations.Union(d, Scaled(d, 0.25 + random.NextDouble()));
            var determinized = Determinization.Determinize(fsa);
            Assert.True(determinized.IsDeterministic);
            foreach (var y in AllStrings(2, 6))
                Assert.True(Math.Abs(A(determinized, y) - A(fsa, y)) <= 1e-13 * A(fsa, y) + 1e-300, $"seed {seed}, y = [{string.Join(' ', y)}]");
            checkedMachines++;
        }
        Assert.Equal(40, checkedMachines);
    }

    [Fact]
    public void A_one_state_machine_and_the_empty_machine_determinize()
    {
        var one = new WfsaBuilder<Real>(Machines.Ab).EnsureStates(1).SetInitial(0, new Real(0.3)).SetFinal(0, new Real(0.5)).Build();
        Assert.Equal(0.15, A(Determinization.Determinize(one), []), 15);
        Assert.Equal(0, Determinization.Determinize(new WfsaBuilder<Real>(Machines.Ab).Build()).StateCount);
    }

    [Fact]
    public void Approximate_determinization_states_a_bound_that_contains_the_true_error()
    {
        // The branches loop with weights 0.5 and 0.5·(1 + 1e-9): not twins, but δ = 1e-6 merges the drift until it
        // passes δ and says so; the bound |ln A′(y) − ln A(y)| ≤ |y|·max difference must hold on every string tried.
        var builder = new WfsaBuilder<Real>(RandomAutomata.Letters(3)).EnsureStates(5).SetInitial(0, Real.One)
            .AddArc(0, 0, 1, new Real(0.5)).AddArc(0, 0, 2, new Real(0.5))
            .AddArc(1, 0, 1, new Real(0.5)).AddArc(1, 1, 3, new Real(0.5))
            .AddArc(2, 0, 2, new Real(0.5 * (1 + 1e-9))).AddArc(2, 2, 4, new Real(0.5))
            .SetFinal(3, Real.One).SetFinal(4, Real.One);
        var fsa = builder.Build();
        Assert.Throws<NotDeterminizableException>(() => Determinization.Determinize(fsa));
        var approximate = ApproximateDeterminization.Determinize(fsa, 1e-6);
        Assert.False(approximate.IsExact);
        Assert.Contains("approximate", approximate.Describe());
        Assert.True(approximate.Machine.IsDeterministic);
        for (var n = 1; n < 1000; n += 37)
            foreach (var last in new[] { 1, 2 })
            {
                int[] y = [.. Enumerable.Repeat(0, n), last];
                var error = Math.Abs(Math.Log(A(approximate.Machine, y)) - Math.Log(A(fsa, y)));
                Assert.True(error <= approximate.LogErrorBound(y.Length) + 1e-12 * y.Length, $"n = {n}: error {error} above {approximate.LogErrorBound(y.Length)}");
            }
    }

    [Fact]
    public void Determinization_keeps_weights_that_underflow_a_double()
    {
        // Weights e^−800 cannot be doubles; in the log semiring the exact construction keeps them.
        var builder = new WfsaBuilder<Log>(Machines.Ab).EnsureStates(3).SetInitial(0, Log.One)
            .AddArc(0, 0, 1, new Log(-800)).AddArc(0, 0, 2, new Log(-801)).SetFinal(1, Log.One).SetFinal(2, Log.One);
        var determinized = Determinization.Determinize(builder.Build());
        Assert.Equal(Math.Log(Math.Exp(-800 + 800) + Math.Exp(-801 + 800)) - 800, Stringsum.Weight(determinized, [0]).Value, 10);
    }

    private static Wfsa<Real> Scaled(Wfsa<Real> fsa, double factor)
    {
        var builder = new WfsaBuilder<Real>(fsa.Alphabet).EnsureStates(fsa.StateCount);
        for (var q = 0; q < fsa.StateCount; q++)
        {
            builder.SetInitial(q, new Real(fsa.InitialWeights[q].Value * factor)).SetFinal(q, fsa.FinalWeights[q]);
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++) builder.AddArc(q, fsa.ArcLabels[e], fsa.ArcTargets[e], fsa.ArcWeights[e]);
        }
        return builder.Build();
    }
}
