using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;
using Workbench.Automata.Core;
using Workbench.Automata.Graphs;
using Workbench.Formal.Errors;
using Workbench.Formal.LanguageModels;
using Workbench.Formal.Numerics;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Pathsums;

/// <summary>How the linear system (I − T)β = ρ of a real-weighted pathsum is solved.</summary>
public enum LinearSolver
{
    /// <summary>Dense LU up to <see cref="RealPathsum.DenseLimit"/> useful states, Gauss–Seidel above (with dense LU as the fallback on near-critical machines up to <see cref="RealPathsum.DenseFallbackLimit"/> states).</summary>
    Automatic,

    /// <summary>Dense LU decomposition (MathNet). O(n³) time, O(n²) memory.</summary>
    DenseLu,

    /// <summary>Gauss–Seidel sweeps over the sparse rows. O(|δ|) per sweep; the number of sweeps grows like 1/(1 − ρ(T)).</summary>
    GaussSeidel,
}

/// <summary>
/// The exact pathsum of a WFSA with real weights (probabilities or non-negative weights, in the Real or
/// Log semiring), by a linear solve on the trimmed machine, with a certified error bound and bounds on
/// the spectral radius of the trimmed transition matrix. Notes §4.1 (P4.2, P4.3).
/// </summary>
/// <param name="Backward">β(q) for every state of the original machine (0 on useless states).</param>
/// <param name="Allsum">Z = Σ λ(q)β(q) with a rigorous bound on its error.</param>
/// <param name="SpectralRadiusLowerBound">A lower bound on ρ(T′), T′ the trimmed transition matrix.</param>
/// <param name="SpectralRadiusUpperBound">An upper bound on ρ(T′), below 1 (the certificate of convergence).</param>
/// <param name="UsefulStates">|Q′|, the number of accessible and co-accessible states.</param>
/// <param name="Solver">The solver used.</param>
/// <param name="Sweeps">Gauss–Seidel sweeps (0 for LU).</param>
public sealed record RealPathsum(
    ImmutableArray<double> Backward,
    CertifiedValue Allsum,
    double SpectralRadiusLowerBound,
    double SpectralRadiusUpperBound,
    int UsefulStates,
    LinearSolver Solver,
    int Sweeps)
{
    /// <summary>Machines with at most this many useful states are solved by dense LU under <see cref="LinearSolver.Automatic"/>.</summary>
    public const int DenseLimit = 300;

    /// <summary>Up to this many useful states, Gauss–Seidel that does not converge (a near-critical machine) falls back to dense LU.</summary>
    public const int DenseFallbackLimit = 4096;

    private RealSystem? _system;
    private double _delta;
    private double _lambdaX;

    /// <summary>A bound on max_q |β(q) − β̃(q)|, the error of <see cref="Backward"/>.</summary>
    public double BackwardError { get; private init; }

    /// <summary>
    /// The expected total reward λᵀ(I − T′)⁻¹r = Σ over useful paths of (path weight)·r(state visited),
    /// for a reward r ≥ 0 given on the original states, certified like the allsum. When r itself is only
    /// known to within <paramref name="rewardError"/> (max over states), that error is carried into the bound.
    /// One more solve: O(n²) with the stored LU, or Gauss–Seidel sweeps.
    /// </summary>
    public CertifiedValue Expectation(double[] reward, double rewardError, string method)
    {
        if (_system is null) return CertifiedValue.Exact(0, method);
        var local = _system.States.Select(q => reward[q]).ToArray();
        var solution = _system.Solve(Solver, local)[0];
        var (value, rounding) = _system.InitialDot(solution);
        var bound = (_system.ResidualNorm(solution, local) + rewardError) * _lambdaX / (1 - _delta) + rounding;
        return new CertifiedValue(value, bound, method);
    }

    /// <summary>
    /// Solves (I − T′)β = ρ′ and (I − T′)x = 1 on the trimmed machine. A positive x with residual below 1
    /// certifies ρ(T′) &lt; 1 (Collatz–Wielandt: T′x ≤ x − (1 − δ)) and bounds (I − T′)⁻¹ ≤ x/(1 − δ)
    /// componentwise, which turns the residual r of β into |Z − Z̃| ≤ ‖r‖∞·λᵀx/(1 − δ).
    /// </summary>
    /// <exception cref="InvalidModelException">A weight is negative, infinite or NaN; the message names it.</exception>
    /// <exception cref="DivergenceException">ρ(T′) ≥ 1: the allsum is infinite.</exception>
    /// <exception cref="WorkbenchException">Gauss–Seidel ran out of sweeps on a near-critical machine.</exception>
    public static RealPathsum Compute<T>(Wfsa<T> fsa, LinearSolver solver = LinearSolver.Automatic)
        where T : struct, ISemiring<T>, IRealWeight<T>
    {
        var system = RealSystem.FromTrimmed(fsa);
        var n = system.Size;
        var useDense = solver == LinearSolver.DenseLu || (solver == LinearSolver.Automatic && n <= DenseLimit);
        if (n == 0)
            return new RealPathsum([.. new double[fsa.StateCount]], CertifiedValue.Exact(0, "no useful state"), 0, 0, 0, solver, 0);
        var chosen = useDense ? LinearSolver.DenseLu : LinearSolver.GaussSeidel;
        var ones = new double[n];
        Array.Fill(ones, 1.0);
        var solutions = system.Solve(chosen, system.Final, ones);
        var (beta, x, sweeps) = (solutions[0], solutions[1], system.LastSweeps);

        var certificate = system.Certify(x);
        if (!certificate.Converges && chosen == LinearSolver.GaussSeidel && solver == LinearSolver.Automatic && n <= DenseFallbackLimit)
        {
            chosen = LinearSolver.DenseLu;
            solutions = system.Solve(chosen, system.Final, ones);
            (beta, x, sweeps) = (solutions[0], solutions[1], 0);
            certificate = system.Certify(x);
        }
        if (!certificate.Converges)
        {
            var (lower, upper) = SpectralRadius.Bounds(system.Offsets, system.Targets, system.Weights);
            // Collatz–Wielandt lower bounds approach ρ from below, so ρ = 1 exactly shows up as 1 − rounding.
            if (lower >= 1 - 1e-9)
                throw new DivergenceException(Invariant($"The allsum diverges: the trimmed transition matrix ({n} useful states) has spectral radius ρ ≥ {lower:G10} (power iteration; ρ ≤ {upper:G10}), and a pathsum converges only for ρ < 1."));
            throw new WorkbenchException(Invariant($"Could not certify the allsum: the solver did not converge on {n} useful states (spectral radius between {lower:G6} and {upper:G6}, near 1). Try the dense solver."));
        }
        var residual = system.ResidualNorm(beta, system.Final);
        var (z, zRounding) = system.InitialDot(beta);
        var (lambdaX, _) = system.InitialDot(x);
        var bound = residual * lambdaX / (1 - certificate.Delta) + zRounding;
        var full = new double[fsa.StateCount];
        for (var i = 0; i < n; i++) full[system.States[i]] = beta[i];
        var method = chosen == LinearSolver.DenseLu ? "dense LU on the trimmed machine" : $"Gauss–Seidel on the trimmed machine ({sweeps} sweeps)";
        return new RealPathsum([.. full], new CertifiedValue(z, bound, method), certificate.SpectralLower, certificate.SpectralUpper, n, chosen, sweeps)
        {
            _system = system,
            _delta = certificate.Delta,
            _lambdaX = lambdaX,
            BackwardError = residual * x.Max() / (1 - certificate.Delta),
        };
    }

    /// <summary>The trimmed machine as a sparse real matrix T′ with initial and final vectors.</summary>
    private sealed class RealSystem
    {
        public required int[] States { get; init; }
        public required int[] Offsets { get; init; }
        public required int[] Targets { get; init; }
        public required double[] Weights { get; init; }
        public required double[] Initial { get; init; }
        public required double[] Final { get; init; }
        public int Size => States.Length;

        public static RealSystem FromTrimmed<T>(Wfsa<T> fsa) where T : struct, ISemiring<T>, IRealWeight<T>
        {
            var arcWeights = Validate(fsa);
            // Most machines are useful everywhere; copy only when trimming removes something.
            var accessible = Reachability.Accessible(fsa);
            var coAccessible = Reachability.CoAccessible(fsa);
            var states = Enumerable.Range(0, fsa.StateCount).Where(q => accessible[q] && coAccessible[q]).ToArray();
            // Stryker disable once Conditional : restricting to every state copies the machine; skipping it only saves time
            var trimmed = states.Length == fsa.StateCount ? fsa : Reachability.Restrict(fsa, states);
            var weights = trimmed == fsa ? arcWeights : new double[trimmed.ArcCount];
            if (trimmed != fsa)
                for (var e = 0; e < weights.Length; e++) weights[e] = T.ToReal(trimmed.ArcWeights[e]);
            var offsets = new int[trimmed.StateCount + 1];
            for (var q = 0; q <= trimmed.StateCount; q++) offsets[q] = q < trimmed.StateCount ? trimmed.ArcStart(q) : trimmed.ArcCount;
            return new RealSystem
            {
                States = states,
                Offsets = offsets,
                Targets = trimmed.ArcTargets.ToArray(),
                Weights = weights,
                Initial = Real(trimmed.InitialWeights),
                Final = Real(trimmed.FinalWeights),
            };

            static double[] Real(ReadOnlySpan<T> weights)
            {
                var result = new double[weights.Length];
                for (var i = 0; i < result.Length; i++) result[i] = T.ToReal(weights[i]);
                return result;
            }
        }

        public int SweepLimit => (int)Math.Clamp(4e9 / (Targets.Length + Size + 1), 1_000, 1_000_000);

        /// <summary>Sweeps used by the last Gauss–Seidel solve (the limit when it did not converge).</summary>
        public int LastSweeps { get; private set; }

        private MathNet.Numerics.LinearAlgebra.Factorization.LU<double>? _lu;

        /// <summary>Solves (I − T′)v = b for each right-hand side.</summary>
        public double[][] Solve(LinearSolver solver, params double[][] rightHandSides) =>
            solver == LinearSolver.DenseLu ? SolveDense(rightHandSides) : SolveGaussSeidel(rightHandSides);

        private double[][] SolveDense(double[][] rightHandSides)
        {
            if (_lu is null)
            {
                var matrix = Matrix<double>.Build.DenseIdentity(Size);
                for (var i = 0; i < Size; i++)
                    for (var e = Offsets[i]; e < Offsets[i + 1]; e++) matrix[i, Targets[e]] -= Weights[e];
                _lu = matrix.LU();
            }
            return rightHandSides.Select(b => _lu.Solve(Vector<double>.Build.DenseOfArray(b)).ToArray()).ToArray();
        }

        // All right-hand sides share each sweep over the rows; iterates rise monotonically from 0 to the
        // solution when ρ(T′) < 1, so the sweeps stop once one moves nothing visibly. The rows are taken without
        // their self-loops (divided out once), and the iterates interleaved (v[k·j + r]) so that one pass over a
        // row's arcs serves every right-hand side from one cache line.
        private double[][] SolveGaussSeidel(double[][] rightHandSides)
        {
            var k = rightHandSides.Length;
            var (offsets, targets, weights, inverse) = OffDiagonal();
            if (inverse is null)
            {
                LastSweeps = SweepLimit;
                return rightHandSides.Select(_ => new double[Size]).ToArray();
            }
            var values = new double[k * Size];
            var right = new double[k * Size];
            for (var r = 0; r < k; r++)
                for (var i = 0; i < Size; i++) right[k * i + r] = rightHandSides[r][i];
            LastSweeps = k switch
            {
                1 => Sweep1(offsets, targets, weights, inverse, right, values),
                2 => SweepPair(offsets, targets, weights, inverse, right, values),
                _ => throw new ArgumentException("Gauss–Seidel solves one right-hand side, or a solution and its certificate.", nameof(rightHandSides)),
            };
            var solutions = new double[k][];
            for (var r = 0; r < k; r++)
            {
                solutions[r] = new double[Size];
                for (var i = 0; i < Size; i++) solutions[r][i] = values[k * i + r];
            }
            return solutions;
        }

        // T′ without its diagonal, and 1/(1 − T′ᵢᵢ); null inverses when some self-loop has weight ≥ 1 (no convergence).
        private (int[] Offsets, int[] Targets, double[] Weights, double[]? Inverse) OffDiagonal()
        {
            var offsets = new int[Size + 1];
            var targets = new int[Targets.Length];
            var weights = new double[Weights.Length];
            var inverse = new double[Size];
            var count = 0;
            for (var i = 0; i < Size; i++)
            {
                var diagonal = 0.0;
                for (var e = Offsets[i]; e < Offsets[i + 1]; e++)
                {
                    if (Targets[e] == i)
                    {
                        diagonal += Weights[e];
                        continue;
                    }
                    targets[count] = Targets[e];
                    weights[count++] = Weights[e];
                }
                if (diagonal >= 1) return (offsets, targets, weights, null);
                inverse[i] = 1 / (1 - diagonal);
                offsets[i + 1] = count;
            }
            return (offsets, targets, weights, inverse);
        }

        // The hot loops are compiled fully optimised at once (also in ReadyToRun builds, whose precompiled code is slower).
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private int Sweep1(int[] offsets, int[] targets, double[] weights, double[] inverse, double[] right, double[] values)
        {
            for (var sweep = 1; sweep <= SweepLimit; sweep++)
            {
                var (change, scale) = (0.0, 0.0);
                for (var i = 0; i < inverse.Length; i++)
                {
                    var sum = right[i];
                    for (var e = offsets[i]; e < offsets[i + 1]; e++) sum += weights[e] * values[targets[e]];
                    var value = sum * inverse[i];
                    change = Math.Max(change, Math.Abs(value - values[i]));
                    scale = Math.Max(scale, Math.Abs(value));
                    values[i] = value;
                }
                if (change <= 1e-16 * scale || !double.IsFinite(scale)) return double.IsFinite(scale) ? sweep : SweepLimit;
            }
            return SweepLimit;
        }

        /// <summary>
        /// The certificate's right-hand side (the second, x with (I − T′)x = 1) only needs a few digits: Collatz–Wielandt
        /// bounds and the error bound use its residual, which is computed afterwards, not its accuracy. Once it has moved by
        /// less than 10⁻⁹ of its size in a sweep it is frozen, and the first continues alone at half the cost per sweep.
        /// </summary>
        private int SweepPair(int[] offsets, int[] targets, double[] weights, double[] inverse, double[] right, double[] values)
        {
            var (sweeps, firstDone) = Sweep2(offsets, targets, weights, inverse, right, values);
            if (firstDone || sweeps >= SweepLimit) return sweeps;
            var first = new double[Size];
            var firstRight = new double[Size];
            for (var i = 0; i < Size; i++) (first[i], firstRight[i]) = (values[2 * i], right[2 * i]);
            var more = Sweep1(offsets, targets, weights, inverse, firstRight, first);
            for (var i = 0; i < Size; i++) values[2 * i] = first[i];
            return Math.Min(SweepLimit, sweeps + more);
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private (int Sweeps, bool FirstDone) Sweep2(int[] offsets, int[] targets, double[] weights, double[] inverse, double[] right, double[] values)
        {
            for (var sweep = 1; sweep <= SweepLimit; sweep++)
            {
                var (change, scale, secondChange, secondScale) = (0.0, 0.0, 0.0, 0.0);
                for (var i = 0; i < inverse.Length; i++)
                {
                    var (first, second) = (right[2 * i], right[2 * i + 1]);
                    for (var e = offsets[i]; e < offsets[i + 1]; e++)
                    {
                        var (w, j) = (weights[e], 2 * targets[e]);
                        first += w * values[j];
                        second += w * values[j + 1];
                    }
                    first *= inverse[i];
                    second *= inverse[i];
                    change = Math.Max(change, Math.Abs(first - values[2 * i]));
                    scale = Math.Max(scale, Math.Abs(first));
                    secondChange = Math.Max(secondChange, Math.Abs(second - values[2 * i + 1]));
                    secondScale = Math.Max(secondScale, Math.Abs(second));
                    (values[2 * i], values[2 * i + 1]) = (first, second);
                }
                if (!double.IsFinite(scale) || !double.IsFinite(secondScale)) return (SweepLimit, false);
                if (change <= 1e-16 * scale && secondChange <= 1e-9 * secondScale) return (sweep, true);
                if (secondChange <= 1e-9 * secondScale) return (sweep, false);
            }
            return (SweepLimit, false);
        }

        /// <summary>
        /// ‖b + T′v − v‖∞ plus the rounding of computing it. Each row is summed with Neumaier's compensated
        /// summation, whose error is at most 2ε|sum| + O(nε²)·Σ|terms| (Higham, §4.3), so the slack does not
        /// grow with a state's out-degree; the products add ε·Σ|terms|.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public double ResidualNorm(double[] v, double[] b)
        {
            var norm = 0.0;
            for (var i = 0; i < Size; i++)
            {
                var sum = new CompensatedSum();
                sum.Add(b[i]);
                sum.Add(-v[i]);
                var magnitude = Math.Abs(b[i]) + Math.Abs(v[i]);
                var degree = Offsets[i + 1] - Offsets[i];
                for (var e = Offsets[i]; e < Offsets[i + 1]; e++)
                {
                    var product = Weights[e] * v[Targets[e]];
                    sum.Add(product);
                    magnitude += Math.Abs(product);
                }
                var residual = sum.Value;
                var rounding = 3 * FloatingPoint.MachineEpsilon * magnitude + 2 * FloatingPoint.MachineEpsilon * Math.Abs(residual) + 4 * (degree + 2) * FloatingPoint.MachineEpsilon * FloatingPoint.MachineEpsilon * magnitude;
                norm = Math.Max(norm, Math.Abs(residual) + rounding);
            }
            return norm;
        }

        /// <summary>λᵀv by compensated summation, with a bound on its rounding (3ε·Σ|λᵢvᵢ| + O(nε²)).</summary>
        public (double Value, double Rounding) InitialDot(double[] v)
        {
            var sum = new CompensatedSum();
            var magnitude = 0.0;
            for (var i = 0; i < Size; i++)
            {
                sum.Add(Initial[i] * v[i]);
                magnitude += Math.Abs(Initial[i] * v[i]);
            }
            return (sum.Value, (3 * FloatingPoint.MachineEpsilon + 4 * (Size + 1) * FloatingPoint.MachineEpsilon * FloatingPoint.MachineEpsilon) * magnitude);
        }

        public (bool Converges, double Delta, double SpectralLower, double SpectralUpper) Certify(double[] x)
        {
            foreach (var value in x)
                if (!(value > 0) || !double.IsFinite(value)) return (false, double.NaN, double.NaN, double.NaN);
            var ones = new double[Size];
            Array.Fill(ones, 1.0);
            var delta = ResidualNorm(x, ones);
            if (!(delta < 1)) return (false, delta, double.NaN, double.NaN);
            // T′x = x − 1 + r with |r| ≤ δ, so (T′x)ᵢ/xᵢ lies in [1 − (1 + δ)/xᵢ, 1 − (1 − δ)/xᵢ].
            var lower = double.PositiveInfinity;
            var upper = 0.0;
            foreach (var value in x)
            {
                lower = Math.Min(lower, 1 - (1 + delta) / value);
                upper = Math.Max(upper, 1 - (1 - delta) / value);
            }
            return (true, delta, Math.Max(0, lower), upper);
        }

        // Checks every weight and returns the arcs' real weights (computed once: for log weights each is an exponential).
        private static double[] Validate<T>(Wfsa<T> fsa) where T : struct, ISemiring<T>, IRealWeight<T>
        {
            var weights = new double[fsa.ArcCount];
            for (var q = 0; q < fsa.StateCount; q++)
            {
                Require(T.ToReal(fsa.InitialWeights[q]), q, -1, "the initial weight of state");
                Require(T.ToReal(fsa.FinalWeights[q]), q, -1, "the final weight of state");
                for (var e = fsa.ArcStart(q); e < fsa.ArcEnd(q); e++) Require(weights[e] = T.ToReal(fsa.ArcWeights[e]), q, e, "the arc");
            }
            return weights;

            void Require(double value, int state, int arc, string what)
            {
                if (value >= 0 && !double.IsPositiveInfinity(value)) return;
                var where = arc < 0 ? $"{what} {state}" : $"{what} {state} –{(fsa.ArcLabels[arc] < 0 ? "ε" : fsa.Alphabet.NameOf(fsa.ArcLabels[arc]))}→ {fsa.ArcTargets[arc]}";
                throw new InvalidModelException(Invariant($"{char.ToUpperInvariant(where[0])}{where[1..]} is {value}; real weights must be finite and non-negative."));
            }
        }
    }
}
