using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Generators;

/// <summary>Random acyclic transducers and the brute-force relation of an acyclic transducer: the references that composition is checked against.</summary>
public static class RandomTransducers
{
    /// <summary>
    /// A transducer whose arcs go from a state to a higher one (so its relation is finite), 1–3 arcs per state, ε on
    /// either tape about a third of the time, weights in [0.1, 1.1), state 0 initial, the last state and a third of the
    /// others final. O(states).
    /// </summary>
    public static Wfst<Real> Acyclic(Random random, int states, Alphabet input, Alphabet output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(states, 1);
        var arcs = Enumerable.Range(0, states).Select(_ => new List<FstArc<Real>>()).ToArray();
        for (var q = 0; q < states - 1; q++)
            for (var k = random.Next(1, 4); k > 0; k--)
                arcs[q].Add(new FstArc<Real>(random.Next(3) == 0 ? Wfst<Real>.Epsilon : random.Next(input.Size), random.Next(3) == 0 ? Wfst<Real>.Epsilon : random.Next(output.Size),
                    random.Next(q + 1, states), new Real(0.1 + random.NextDouble())));
        var initial = new Real[states];
        initial[0] = Real.One;
        var final = Enumerable.Range(0, states).Select(q => q == states - 1 || random.Next(3) == 0 ? new Real(0.1 + random.NextDouble()) : Real.Zero).ToArray();
        return new Wfst<Real>(input, output, initial, final, arcs);
    }

    /// <summary>(input, output) ↦ weight, summed over every path: exponential in general, finite only for an acyclic transducer.</summary>
    /// <exception cref="WorkbenchException">A path is longer than the number of states (the transducer has a cycle).</exception>
    public static Dictionary<(string Input, string Output), double> Relation(Wfst<Real> fst)
    {
        var relation = new Dictionary<(string, string), double>();
        void Walk(int q, string x, string y, double weight, int depth)
        {
            if (depth > fst.StateCount) throw new WorkbenchException("The transducer has a cycle, so its relation cannot be enumerated.");
            if (fst.FinalWeights[q].Value > 0) relation[(x, y)] = relation.GetValueOrDefault((x, y)) + weight * fst.FinalWeights[q].Value;
            foreach (var arc in fst.ArcsOf(q))
                Walk(arc.Target, x + (arc.Input < 0 ? "" : fst.InputAlphabet.NameOf(arc.Input) + " "), y + (arc.Output < 0 ? "" : fst.OutputAlphabet.NameOf(arc.Output) + " "),
                    weight * arc.Weight.Value, depth + 1);
        }
        for (var q = 0; q < fst.StateCount; q++)
            if (fst.InitialWeights[q].Value > 0) Walk(q, "", "", fst.InitialWeights[q].Value, 0);
        return relation;
    }

    /// <summary>The relational composition Σ_y A(x, y)·B(y, z) of two enumerated relations.</summary>
    public static Dictionary<(string Input, string Output), double> Compose(Dictionary<(string Input, string Output), double> a, Dictionary<(string Input, string Output), double> b)
    {
        var result = new Dictionary<(string, string), double>();
        var byMiddle = b.GroupBy(p => p.Key.Input).ToDictionary(g => g.Key, g => g.ToArray());
        foreach (var ((x, y), wa) in a)
            foreach (var ((_, z), wb) in byMiddle.GetValueOrDefault(y) ?? [])
                result[(x, z)] = result.GetValueOrDefault((x, z)) + wa * wb;
        return result;
    }
}
