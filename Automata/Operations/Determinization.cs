using Workbench.Automata.Core;
using Workbench.Automata.Graphs;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Operations;

/// <summary>
/// Exact weighted determinization for real weights (Mohri 1997): the weighted subset construction whose states
/// are sets of (state, residual) with residuals normalised to sum to 1, computed in exact rationals so that two
/// subsets are merged only when they are equal; an arc on a carries the total weight of the subset's a-moves,
/// rounded once to the carrier. The result is deterministic with the same string weights up to that rounding.
/// Not every WFSA is determinizable (P4.7): an unambiguous machine without the twins property is refused at once
/// with the proof (<see cref="Determinizability"/>); any other machine is refused when the construction exceeds
/// its budget of states or of residual size, with what is known about its twins property. An approximation is
/// only made on request (<see cref="ApproximateDeterminization"/>). ε-arcs are removed first. Deterministic
/// inputs are returned restricted to their accessible states in O(|Q| + |δ|); otherwise
/// O(|Q_det|·|Σ|·subset size) rational operations.
/// </summary>
public static class Determinization
{
    /// <summary>The default budget of deterministic states.</summary>
    public const int DefaultStateBudget = 200_000;

    /// <summary>The default budget of bits in a residual's numerator or denominator.</summary>
    public const int DefaultResidualBitBudget = 1 << 12;

    /// <summary>The deterministic machine with the same string weights.</summary>
    /// <exception cref="NotDeterminizableException">The machine is proven not determinizable, or the construction exceeded a budget.</exception>
    public static Wfsa<T> Determinize<T>(Wfsa<T> fsa, int stateBudget = DefaultStateBudget, int residualBitBudget = DefaultResidualBitBudget)
        where T : struct, IClosedSemiring<T>, IRealWeight<T>
    {
        if (fsa.IsDeterministic) return Reachability.Restrict(fsa, AccessibleStates(fsa));
        fsa = EpsilonRemoval.Remove(fsa);
        if (fsa.IsDeterministic) return Reachability.Restrict(fsa, AccessibleStates(fsa));
        var report = Determinizability.Analyze(fsa);
        if (report.ProvesNonDeterminizable) throw NotDeterminizableException.For(fsa, report, null);
        var weights = new Rational[fsa.ArcCount];
        for (var e = 0; e < weights.Length; e++) weights[e] = ExactValue(fsa.ArcWeights[e]);
        var builder = new WfsaBuilder<T>(fsa.Alphabet);
        var ids = new Dictionary<Subset, int>();
        var subsets = new List<Subset>();
        int StateOf(Subset subset)
        {
            if (ids.TryGetValue(subset, out var id)) return id;
            if (subsets.Count >= stateBudget)
                throw NotDeterminizableException.For(fsa, report, $"the subset construction exceeded the budget of {stateBudget:N0} states");
            if (subset.MaxBits > residualBitBudget)
                throw NotDeterminizableException.For(fsa, report, $"after {subsets.Count:N0} states a residual weight needs more than {residualBitBudget:N0} bits");
            ids[subset] = id = builder.AddState();
            subsets.Add(subset);
            return id;
        }
        var initial = new SortedDictionary<int, Rational>();
        for (var q = 0; q < fsa.StateCount; q++)
            if (!fsa.InitialWeights[q].Equals(T.Zero)) initial[q] = ExactValue(fsa.InitialWeights[q]);
        if (initial.Count == 0) return builder.Build();
        var (start, startWeight) = Subset.Normalise(initial);
        builder.SetInitial(StateOf(start), ToWeight<T>(startWeight));
        for (var index = 0; index < subsets.Count; index++)
        {
            var subset = subsets[index];
            var final = Rational.Zero;
            var moves = new SortedDictionary<int, SortedDictionary<int, Rational>>();
            for (var member = 0; member < subset.States.Length; member++)
            {
                var (q, residual) = (subset.States[member], subset.Residuals[member]);
                if (!fsa.FinalWeights[q].Equals(T.Zero)) final = Rational.Add(final, Rational.Multiply(residual, ExactValue(fsa.FinalWeights[q])));
                for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
                {
                    if (!moves.TryGetValue(fsa.ArcLabels[e], out var targets)) moves[fsa.ArcLabels[e]] = targets = [];
                    var target = fsa.ArcTargets[e];
                    var weight = Rational.Multiply(residual, weights[e]);
                    targets[target] = targets.TryGetValue(target, out var sum) ? Rational.Add(sum, weight) : weight;
                }
            }
            if (final.Numerator.Sign > 0) builder.SetFinal(index, ToWeight<T>(final));
            foreach (var (label, targets) in moves)
            {
                var (next, total) = Subset.Normalise(targets);
                if (total.Numerator.Sign > 0) builder.AddArc(index, label, StateOf(next), ToWeight<T>(total));
            }
        }
        return builder.Build();
    }

    /// <summary>The exact rational a weight stands for: its real value when the carrier holds it exactly, else e^(its log).</summary>
    internal static Rational ExactValue<T>(T weight) where T : struct, IRealWeight<T>, ISemiring<T>
    {
        var real = T.ToReal(weight);
        return double.IsNormal(real) && T.FromReal(real).Equals(weight) ? Rational.FromDouble(real) : Rational.FromLog(T.ToLogReal(weight));
    }

    /// <summary>The carrier's nearest element to a positive rational (through its logarithm where the double would underflow).</summary>
    internal static T ToWeight<T>(Rational value) where T : struct, IRealWeight<T>, ISemiring<T>
    {
        var real = value.ToDouble();
        return double.IsNormal(real) ? T.FromReal(real) : T.FromLogReal(value.Log());
    }

    private static int[] AccessibleStates<T>(Wfsa<T> fsa) where T : struct, ISemiring<T>
    {
        var accessible = Reachability.Accessible(fsa);
        return Enumerable.Range(0, fsa.StateCount).Where(q => accessible[q]).ToArray();
    }

    /// <summary>A determinized state: original states in increasing order with exact residuals summing to 1.</summary>
    private sealed class Subset : IEquatable<Subset>
    {
        private readonly int _hash;

        private Subset(int[] states, Rational[] residuals)
        {
            States = states;
            Residuals = residuals;
            var hash = new HashCode();
            for (var i = 0; i < states.Length; i++)
            {
                hash.Add(states[i]);
                hash.Add(residuals[i]);
            }
            _hash = hash.ToHashCode();
        }

        public int[] States { get; }

        public Rational[] Residuals { get; }

        public long MaxBits => Residuals.Max(r => Math.Max(r.Numerator.GetBitLength(), r.Denominator.GetBitLength()));

        public static (Subset Subset, Rational Total) Normalise(SortedDictionary<int, Rational> weights)
        {
            var positive = weights.Where(w => w.Value.Numerator.Sign > 0).ToArray();
            var total = positive.Aggregate(Rational.Zero, (sum, w) => Rational.Add(sum, w.Value));
            var residuals = positive.Select(w => positive.Length == 1 ? Rational.One : Rational.Divide(w.Value, total)).ToArray();
            return (new Subset(positive.Select(w => w.Key).ToArray(), residuals), total);
        }

        public bool Equals(Subset? other) =>
            other is not null && _hash == other._hash && States.AsSpan().SequenceEqual(other.States) && Residuals.AsSpan().SequenceEqual(other.Residuals);

        public override bool Equals(object? obj) => Equals(obj as Subset);

        public override int GetHashCode() => _hash;
    }
}
