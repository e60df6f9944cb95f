using Workbench.Automata.Core;
using Workbench.Automata.Graphs;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Operations;

/// <summary>
/// Two states reached by one prefix that loop on one cycle with different weights: a failure of the twins
/// property (Allauzen &amp; Mohri 2003). Weights are natural logarithms; labels are symbol ids.
/// </summary>
/// <param name="First">The first state q.</param>
/// <param name="Second">The second state q′.</param>
/// <param name="Prefix">A string u that reaches both from initial states.</param>
/// <param name="Cycle">A string v with cycles q →v→ q and q′ →v→ q′.</param>
/// <param name="FirstCycleLogWeight">ln of the weight of the cycle at q.</param>
/// <param name="SecondCycleLogWeight">ln of the weight of the cycle at q′.</param>
public sealed record TwinsWitness(int First, int Second, int[] Prefix, int[] Cycle, double FirstCycleLogWeight, double SecondCycleLogWeight);

/// <summary>
/// What is known about whether the weighted subset construction can close on a machine.
/// </summary>
/// <param name="Checked">Whether the self-product fitted its budget (otherwise the other fields are null).</param>
/// <param name="HasTwinsProperty">Whether every pair of sibling states are twins (cycle weights compared to a relative 10⁻¹²).</param>
/// <param name="IsUnambiguous">Whether every string has at most one accepting path.</param>
/// <param name="Witness">Two siblings that are not twins, when there are some.</param>
public sealed record DeterminizabilityReport(bool Checked, bool? HasTwinsProperty, bool? IsUnambiguous, TwinsWitness? Witness)
{
    /// <summary>
    /// Whether the report proves that no deterministic machine has the same weights: an unambiguous trim machine
    /// without the twins property (Allauzen &amp; Mohri 2003, Theorem 3; the notes' P4.7 is an instance).
    /// </summary>
    public bool ProvesNonDeterminizable => HasTwinsProperty == false && IsUnambiguous == true;
}

/// <summary>
/// Decides the twins property and unambiguity of an ε-free machine on its self-product A × A (state pairs
/// reached by a common string, arcs on equal labels). Siblings are twins iff every cycle of the product has
/// equal weights in both components, which holds iff each strongly connected component of the product admits
/// a potential φ with φ(t) = φ(s) + ln w₁ − ln w₂ on its arcs. The machine is unambiguous iff every useful
/// pair is diagonal and every useful product arc pairs an arc with itself. O(|Q|²·|δ|²/|Q|²) pairs and arcs in
/// the worst case, O(|Q| + |δ|) on deterministic machines; refused (unchecked) beyond a budget. Notes §4.1, P4.7.
/// </summary>
public static class Determinizability
{
    /// <summary>The default budget of product arcs.</summary>
    public const int DefaultProductArcBudget = 4_000_000;

    /// <summary>Relative tolerance of the cycle-weight comparison (the witness reports both weights).</summary>
    public const double CycleTolerance = 1e-12;

    /// <summary>The twins property and unambiguity of the trim part of an ε-free machine.</summary>
    /// <exception cref="ArgumentException">The machine has ε-arcs (remove them first).</exception>
    public static DeterminizabilityReport Analyze<T>(Wfsa<T> epsilonFree, int productArcBudget = DefaultProductArcBudget) where T : struct, IClosedSemiring<T>, IRealWeight<T>
    {
        if (epsilonFree.HasEpsilonArcs) throw new ArgumentException("The determinizability analysis needs an ε-free machine.", nameof(epsilonFree));
        var (fsa, original) = Reachability.Trim(epsilonFree);
        var product = SelfProduct.Build(fsa, productArcBudget);
        if (product is null) return new DeterminizabilityReport(false, null, null, null);
        var witness = FindNonTwins(fsa, product);
        if (witness is not null) witness = witness with { First = original[witness.First], Second = original[witness.Second] };
        return new DeterminizabilityReport(true, witness is null, IsUnambiguous(fsa, product), witness);
    }

    private static bool IsUnambiguous<T>(Wfsa<T> fsa, SelfProduct product) where T : struct, ISemiring<T>
    {
        var useful = product.CoAccessible(fsa);
        for (var pair = 0; pair < product.Count; pair++)
            if (useful[pair] && product.States[pair].First != product.States[pair].Second) return false;
        foreach (var arc in product.Arcs)
            if (useful[arc.Source] && useful[arc.Target] && arc.FirstArc != arc.SecondArc) return false;
        return true;
    }

    private static TwinsWitness? FindNonTwins<T>(Wfsa<T> fsa, SelfProduct product) where T : struct, IRealWeight<T>, ISemiring<T>
    {
        var components = StronglyConnectedComponents.Of(product.Offsets(), product.Arcs.Select(a => a.Target).ToArray());
        var arcsBySource = product.Offsets();
        var potential = new double[product.Count];
        var treeArc = new int[product.Count];
        var seen = new bool[product.Count];
        foreach (var members in components.Members)
        {
            var root = members[0];
            var component = components.ComponentOf[root];
            seen[root] = true;
            treeArc[root] = -1;
            var queue = new Queue<int>([root]);
            while (queue.Count > 0)
            {
                var pair = queue.Dequeue();
                for (var index = arcsBySource[pair]; index < arcsBySource[pair + 1]; index++)
                {
                    var arc = product.Arcs[index];
                    if (components.ComponentOf[arc.Target] != component) continue;
                    var step = LogRatio(fsa, arc);
                    if (!seen[arc.Target])
                    {
                        seen[arc.Target] = true;
                        potential[arc.Target] = potential[pair] + step;
                        treeArc[arc.Target] = index;
                        queue.Enqueue(arc.Target);
                    }
                    else if (Math.Abs(potential[pair] + step - potential[arc.Target]) > CycleTolerance * (1 + Math.Abs(potential[pair]) + Math.Abs(step)))
                    {
                        var witness = Witness(fsa, product, components, treeArc, index);
                        if (witness is not null) return witness;
                    }
                }
            }
        }
        return null;
    }

    private static double LogRatio<T>(Wfsa<T> fsa, ProductArc arc) where T : struct, IRealWeight<T>, ISemiring<T> =>
        T.ToLogReal(fsa.ArcWeights[arc.FirstArc]) - T.ToLogReal(fsa.ArcWeights[arc.SecondArc]);

    // The cycle root →(tree)→ source →arc→ target →(inside the component)→ root, with both components' weights.
    private static TwinsWitness? Witness<T>(Wfsa<T> fsa, SelfProduct product, StronglyConnectedComponents components, int[] treeArc, int closingArc)
        where T : struct, IRealWeight<T>, ISemiring<T>
    {
        var arc = product.Arcs[closingArc];
        var component = components.ComponentOf[arc.Source];
        var root = components.Members[component][0];
        var path = TreePath(product, treeArc, arc.Source);
        path.Add(closingArc);
        path.AddRange(PathInside(product, components, arc.Target, root));
        var (first, second) = (0.0, 0.0);
        foreach (var index in path)
        {
            first += T.ToLogReal(fsa.ArcWeights[product.Arcs[index].FirstArc]);
            second += T.ToLogReal(fsa.ArcWeights[product.Arcs[index].SecondArc]);
        }
        if (Math.Abs(first - second) <= CycleTolerance * (1 + Math.Abs(first) + Math.Abs(second))) return null;
        var (q, q2) = product.States[root];
        return new TwinsWitness(q, q2, product.PathLabels(fsa, product.PathFromInitial(root)), path.Select(i => fsa.ArcLabels[product.Arcs[i].FirstArc]).ToArray(), first, second);
    }

    private static List<int> TreePath(SelfProduct product, int[] treeArc, int pair)
    {
        var path = new List<int>();
        for (var p = pair; treeArc[p] >= 0; p = product.Arcs[treeArc[p]].Source) path.Add(treeArc[p]);
        path.Reverse();
        return path;
    }

    // Breadth-first search inside one component from `from` to `to`.
    private static List<int> PathInside(SelfProduct product, StronglyConnectedComponents components, int from, int to)
    {
        var offsets = product.Offsets();
        var component = components.ComponentOf[from];
        var via = new Dictionary<int, int> { [from] = -1 };
        var queue = new Queue<int>([from]);
        while (queue.Count > 0 && !via.ContainsKey(to))
        {
            var pair = queue.Dequeue();
            for (var index = offsets[pair]; index < offsets[pair + 1]; index++)
            {
                var target = product.Arcs[index].Target;
                if (components.ComponentOf[target] != component || !via.TryAdd(target, index)) continue;
                queue.Enqueue(target);
            }
        }
        var path = new List<int>();
        for (var p = to; via[p] >= 0; p = product.Arcs[via[p]].Source) path.Add(via[p]);
        path.Reverse();
        return path;
    }
}
