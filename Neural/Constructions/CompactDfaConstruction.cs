using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;

namespace Workbench.Neural.Constructions;

/// <summary>
/// A compact Heaviside Elman RNN for an unweighted deterministic automaton (notes §5.2, P6.8): a state q is
/// the pair (row, column) = (q div k, q mod k) with k = ⌈√|Q|⌉, kept as two one-hot vectors of k units
/// each, instead of Minsky's |Q|·|Σ| units. Each input symbol is read for three steps through the unit
/// groups D → A → B → D.
/// <list type="bullet">
/// <item>A: for every symbol a, column c and bit b, Y = H(C_c + x_a + Σ_r R_r·bit_b(row(δ(rk + c, a))) − 2).
/// With a and c fixed, the bit is a linear function of the one-hot row. The same holds for the new
/// column's bits and for "δ is defined"; the acceptance units F_r = H(R_r + Σ_{c: rk+c final} C_c − 1)
/// are in A too.</item>
/// <item>B: the bits of the new row and column and "defined" are ORs over (a, c).</item>
/// <item>D: the one-hot row and column are decoded from the bits. An undefined transition leaves D empty,
/// which is the dead state.</item>
/// </list>
/// Groups are zero outside their step, so nothing needs holding. Hidden size
/// 2k + k + |Σ|k(2L + 1) + 2L + 1 with L = max(1, ⌈log₂ k⌉): O(|Σ|·√|Q|·log|Q|), our own design in the
/// spirit of Indyk's O(|Σ|√|Q|) construction.
/// </summary>
public sealed class CompactDfaConstruction
{
    /// <summary>RNN steps per input symbol.</summary>
    public const int Phases = 3;

    private readonly int side;
    private readonly int[] rowUnits, columnUnits, acceptUnits;

    private CompactDfaConstruction(ElmanNetwork network, int side, int[] rowUnits, int[] columnUnits, int[] acceptUnits)
    {
        Network = network;
        this.side = side;
        this.rowUnits = rowUnits;
        this.columnUnits = columnUnits;
        this.acceptUnits = acceptUnits;
    }

    /// <summary>The Heaviside network (float64; integer weights, so exact).</summary>
    public ElmanNetwork Network { get; }

    /// <summary>The hidden size the construction promises for |Q| states and |Σ| symbols.</summary>
    public static int HiddenSize(int states, int symbols)
    {
        int k = Side(states), l = Bits(k);
        return 3 * k + symbols * k * (2 * l + 1) + 2 * l + 1;
    }

    /// <summary>
    /// Builds the network for a deterministic automaton over any weights. A state is final when its final
    /// weight is not zero, and an arc exists when its weight is not zero.
    /// </summary>
    /// <exception cref="InvalidModelException">The automaton is not deterministic with a single initial state.</exception>
    public static CompactDfaConstruction Compile<T>(Wfsa<T> dfa) where T : struct, ISemiring<T>
    {
        int start = DeterministicAutomata.Start(dfa, "the row/column construction");
        int states = dfa.StateCount, symbols = dfa.Alphabet.Size, k = Side(states), l = Bits(k);
        int next = 0;
        int[] Group(int count) => Enumerable.Range(next, count).Select(_ => next++).ToArray();
        int[] rows = Group(k), columns = Group(k), accept = Group(k);
        var rowBit = new int[symbols, k, l];
        var columnBit = new int[symbols, k, l];
        var defined = new int[symbols, k];
        for (int a = 0; a < symbols; a++)
            for (int c = 0; c < k; c++)
            {
                for (int b = 0; b < l; b++)
                {
                    rowBit[a, c, b] = next++;
                    columnBit[a, c, b] = next++;
                }
                defined[a, c] = next++;
            }
        int[] newRowBits = Group(l), newColumnBits = Group(l);
        int alive = next++;
        int hidden = next;

        var u = new double[hidden, hidden];
        var v = new double[symbols, hidden];
        var bias = new double[hidden];
        int? Target(int q, int a) => q < states ? DeterministicAutomata.Successor(dfa, q, a) : null;
        for (int r = 0; r < k; r++)
        {
            u[accept[r], rows[r]] = 1;
            for (int c = 0; c < k; c++)
                if (r * k + c < states && !dfa.FinalWeights[r * k + c].Equals(T.Zero))
                    u[accept[r], columns[c]] = 1;
            bias[accept[r]] = -1;
        }
        for (int a = 0; a < symbols; a++)
            for (int c = 0; c < k; c++)
            {
                foreach (int unit in Enumerable.Range(0, l).SelectMany(b => new[] { rowBit[a, c, b], columnBit[a, c, b] }).Append(defined[a, c]))
                {
                    u[unit, columns[c]] = 1;
                    v[a, unit] = 1;
                    bias[unit] = -2;
                }
                for (int r = 0; r < k; r++)
                {
                    if (Target(r * k + c, a) is not { } target)
                        continue;
                    u[defined[a, c], rows[r]] = 1;
                    for (int b = 0; b < l; b++)
                    {
                        u[rowBit[a, c, b], rows[r]] = (target / k >> b) & 1;
                        u[columnBit[a, c, b], rows[r]] = (target % k >> b) & 1;
                    }
                }
                for (int b = 0; b < l; b++)
                {
                    u[newRowBits[b], rowBit[a, c, b]] = 1;
                    u[newColumnBits[b], columnBit[a, c, b]] = 1;
                }
                u[alive, defined[a, c]] = 1;
            }
        for (int j = 0; j < k; j++)
        {
            int ones = 0;
            for (int b = 0; b < l; b++)
            {
                int bit = (j >> b) & 1;
                ones += bit;
                u[rows[j], newRowBits[b]] = 2 * bit - 1;
                u[columns[j], newColumnBits[b]] = 2 * bit - 1;
            }
            u[rows[j], alive] = 1;
            u[columns[j], alive] = 1;
            bias[rows[j]] = -ones;
            bias[columns[j]] = -ones;
        }
        var initial = new double[hidden];
        initial[rows[start / k]] = 1;
        initial[columns[start % k]] = 1;
        var architecture = new NeuralArchitecture { Kind = NetworkKind.Elman, Hidden = hidden, Activation = Activation.Heaviside, Double = true };
        var network = ElmanNetwork.FromWeights(dfa.Alphabet, architecture,
            new ElmanWeights(u, v, bias, initial, new double[symbols + 1, hidden], new double[symbols + 1]));
        return new CompactDfaConstruction(network, k, rows, columns, accept);
    }

    /// <summary>The D-phase hidden vectors after every input symbol (three steps each).</summary>
    public IReadOnlyList<double[]> Run(ReadOnlySpan<int> input) => PhasedRun.Trace(Network, Network.InitialHidden, input, Phases);

    /// <summary>
    /// Whether the network accepts: the input is read for three steps per symbol, then one more step
    /// evaluates the acceptance units F_r of the state reached.
    /// </summary>
    public bool Accepts(ReadOnlySpan<int> input)
    {
        double[] values = PhasedRun.Final(Network, input, Phases, extraSteps: 1);
        return acceptUnits.Any(unit => values[unit] == 1);
    }

    /// <summary>The automaton state encoded by a D-phase hidden vector (null for the dead state).</summary>
    public int? State(IReadOnlyList<double> hidden)
    {
        int[] row = rowUnits.Where(unit => hidden[unit] == 1).ToArray(), column = columnUnits.Where(unit => hidden[unit] == 1).ToArray();
        return row.Length == 1 && column.Length == 1 ? Array.IndexOf(rowUnits, row[0]) * side + Array.IndexOf(columnUnits, column[0]) : null;
    }

    private static int Side(int states) => Math.Max(1, (int)Math.Ceiling(Math.Sqrt(states)));

    private static int Bits(int side) => Math.Max(1, (int)Math.Ceiling(Math.Log2(side)));
}
