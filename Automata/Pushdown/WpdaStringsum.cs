using Workbench.Formal.Errors;

namespace Workbench.Automata.Pushdown;

/// <summary>
/// The weight of a string under a WPDA computed on the automaton itself, from its pop computations:
/// P[i, p, X, j, q] is the total weight of the runs that start at input position i in state p with X on top
/// and end at position j in state q the moment X (with everything pushed in its place) is popped. A
/// transition p —a, X → Y₁…Y_k→ p₁ contributes w times the chained pops of Y₁, …, Y_k from p₁ after reading a;
/// the weight of y is Σ_q P[0, q₀, Z₀, n, q]·ρ(q). The system is solved by monotone (Kleene) iteration from 0
/// until no entry changes by more than a relative 1e-15, which terminates for every automaton whose
/// ε-cycles have total weight below 1; otherwise divergence is reported. Each sweep costs
/// O(|δ|·n^(k_max+1)·|Q|^(k_max)). The grammar route (<see cref="PushdownConversions.ToGrammar"/>, then Earley)
/// must agree. Notes §4.2 (P5.6; Butoi et al. 2022).
/// </summary>
public static class WpdaStringsum
{
    /// <summary>Sweeps after which the iteration is declared divergent.</summary>
    public const int MaxSweeps = 100_000;

    /// <summary>The weight of <paramref name="y"/>.</summary>
    /// <exception cref="DivergenceException">The iteration does not settle (ε-cycles of weight ≥ 1).</exception>
    public static double Weight(Wpda pda, ReadOnlySpan<int> y)
    {
        pda.Terminals.Validate(y);
        var n = y.Length;
        var input = y.ToArray();
        int q = pda.States, g = pda.StackSymbols.Count, positions = n + 1;
        int Index(int i, int p, int x, int j, int r) => (((i * q + p) * g + x) * positions + j) * q + r;
        var pops = new double[positions * q * g * positions * q];
        for (var sweep = 0; sweep < MaxSweeps; sweep++)
        {
            var next = new double[pops.Length];
            for (var i = 0; i <= n; i++)
                foreach (var t in pda.Transitions)
                {
                    if (t.Input != Wpda.Epsilon && (i == n || input[i] != t.Input)) continue;
                    // Chain the pops of the pushed symbols: reach[j·|Q| + r] = weight of being at j in r.
                    var reach = new double[positions * q];
                    reach[(t.Input == Wpda.Epsilon ? i : i + 1) * q + t.To] = t.Weight;
                    foreach (var pushed in t.Push)
                    {
                        var after = new double[positions * q];
                        for (var j = 0; j <= n; j++)
                            for (var r = 0; r < q; r++)
                            {
                                var weight = reach[j * q + r];
                                if (weight == 0) continue;
                                for (var k = j; k <= n; k++)
                                    for (var s = 0; s < q; s++) after[k * q + s] += weight * pops[Index(j, r, pushed, k, s)];
                            }
                        reach = after;
                    }
                    for (var j = 0; j <= n; j++)
                        for (var r = 0; r < q; r++) next[Index(i, t.From, t.Pop, j, r)] += reach[j * q + r];
                }
            var settled = true;
            for (var e = 0; e < next.Length && settled; e++) settled = Math.Abs(next[e] - pops[e]) <= 1e-15 * Math.Max(next[e], double.Epsilon);
            if (next.Any(v => !double.IsFinite(v))) break;
            pops = next;
            if (settled)
            {
                var total = 0.0;
                for (var r = 0; r < q; r++) total += pops[Index(0, pda.InitialState, pda.InitialStack, n, r)] * pda.FinalWeights[r];
                return total;
            }
        }
        throw new DivergenceException($"The pop computations of the pushdown automaton did not settle within {MaxSweeps} sweeps: its ε-cycles have total weight ≥ 1 (or converge too slowly to certify).");
    }
}
