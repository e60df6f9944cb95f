using FsCheck;
using FsCheck.Fluent;
using Workbench.Formal.Semirings;

namespace Workbench.Proofs.Theorems;

/// <summary>
/// P4.7: non-deterministic PFSAs are strictly more expressive than deterministic ones. In a unary
/// deterministic PFSA with m states the state sequence of aⁿ is eventually periodic with some period
/// k ≤ m, so p(aⁿ⁺ᵏ)/p(aⁿ) is the same for every n ≥ m; a mixture of two geometric distributions with
/// distinct rates (a two-state non-deterministic PFSA) has no such k for any m. Checked in exact rationals.
/// </summary>
public static class P4_7_NonDeterminismAddsPower
{
    /// <summary>Random unary deterministic PFSAs with rational weights, and random two-rate mixtures.</summary>
    public static Theorem Theorem { get; } = Theorem.ForAll(
        "P4.7",
        "Non-deterministic PFSAs are strictly more expressive: in every unary deterministic PFSA with m states, p(aⁿ⁺ᵏ)/p(aⁿ) is constant for n ≥ m for some k ≤ m, while a mixture of two geometric distributions with distinct rates has no such k for any m (exact rational arithmetic).",
        "§4.1 (determinism; Butoi, Cotterell, Svete 2024)",
        Arb.From(
            from m in Gen.Choose(1, 6)
            from successors in Gen.ArrayOf(Gen.Choose(0, m - 1), m)
            from continuations in Gen.ArrayOf(Gen.Choose(1, 9), m)
            from rates in Gen.Choose(1, 9).Two().Where(r => r.Item1 != r.Item2)
            select (m, successors, continuations, rates)),
        Check);

    private static void Check((int States, int[] Successors, int[] Continuations, (int, int) Rates) instance)
    {
        var (m, successors, continuations, (r1, r2)) = instance;
        // Deterministic: state q goes on with probability c_q/10 (to successors[q]) and stops with the rest.
        Rational Deterministic(int n)
        {
            var (state, p) = (0, Rational.One);
            for (var t = 0; t < n; t++)
            {
                p = Rational.Multiply(p, Rational.Of(continuations[state], 10));
                state = successors[state];
            }
            return Rational.Multiply(p, Rational.Of(10 - continuations[state], 10));
        }
        Require.That(Enumerable.Range(1, m).Any(k => RatioIsConstant(Deterministic, m, k)),
            $"no period k ≤ {m} makes p(aⁿ⁺ᵏ)/p(aⁿ) constant for the deterministic machine");

        // The mixture ½·Geometric(r₁/10) + ½·Geometric(r₂/10) is a two-state non-deterministic PFSA.
        Rational Mixture(int n) => Rational.Add(Geometric(r1, n), Geometric(r2, n));
        for (var size = 1; size <= m; size++)
            Require.That(Enumerable.Range(1, size).All(k => !RatioIsConstant(Mixture, size, k)),
                $"the mixture of rates {r1}/10 and {r2}/10 has a constant ratio for some k ≤ {size}, like a {size}-state deterministic PFSA");
    }

    private static Rational Geometric(int rate, int n)
    {
        var p = Rational.Of(1, 2);
        for (var t = 0; t < n; t++) p = Rational.Multiply(p, Rational.Of(rate, 10));
        return Rational.Multiply(p, Rational.Of(10 - rate, 10));
    }

    // p(aⁿ⁺ᵏ)/p(aⁿ) equal for every n in [m, 3m].
    private static bool RatioIsConstant(Func<int, Rational> p, int m, int k)
    {
        var first = Rational.Divide(p(m + k), p(m));
        return Enumerable.Range(m + 1, 2 * m).All(n => Rational.Divide(p(n + k), p(n)).Equals(first));
    }
}
