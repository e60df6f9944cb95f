using static TorchSharp.torch;

namespace Workbench.Neural.Layers;

/// <summary>
/// The differentiable nondeterministic stack of DuSell &amp; Chiang (2020, 2022): a probabilistic pushdown automaton with
/// states Q and stack symbols Γ whose every run is followed at once, by Lang's dynamic programme over the P = |Q|·|Γ|
/// configurations (state, top symbol). Its reading after step t is the distribution of the configuration over all runs,
/// α[t] / Σ α[t]. Transitions at step t, from each configuration (s, z) (rows sum to 1 over the three kinds together): push
/// (r, y) onto z; replace z by (r, y); pop z and go to state r.
/// <para>
/// The inner weight γ[i → t][(q, x) → (r, y)] sums the runs from step i to step t that start in (q, x) and end in (r, y)
/// with the stack of step i plus one symbol y, never popping x: a push when t = i + 1, otherwise a replacement after
/// γ[i → t−1] or a pop after γ[i → k]·γ[k → t−1] for i &lt; k &lt; t − 1. The forward weight α[t] = Σ_i α[i]·γ[i → t]. The
/// stack starts as ⊥ = configuration 0 (state 0, symbol 0), pushed at step 0 onto an empty stack at step −1; a run that pops
/// ⊥ ends there.
/// </para>
/// <para>
/// Memory-limited (DuSell &amp; Chiang 2022): only the last W steps are kept, so a symbol can be read again at most W − 1
/// steps after it was pushed; on strings of at most W − 1 symbols the stack is exact. The state holds γ over the kept steps,
/// [B, S, P, S, P] with γ[τ_a → τ_b][p → q] at [a, p, b, q] for the steps τ_a = t − S + 1 + a (S = min(t + 2, W), from
/// step −1), and α over the same steps [B, S, P], all in float64 and scaled by one common factor so that the latest α sums to 1
/// (the scale cancels in every reading). The layout makes the pop term one batched matrix product over the flattened
/// (step, configuration) pairs, with no permutation of the S²·P² table. O(B·S²·P²·|Q|·|Γ|) per step.
/// </para>
/// </summary>
public static class NondeterministicStack
{
    /// <summary>The stack after step 0 (⊥ alone) for a batch: the inner weights [B, 2, P, 2, P] and forward weights [B, 2, P] over steps −1 and 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No configuration.</exception>
    public static (Tensor Inner, Tensor Forward) Initial(long batch, int configurations, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(configurations, 1);
        // γ[−1 → 0] pushes ⊥ from the empty stack (whose placeholder configuration is also 0); α[−1] and α[0] are that configuration.
        var inner = zeros(new long[] { batch, 2, configurations, 2, configurations }, dtype: ScalarType.Float64, device: device);
        inner[TensorIndex.Colon, 0, 0, 1, 0].fill_(1.0);
        var forward = zeros(batch, 2, configurations, dtype: ScalarType.Float64, device: device);
        forward[TensorIndex.Colon, TensorIndex.Colon, 0].fill_(1.0);
        return (inner, forward);
    }

    /// <summary>The reading of a stack: the distribution over configurations (state, top symbol) at the latest step, [B, P].</summary>
    public static Tensor Reading(Tensor forward) => forward.select(1, forward.shape[1] - 1);

    /// <summary>
    /// One step: the inner and forward weights after the transitions push [B, P, P] (from (s, z) to the pushed (r, y)),
    /// replace [B, P, P] (to (r, y)) and pop [B, P, |Q|] (to state r), all float64, keeping at most <paramref name="window"/>
    /// steps. The configuration index is r·|Γ| + y.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A window of fewer than 2 steps (the stack and its push).</exception>
    public static (Tensor Inner, Tensor Forward) Step(Tensor inner, Tensor forward, Tensor push, Tensor replace, Tensor pop, int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        long batch = inner.shape[0], kept = inner.shape[1], configurations = inner.shape[2], states = pop.shape[2], symbols = configurations / states;
        // γ[τ_a → t−1] for every kept step τ_a, rows (a, p): the last column.
        Tensor last = inner.select(3, kept - 1).reshape(batch, kept * configurations, configurations);
        Tensor replaced = last.matmul(replace);
        // popFrom[(b, (u, y)) → r] = Σ_(s,z) γ[τ_b → t−1][(u, y) → (s, z)]·pop[(s, z) → r], spread block-diagonally over the kept
        // symbol y so that Σ_b Σ_u γ[τ_a → τ_b][(q, x) → (u, y)]·popFrom[(b, (u, y)) → r] is one product landing on (r, y).
        Tensor popFrom = last.matmul(pop).view(batch, kept, states, symbols, states, 1)
            * eye(symbols, dtype: inner.dtype, device: inner.device).view(1, 1, 1, symbols, 1, symbols);
        Tensor popped = inner.reshape(batch, kept * configurations, kept * configurations)
            .matmul(popFrom.view(batch, kept * configurations, configurations));
        // The column γ[τ_a → t]: spans of two or more steps, the push from t − 1, and γ[t → t] = 0.
        Tensor spans = (replaced + popped).view(batch, kept, configurations, configurations);
        Tensor column = cat([spans.narrow(1, 0, kept - 1), push.unsqueeze(1), zeros_like(push).unsqueeze(1)], 1);
        Tensor alpha = forward.reshape(batch, 1, kept * configurations)
            .bmm(column.narrow(1, 0, kept).reshape(batch, kept * configurations, configurations)).squeeze(1);
        // Past the window the oldest step goes; then step t joins as a column and as a row (zero so far).
        long drop = kept < window ? 0 : 1, staying = kept - drop;
        Tensor widened = cat([inner.narrow(1, drop, staying).narrow(3, drop, staying), column.narrow(1, drop, staying).unsqueeze(3)], 3);
        Tensor nextInner = cat([widened, zeros(new long[] { batch, 1, configurations, staying + 1, configurations }, dtype: inner.dtype, device: inner.device)], 1);
        // Stryker disable once Unary : α is [B, P], so its dimensions 1 and −1 are the same
        Tensor nextForward = cat([forward.narrow(1, drop, staying), alpha.unsqueeze(1)], 1) / alpha.sum(-1, keepdim: true).unsqueeze(1);
        return (nextInner, nextForward);
    }
}
