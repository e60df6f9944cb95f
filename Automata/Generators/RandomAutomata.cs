using Workbench.Automata.Core;
using Workbench.Automata.Pathsums;
using Workbench.Formal.Semirings;
using Workbench.Formal.Symbols;

namespace Workbench.Automata.Generators;

/// <summary>
/// Random weighted automata for property tests, experiments and benchmarks: PFSAs (optionally
/// deterministic, optionally with non-tight trap components) and WFSAs scaled to a target spectral
/// radius. Every generator takes its <see cref="Random"/> from the caller, so a seed reproduces it.
/// </summary>
public static class RandomAutomata
{
    /// <summary>The alphabet a, b, c, … of the given size (s0, s1, … beyond 26).</summary>
    public static Alphabet Letters(int size) =>
        size <= 26 ? Alphabet.FromCharacters("abcdefghijklmnopqrstuvwxyz"[..size]) : new Alphabet(Enumerable.Range(0, size).Select(i => $"s{i}"));

    /// <summary>
    /// A random PFSA: every state gets <paramref name="arcsPerState"/> arcs with random labels (distinct
    /// when deterministic) and random targets, and its arc and final weights are a uniform Dirichlet
    /// draw, so every state can stop and the machine is tight. With <paramref name="trapStates"/> &gt; 0,
    /// a closed component of that many states without final weight is added and entered from some
    /// states, so mass leaks into it and the machine is not tight. Deterministic machines start in
    /// state 0; others draw λ from a Dirichlet over all non-trap states. O(|Q|·arcsPerState).
    /// </summary>
    public static Wfsa<Real> Pfsa(Random random, int states, int alphabetSize, int arcsPerState, bool deterministic = false, int trapStates = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(states, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(alphabetSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(arcsPerState);
        ArgumentOutOfRangeException.ThrowIfNegative(trapStates);
        if (trapStates > 0 && arcsPerState == 0)
            throw new ArgumentOutOfRangeException(nameof(trapStates), trapStates, "A trap can only be entered through arcs; use at least one arc per state.");
        if (deterministic && arcsPerState > alphabetSize)
            throw new ArgumentOutOfRangeException(nameof(arcsPerState), arcsPerState, "A deterministic state has at most one arc per symbol.");
        var builder = new WfsaBuilder<Real>(Letters(alphabetSize)).EnsureStates(states + trapStates);
        for (var q = 0; q < states + trapStates; q++)
        {
            var trap = q >= states;
            var labels = deterministic
                ? Shuffled(random, alphabetSize).Take(arcsPerState).ToArray()
                : Enumerable.Range(0, arcsPerState).Select(_ => random.Next(alphabetSize)).ToArray();
            // A trap only moves within the trap; state 0 (always accessible) and some others have an arc into it.
            var targets = labels.Select(_ => trap ? states + random.Next(trapStates) : random.Next(states)).ToArray();
            if (!trap && trapStates > 0 && labels.Length > 0 && (q == 0 || random.NextDouble() < 0.3))
                targets[0] = states + random.Next(trapStates);
            var shares = Dirichlet(random, labels.Length + (trap ? 0 : 1));
            for (var i = 0; i < labels.Length; i++) builder.AddArc(q, labels[i], targets[i], new Real(shares[i]));
            if (!trap) builder.SetFinal(q, new Real(shares[^1]));
        }
        if (deterministic) builder.SetInitial(0, Real.One);
        else
        {
            var lambda = Dirichlet(random, states);
            for (var q = 0; q < states; q++) builder.SetInitial(q, new Real(lambda[q]));
        }
        return MergeAndNormalise(builder.Build());
    }

    /// <summary>
    /// A random WFSA with non-negative weights scaled so that the spectral radius of its transition
    /// matrix is at most <paramref name="spectralRadius"/> (and close to it), with uniform random initial
    /// and final weights on every state. O(|Q|·arcsPerState) plus a power iteration.
    /// </summary>
    public static Wfsa<Real> Wfsa(Random random, int states, int alphabetSize, int arcsPerState, double spectralRadius)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(states, 1);
        if (!(spectralRadius > 0)) throw new ArgumentOutOfRangeException(nameof(spectralRadius), spectralRadius, "The target spectral radius must be positive.");
        var builder = new WfsaBuilder<Real>(Letters(alphabetSize)).EnsureStates(states);
        for (var q = 0; q < states; q++)
        {
            builder.SetInitial(q, new Real(random.NextDouble())).SetFinal(q, new Real(random.NextDouble()));
            for (var i = 0; i < arcsPerState; i++)
                builder.AddArc(q, random.Next(alphabetSize), random.Next(states), new Real(0.05 + random.NextDouble()));
        }
        var unscaled = builder.Build();
        var (_, upper) = SpectralRadius.Bounds(unscaled);
        if (!(upper > 0) || !double.IsFinite(upper)) return unscaled;
        var factor = spectralRadius / upper;
        var scaled = new WfsaBuilder<Real>(unscaled.Alphabet).EnsureStates(states);
        for (var q = 0; q < states; q++)
        {
            scaled.SetInitial(q, unscaled.InitialWeights[q]).SetFinal(q, unscaled.FinalWeights[q]);
            for (var e = unscaled.ArcStart(q); e < unscaled.ArcEnd(q); e++)
                scaled.AddArc(q, unscaled.ArcLabels[e], unscaled.ArcTargets[e], new Real(unscaled.ArcWeights[e].Value * factor));
        }
        return scaled.Build();
    }

    /// <summary>
    /// A deterministic PFSA whose next-symbol logits have rank <paramref name="rank"/> (Borenstein et al. 2024):
    /// every (state, symbol) gets a random target, a random Gaussian |Σ̄|×|Q| logit matrix is truncated to
    /// its top <paramref name="rank"/> singular values, and each state's distribution over Σ̄ is the softmax of
    /// its column (so every state can stop and the machine is tight). The column-centred log-probability
    /// matrix then has rank <paramref name="rank"/>. O(|Q||Σ̄|·min(|Q|, |Σ̄|)) for the SVD.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The rank is not between 1 and min(|Q|, |Σ| + 1).</exception>
    public static Wfsa<Real> DeterministicPfsaWithRank(Random random, int states, int alphabetSize, int rank)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(states, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(alphabetSize, 1);
        // The logits form a (|Σ| + 1) × |Q| matrix (EOS is an outcome too), so the rank goes up to min(|Q|, |Σ| + 1).
        if (rank < 1 || rank > Math.Min(states, alphabetSize + 1))
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"The logit rank must lie between 1 and min(|Q|, |Σ| + 1) = {Math.Min(states, alphabetSize + 1)}.");
        var logits = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(alphabetSize + 1, states, (_, _) => Gaussian(random));
        var svd = logits.Svd();
        var singular = svd.S.Clone();
        for (var i = rank; i < singular.Count; i++) singular[i] = 0;
        var truncated = svd.U * MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Diagonal(alphabetSize + 1, states, singular.ToArray()) * svd.VT;
        var builder = new WfsaBuilder<Real>(Letters(alphabetSize)).EnsureStates(states);
        builder.SetInitial(0, Real.One);
        for (var q = 0; q < states; q++)
        {
            var distribution = Formal.Numerics.Softmax.Probabilities(truncated.Column(q).ToArray());
            for (var a = 0; a < alphabetSize; a++) builder.AddArc(q, a, random.Next(states), new Real(distribution[a]));
            builder.SetFinal(q, new Real(distribution[alphabetSize]));
        }
        return builder.Build();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    // Parallel arcs with the same label and target become one arc, and every state's outgoing plus final
    // mass is divided by its sum, so rows sum to 1 up to the last bit.
    private static Wfsa<Real> MergeAndNormalise(Wfsa<Real> fsa)
    {
        var builder = new WfsaBuilder<Real>(fsa.Alphabet).EnsureStates(fsa.StateCount);
        for (var q = 0; q < fsa.StateCount; q++)
        {
            var mass = fsa.FinalWeights[q].Value;
            var arcs = new Dictionary<(int Label, int Target), double>();
            for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++)
            {
                var key = (fsa.ArcLabels[e], fsa.ArcTargets[e]);
                arcs[key] = arcs.GetValueOrDefault(key) + fsa.ArcWeights[e].Value;
                mass += fsa.ArcWeights[e].Value;
            }
            builder.SetInitial(q, fsa.InitialWeights[q]).SetFinal(q, new Real(fsa.FinalWeights[q].Value / mass));
            foreach (var ((label, target), weight) in arcs) builder.AddArc(q, label, target, new Real(weight / mass));
        }
        return builder.Build();
    }

    private static int[] Shuffled(Random random, int n)
    {
        var items = Enumerable.Range(0, n).ToArray();
        random.Shuffle(items);
        return items;
    }

    private static double[] Dirichlet(Random random, int n)
    {
        var draws = new double[n];
        for (var i = 0; i < n; i++) draws[i] = -Math.Log(1 - random.NextDouble());
        var sum = draws.Sum();
        for (var i = 0; i < n; i++) draws[i] /= sum;
        return draws;
    }
}
