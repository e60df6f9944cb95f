using Workbench.Automata.Core;
using Workbench.Automata.Generators;
using Workbench.Automata.NGrams;
using Workbench.Automata.Operations;
using Workbench.Automata.Pathsums;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Tests;

public sealed class OperationTests
{
    private static readonly int[][] Strings = [[], [0], [1], [0, 1], [1, 0, 0], [0, 0, 1, 1]];

    private static double A(Wfsa<Real> fsa, int[] y) => Stringsum.Weight(fsa, y).Value;

    [Fact]
    public void Union_adds_and_concatenation_convolves_string_weights()
    {
        var a = RandomAutomata.Wfsa(new Random(1), 3, 2, 2, 0.5);
        var b = RandomAutomata.Wfsa(new Random(2), 4, 2, 2, 0.5);
        var union = RationalOperations.Union(a, b);
        var concatenation = RationalOperations.Concatenate(a, b);
        foreach (var y in Strings)
        {
            Assert.Equal(A(a, y) + A(b, y), A(union, y), 12);
            var convolution = Enumerable.Range(0, y.Length + 1).Sum(i => A(a, y[..i]) * A(b, y[i..]));
            Assert.Equal(convolution, A(concatenation, y), 12);
        }
    }

    [Fact]
    public void Closure_sums_all_powers()
    {
        // A = {a: 0.5}: A* gives aⁿ weight 0.5ⁿ and ε weight 1.
        var a = new WfsaBuilder<Real>(Machines.Ab).EnsureStates(2).SetInitial(0, Real.One).SetFinal(1, Real.One).AddArc(0, 0, 1, new Real(0.5)).Build();
        var star = RationalOperations.Closure(a);
        for (var n = 0; n < 5; n++) Assert.Equal(Math.Pow(0.5, n), A(star, Enumerable.Repeat(0, n).ToArray()), 14);
        Assert.Equal(0.0, A(star, [1]));
        Assert.Equal(2.0, RealPathsum.Compute(star).Allsum.Value, 12);
    }

    [Fact]
    public void Epsilon_removal_turns_a_diverging_epsilon_loop_on_a_dead_state_into_a_sink_and_keeps_the_pfsa()
    {
        // 0 –a/½→ 1 (final), 0 –b/¼→ 2, ρ(0) = ¼, and 2 –ε/1→ 2: the star of 1 diverges, but state 2 is dead.
        var pfsa = new WfsaBuilder<Real>(Machines.Ab).EnsureStates(3).SetInitial(0, Real.One).SetFinal(0, new Real(0.25)).SetFinal(1, Real.One)
            .AddArc(0, 0, 1, new Real(0.5)).AddArc(0, 1, 2, new Real(0.25)).AddArc(2, Wfsa<Real>.Epsilon, 2, Real.One)
            .Build();
        var free = EpsilonRemoval.Remove(pfsa);
        Assert.False(free.HasEpsilonArcs);
        Workbench.Automata.Pfsa.PfsaValidation.Validate(free);
        foreach (var y in Strings) Assert.Equal(A(pfsa, y), A(free, y), 15);
        Assert.Equal(0.75, RealPathsum.Compute(free).Allsum.Value, 14);
        // On a useful state the same loop is a real divergence.
        var useful = new WfsaBuilder<Real>(Machines.Ab).EnsureStates(1).SetInitial(0, Real.One).SetFinal(0, Real.One).AddArc(0, Wfsa<Real>.Epsilon, 0, Real.One).Build();
        Assert.Throws<DivergenceException>(() => EpsilonRemoval.Remove(useful));
    }

    [Fact]
    public void Intersection_multiplies_string_weights_also_with_epsilon_arcs()
    {
        var a = RandomAutomata.Wfsa(new Random(3), 4, 2, 3, 0.6);
        var b = RationalOperations.Concatenate(RandomAutomata.Wfsa(new Random(4), 2, 2, 2, 0.4), RandomAutomata.Wfsa(new Random(5), 3, 2, 2, 0.4));
        Assert.True(b.HasEpsilonArcs);
        var product = Intersection.Intersect(a, b);
        foreach (var y in Strings) Assert.Equal(A(a, y) * A(b, y), A(product, y), 12);
    }

    [Fact]
    public void Determinization_of_an_ambiguous_but_determinizable_machine_keeps_every_weight()
    {
        // The union of a deterministic PFSA with itself is ambiguous; its subsets repeat, so it determinizes.
        var d = RandomAutomata.Pfsa(new Random(7), 6, 2, 2, deterministic: true);
        var ambiguous = RationalOperations.Union(d, d);
        Assert.False(ambiguous.IsDeterministic);
        var determinized = Determinization.Determinize(ambiguous);
        Assert.True(determinized.IsDeterministic);
        foreach (var y in Strings) Assert.Equal(2 * A(d, y), A(determinized, y), 10);
    }

    [Fact]
    public void Acyclic_machines_always_determinize()
    {
        var builder = new WfsaBuilder<Real>(Machines.Ab).EnsureStates(4).SetInitial(0, new Real(0.7)).SetInitial(1, new Real(0.3)).SetFinal(3, Real.One);
        builder.AddArc(0, 0, 2, new Real(0.4)).AddArc(0, 0, 3, new Real(0.6)).AddArc(1, 0, 2, new Real(1)).AddArc(2, 1, 3, new Real(1));
        var fsa = builder.Build();
        var determinized = Determinization.Determinize(fsa);
        Assert.True(determinized.IsDeterministic);
        foreach (var y in Strings) Assert.Equal(A(fsa, y), A(determinized, y), 12);
    }

    [Fact]
    public void Minimization_merges_equivalent_states_and_keeps_every_weight()
    {
        // A 3-gram model whose conditionals ignore the older symbol is a bigram in disguise: its 7 histories
        // collapse to the bigram's 3 (BOS, a, b).
        var bigram = RandomNGrams.Model(new Random(2), 2, 2, 0);
        var bos = bigram.Alphabet.Bos;
        double[] BigramConditional(int newest) =>
            bigram.Conditional(newest == bos ? bigram.InitialState : bigram.Advance(bigram.InitialState, newest)).ToArray();
        var trigram = new NGramModel(bigram.Alphabet, 3, NGramEstimation.AllHistories(bigram.Alphabet, 3).Select(h => (h, BigramConditional(h[^1]))));
        var large = trigram.ToDeterministicPfsa();
        var minimal = Minimization.Minimize(large);
        Assert.True(minimal.StateCount < large.StateCount);
        Assert.Equal(bigram.ToDeterministicPfsa().StateCount, minimal.StateCount);
        foreach (var y in Strings) Assert.Equal(A(large, y), A(minimal, y), 10);
    }

    [Fact]
    public void Minimization_refuses_non_deterministic_machines() =>
        Assert.Throws<WorkbenchException>(() => Minimization.Minimize(RandomAutomata.Pfsa(new Random(1), 4, 2, 3)));
}

public sealed class PfsaMinimizationTests
{
    [Fact]
    public void A_non_tight_pfsa_minimizes_to_a_pfsa_that_still_leaks()
    {
        var minimal = Minimization.Minimize(Machines.LeakyPfsa());
        Workbench.Automata.Pfsa.PfsaValidation.Validate(minimal);
        Assert.Equal(2, minimal.StateCount);
        Assert.Equal(0.5, RealPathsum.Compute(minimal).Allsum.Value, 14);
    }

    [Fact]
    public void Minimization_of_random_leaking_pfsas_keeps_one_sink_and_reminimizes_its_own_output()
    {
        for (var seed = 0; seed < 30; seed++)
        {
            var pfsa = RandomAutomata.Pfsa(new Random(seed), 8, 2, 2, deterministic: true, trapStates: 3);
            var minimal = Minimization.Minimize(pfsa);
            Workbench.Automata.Pfsa.PfsaValidation.Validate(minimal);
            var useful = Graphs.Reachability.Trim(minimal).Trimmed;
            Assert.Equal(useful.StateCount + 1, minimal.StateCount);
            var again = Minimization.Minimize(minimal, 1e-12);
            Assert.True(again.Machine.StateCount <= minimal.StateCount);
            foreach (var y in new int[][] { [], [0], [1, 0], [0, 1, 1], [1, 1, 0, 0] })
                Assert.Equal(Stringsum.Weight(pfsa, y).Value, Stringsum.Weight(again.Machine, y).Value, 12);
        }
    }

    [Fact]
    public void Approximate_minimization_reports_a_bound_that_contains_the_error()
    {
        // Two states whose continuations differ by a factor 1 + 1e-7: δ = 1e-6 merges them and says by how much.
        var builder = new WfsaBuilder<Real>(Machines.Ab).EnsureStates(3).SetInitial(0, Real.One)
            .AddArc(0, 0, 1, new Real(0.5)).AddArc(0, 1, 2, new Real(0.5))
            .AddArc(1, 0, 1, new Real(0.3)).SetFinal(1, new Real(0.7))
            .AddArc(2, 0, 2, new Real(0.3 * (1 + 1e-7))).SetFinal(2, new Real(0.7));
        var fsa = builder.Build();
        Assert.Equal(3, Minimization.Minimize(fsa).StateCount);
        var approximate = Minimization.Minimize(fsa, 1e-6);
        Assert.Equal(2, approximate.Machine.StateCount);
        Assert.False(approximate.IsExact);
        Assert.Contains("approximate", approximate.Describe());
        for (var n = 0; n < 40; n++)
        {
            int[] y = [1, .. Enumerable.Repeat(0, n)];
            var error = Math.Abs(Math.Log(Stringsum.Weight(approximate.Machine, y).Value) - Math.Log(Stringsum.Weight(fsa, y).Value));
            Assert.True(error <= (y.Length + 1) * approximate.MaxMergedLogDifference + 1e-13, $"n = {n}: error {error}");
        }
    }
}
