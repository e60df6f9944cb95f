using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;

namespace Workbench.Neural.Constructions;

/// <summary>
/// Indyk's construction (1995; notes §5.2, P6.8): a deterministic automaton with n states as a Heaviside
/// Elman RNN with O(|Σ|·√n) units. A state q, after a seeded random relabelling π that balances the
/// grid, gets four base-r digits, r = ⌈n^{1/4}⌉, kept as four one-hot blocks U (4r units). Each input
/// symbol is read for five steps through the unit groups U → V → (≥, ≤) → ∧ → ∨ → U.
/// <list type="bullet">
/// <item>V: the two digit pairs become a grid point (x, y) ∈ [r²]², as two one-hot blocks (2r² units).</item>
/// <item>≥, ≤ and ∧: every set S_{j,a,l} — the states whose a-successor has digit j equal to l — is a 0/1
/// matrix over the grid, split into partial functions y ↦ x (one per rank within a column). Membership
/// of (x, y) in the graph of f is x ≥ f(y) ∧ x ≤ f(y), two threshold units that are linear in the one-hots,
/// and an AND.</item>
/// <item>∨: ORs over the functions of each (j, a, l), gated by the input symbol.</item>
/// <item>U: the new digits, ORs over a.</item>
/// </list>
/// The acceptance set F gets detectors of its own, so one unit says "the current state is final" four
/// steps after a state is written. With the random relabelling, a column of a set of size s holds about
/// s/r² + O(log n) points, so all detectors together take O(|Σ|·(n/r² + r log n)) = O(|Σ|√n) units.
/// Heaviside units, integer weights: exact in float64.
/// </summary>
public sealed class IndykConstruction
{
    /// <summary>RNN steps per input symbol.</summary>
    public const int Phases = 5;

    private readonly int radix;
    private readonly int[] permutation;
    private readonly int[][] digitUnits;
    private readonly int acceptUnit;

    private IndykConstruction(ElmanNetwork network, int radix, int[] permutation, int[][] digitUnits, int acceptUnit, int functions)
    {
        Network = network;
        this.radix = radix;
        this.permutation = permutation;
        this.digitUnits = digitUnits;
        this.acceptUnit = acceptUnit;
        Functions = functions;
    }

    /// <summary>The Heaviside network (float64; integer weights, so exact).</summary>
    public ElmanNetwork Network { get; }

    /// <summary>The number of partial functions the detectors use (three units each).</summary>
    public int Functions { get; }

    /// <summary>r = ⌈n^{1/4}⌉, the radix of the state digits.</summary>
    public static int Radix(int states) => Math.Max(1, (int)Math.Ceiling(Math.Pow(states, 0.25) - 1e-12));

    /// <summary>The hidden size for n states, |Σ| symbols and F partial functions: 4r + 2r² + 3F + 4|Σ|r + 1.</summary>
    public static int HiddenSize(int states, int symbols, int functions)
    {
        int r = Radix(states);
        return 4 * r + 2 * r * r + 3 * functions + 4 * symbols * r + 1;
    }

    /// <summary>
    /// Builds the network for a deterministic automaton over any weights. A state is final when its final
    /// weight is not zero, and an arc exists when its weight is not zero.
    /// </summary>
    /// <exception cref="InvalidModelException">The automaton is not deterministic with a single initial state.</exception>
    public static IndykConstruction Compile<T>(Wfsa<T> dfa, int seed = 1) where T : struct, ISemiring<T>
    {
        int start = DeterministicAutomata.Start(dfa, "Indyk's construction");
        int n = dfa.StateCount, symbols = dfa.Alphabet.Size, r = Radix(n), side = r * r;
        int[] permutation = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(permutation);
        int Digit(int q, int j) => permutation[q] / (int)Math.Pow(r, j) % r;
        (int X, int Y) Point(int q) => (Digit(q, 0) + r * Digit(q, 1), Digit(q, 2) + r * Digit(q, 3));
        int? Target(int q, int a) => DeterministicAutomata.Successor(dfa, q, a);

        // The sets to detect: S_{j,a,l} (by successor digit), then F (by the state itself).
        var sets = new List<(int Digit, int Symbol, int Value, List<int> States)>();
        for (int j = 0; j < 4; j++)
            for (int a = 0; a < symbols; a++)
                for (int l = 0; l < r; l++)
                    sets.Add((j, a, l, Enumerable.Range(0, n).Where(q => Target(q, a) is { } t && Digit(t, j) == l).ToList()));
        sets.Add((-1, -1, -1, Enumerable.Range(0, n).Where(q => !dfa.FinalWeights[q].Equals(T.Zero)).ToList()));
        var functionsOfSet = sets.Select(set => Decompose(set.States.Select(Point), side)).ToArray();
        int functions = functionsOfSet.Sum(f => f.Count);

        int next = 0;
        int[] Group(int count) => Enumerable.Range(next, count).Select(_ => next++).ToArray();
        int[][] digits = Enumerable.Range(0, 4).Select(_ => Group(r)).ToArray();
        int[] xs = Group(side), ys = Group(side);
        int[] atLeast = Group(functions), atMost = Group(functions), both = Group(functions);
        int[] ors = Group(sets.Count - 1);
        int accept = next++;
        int hidden = next;

        var u = new double[hidden, hidden];
        var v = new double[symbols, hidden];
        var bias = new double[hidden];
        for (int x = 0; x < side; x++)
        {
            u[xs[x], digits[0][x % r]] = 1;
            u[xs[x], digits[1][x / r]] = 1;
            bias[xs[x]] = -1;
            u[ys[x], digits[2][x % r]] = 1;
            u[ys[x], digits[3][x / r]] = 1;
            bias[ys[x]] = -1;
        }
        double big = side + 2;
        int f = 0;
        for (int s = 0; s < sets.Count; s++)
            foreach (int[] function in functionsOfSet[s])
            {
                // x ≥ f(y) and x ≤ f(y), each only while a grid point is present (f(y) = −1 where undefined).
                for (int x = 0; x < side; x++)
                {
                    u[atLeast[f], xs[x]] = x + big;
                    u[atMost[f], xs[x]] = -x;
                }
                for (int y = 0; y < side; y++)
                {
                    u[atLeast[f], ys[y]] = -function[y];
                    u[atMost[f], ys[y]] = function[y] + big;
                }
                bias[atLeast[f]] = 0.5 - big;
                bias[atMost[f]] = 0.5 - big;
                u[both[f], atLeast[f]] = 1;
                u[both[f], atMost[f]] = 1;
                bias[both[f]] = -1;
                if (s < ors.Length)
                {
                    u[ors[s], both[f]] = 1;
                    v[sets[s].Symbol, ors[s]] = 1;
                    bias[ors[s]] = -1;
                }
                else
                    u[accept, both[f]] = 1;
                f++;
            }
        for (int s = 0; s < ors.Length; s++)
            u[digits[sets[s].Digit][sets[s].Value], ors[s]] = 1;
        var initial = new double[hidden];
        for (int j = 0; j < 4; j++)
            initial[digits[j][Digit(start, j)]] = 1;
        var architecture = new NeuralArchitecture { Kind = NetworkKind.Elman, Hidden = hidden, Activation = Activation.Heaviside, Double = true };
        var network = ElmanNetwork.FromWeights(dfa.Alphabet, architecture,
            new ElmanWeights(u, v, bias, initial, new double[symbols + 1, hidden], new double[symbols + 1]));
        return new IndykConstruction(network, r, permutation, digits, accept, functions);
    }

    /// <summary>The digit blocks after every input symbol, decoded to automaton states (null: dead).</summary>
    public IReadOnlyList<int?> States(ReadOnlySpan<int> input) => PhasedRun.Trace(Network, Network.InitialHidden, input, Phases).Select(Decode).ToArray();

    /// <summary>Whether the network accepts: the input (five steps per symbol), then four steps to the acceptance unit.</summary>
    public bool Accepts(ReadOnlySpan<int> input) => PhasedRun.Final(Network, input, Phases, extraSteps: Phases - 1)[acceptUnit] == 1;

    private int? Decode(double[] hidden)
    {
        int label = 0, scale = 1;
        foreach (int[] block in digitUnits)
        {
            int[] active = block.Where(unit => hidden[unit] == 1).ToArray();
            if (active.Length != 1)
                return null;
            label += Array.IndexOf(block, active[0]) * scale;
            scale *= radix;
        }
        int state = Array.IndexOf(permutation, label);
        return state < 0 ? null : state;
    }

    /// <summary>
    /// Splits a set of grid points into partial functions y ↦ x: function i takes the i-th point of every
    /// column (−1 where a column has fewer). Their number is the largest column count.
    /// </summary>
    private static List<int[]> Decompose(IEnumerable<(int X, int Y)> points, int side)
    {
        var columns = points.GroupBy(p => p.Y).ToDictionary(g => g.Key, g => g.Select(p => p.X).Order().ToArray());
        int count = columns.Count == 0 ? 0 : columns.Values.Max(c => c.Length);
        var functions = new List<int[]>(count);
        for (int i = 0; i < count; i++)
            functions.Add(Enumerable.Range(0, side).Select(y => columns.TryGetValue(y, out int[]? xs) && i < xs.Length ? xs[i] : -1).ToArray());
        return functions;
    }
}
