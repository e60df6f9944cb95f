using Workbench.Formal.Errors;
using Workbench.Formal.Generation;
using Workbench.Formal.Numerics;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars;

/// <summary>
/// Exact draws from a PCFG (ε- and unary rules, tight or not) conditioned on the yield's length
/// (<see cref="PcfgLanguageModel.LengthSampler"/>). On the grammar's Chomsky normal form, whose string weights are the
/// grammar's times one constant (the CNF form is renormalised), the inside weights by length — I₁(X) = Σ w(X → a),
/// I_n(X) = Σ_{X→YZ} w·Σ_{k=1}^{n−1} I_k(Y)·I_{n−k}(Z) — are the mass of X's trees with n leaves, so
/// P(|y| = n) = I_n(S) times that constant (and P(|y| = 0) the weight of S → ε times it); a tree drawn top-down, at a node (X, n) the rule X → a when
/// n = 1 and otherwise a rule X → Y Z and split k with probability ∝ w·I_k(Y)·I_{n−k}(Z), is a draw of p(tree | n),
/// whose yield is a draw of p(y | |y| = n). The table is kept in log space, nonterminal by nonterminal, so lengths of
/// hundreds of symbols neither underflow nor lose a nonterminal whose mass is far below another's. O(n²·|binary rules|) for the table up to n,
/// O(Σ_nodes n_node·|rules of the node|) per draw. Thread-safe. Notes §4.2.
/// </summary>
public sealed class PcfgLengthSampler : ILengthConditionedSampler
{
    /// <summary>The longest length tabulated (the table costs O(n²·|G|)).</summary>
    public const int LengthLimit = 4096;

    private readonly Cfg<Real> _grammar;
    private readonly (int Terminal, double Weight)[][] _terminalRules;
    private readonly (int Left, int Right, double Weight)[][] _binaryRules;
    private readonly double _emptyWeight;
    private readonly double _logMassScale;
    private readonly List<double[]> _logInside = [];
    private readonly object _gate = new();

    /// <summary>A sampler for a grammar in Chomsky normal form whose string weights, times exp(<paramref name="logMassScale"/>), are the model's.</summary>
    internal PcfgLengthSampler(Cfg<Real> chomskyNormalForm, double logMassScale)
    {
        if (!chomskyNormalForm.IsChomskyNormalForm) throw new NotInChomskyNormalFormException("The length sampler runs on a grammar in Chomsky normal form.");
        _grammar = chomskyNormalForm;
        _logMassScale = logMassScale;
        var n = _grammar.Nonterminals.Count;
        _terminalRules = new (int, double)[n][];
        _binaryRules = new (int, int, double)[n][];
        for (var x = 0; x < n; x++)
        {
            var rules = _grammar.RulesOf(x).ToArray();
            _terminalRules[x] = [.. rules.Where(r => r.Rhs.Length == 1).Select(r => (r.Rhs[0].Id, r.Weight.Value))];
            _binaryRules[x] = [.. rules.Where(r => r.Rhs.Length == 2).Select(r => (r.Rhs[0].Id, r.Rhs[1].Id, r.Weight.Value))];
        }
        _emptyWeight = _grammar.RulesOf(_grammar.Start).ToArray().Where(r => r.Rhs.Length == 0).Sum(r => r.Weight.Value);
        _logInside.Add([.. Enumerable.Repeat(double.NegativeInfinity, n)]);
    }

    /// <inheritdoc />
    public int? MaxLength => LengthLimit;

    /// <inheritdoc />
    public double LogLengthProbability(int length) =>
        (length == 0 ? Math.Log(_emptyWeight) : LogInside(length)[_grammar.Start]) + _logMassScale;

    /// <inheritdoc />
    public int[] SampleOfLength(Random random, int length)
    {
        if (double.IsNegativeInfinity(LogLengthProbability(length))) throw new WorkbenchException(Invariant($"The grammar has no string of length {length}."));
        // The rows up to the length, taken once: a draw reads them O(n·|rules|) times per node.
        var inside = Rows(length);
        var output = new List<int>(length);
        var stack = new Stack<(int Symbol, int Length)>();
        if (length > 0) stack.Push((_grammar.Start, length));
        var logWeights = new List<double>();
        var choices = new List<(int Left, int Right, int Split)>();
        while (stack.TryPop(out var node))
        {
            var (x, n) = node;
            if (n == 1)
            {
                output.Add(_terminalRules[x][Categorical.SampleLogWeighted([.. _terminalRules[x].Select(r => Math.Log(r.Weight))], random)].Terminal);
                continue;
            }
            logWeights.Clear();
            choices.Clear();
            foreach (var (left, right, w) in _binaryRules[x])
                for (var k = 1; k < n; k++)
                {
                    logWeights.Add(Math.Log(w) + inside[k][left] + inside[n - k][right]);
                    choices.Add((left, right, k));
                }
            var (chosenLeft, chosenRight, split) = choices[Categorical.SampleLogWeighted(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(logWeights), random)];
            stack.Push((chosenRight, n - split));
            stack.Push((chosenLeft, split));
        }
        return [.. output];
    }

    // log I_n over the nonterminals, for n ≥ 1 (entry 0 is all −∞: the CNF form has no ε below the start).
    private double[] LogInside(int length) => Rows(length)[length];

    // The rows log I_0 … log I_length, built as far as needed.
    private double[][] Rows(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > LengthLimit)
            throw new BudgetExceededException(Invariant($"Conditioning a grammar on length {length} needs the inside table up to it, which costs O(n²·|G|); the limit is {LengthLimit}."));
        lock (_gate)
        {
            while (_logInside.Count <= length)
            {
                var n = _logInside.Count;
                var inside = new double[_grammar.Nonterminals.Count];
                var terms = new double[Math.Max(0, n - 1)];
                for (var x = 0; x < inside.Length; x++)
                {
                    if (n == 1)
                    {
                        inside[x] = Math.Log(_terminalRules[x].Sum(r => r.Weight));
                        continue;
                    }
                    inside[x] = double.NegativeInfinity;
                    foreach (var (left, right, w) in _binaryRules[x])
                    {
                        for (var k = 1; k < n; k++) terms[k - 1] = _logInside[k][left] + _logInside[n - k][right];
                        inside[x] = LogSpace.Add(inside[x], Math.Log(w) + LogSpace.SumExp(terms));
                    }
                }
                _logInside.Add(inside);
            }
            return [.. _logInside.Take(length + 1)];
        }
    }
}
