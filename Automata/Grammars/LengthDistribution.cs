using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars;

/// <summary>
/// The distribution of yield lengths of a CNF grammar: L_X(ℓ) = the total weight of the trees of X with ℓ
/// leaves, from L_X(1) = Σ_a w(X → a) and L_X(ℓ) = Σ_{X→YZ} w·Σ_{k=1}^{ℓ−1} L_Y(k)·L_Z(ℓ−k). For a PCFG,
/// Z(S) − Σ_{ℓ≤m} L_S(ℓ) is the exact mass of the strings longer than m — the tail bound for truncated
/// brute-force sums. O(m²·|binary rules|). Notes §4.2.
/// </summary>
public static class LengthDistribution
{
    /// <summary>L_S(0..maxLength), with L_S(0) the weight of S → ε.</summary>
    /// <exception cref="WorkbenchException">The grammar is not in Chomsky normal form.</exception>
    public static double[] Of(Cfg<Real> grammar, int maxLength)
    {
        if (!grammar.IsChomskyNormalForm) throw new NotInChomskyNormalFormException("The length distribution needs a grammar in Chomsky normal form.");
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        var n = grammar.Nonterminals.Count;
        var byLength = new double[maxLength + 1][];   // [ℓ][X]
        for (var length = 0; length <= maxLength; length++) byLength[length] = new double[n];
        foreach (var rule in grammar.Rules)
            if (rule.Rhs.Length == 1 && maxLength >= 1) byLength[1][rule.Lhs] += rule.Weight.Value;
        for (var length = 2; length <= maxLength; length++)
            foreach (var rule in grammar.Rules)
            {
                if (rule.Rhs.Length != 2) continue;
                var sum = 0.0;
                for (var k = 1; k < length; k++) sum += byLength[k][rule.Rhs[0].Id] * byLength[length - k][rule.Rhs[1].Id];
                byLength[length][rule.Lhs] += rule.Weight.Value * sum;
            }
        var result = byLength.Select(l => l[grammar.Start]).ToArray();
        result[0] = grammar.RulesOf(grammar.Start).ToArray().Where(r => r.Rhs.Length == 0).Sum(r => r.Weight.Value);
        return result;
    }
}
