using System.Globalization;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Grammars;

/// <summary>Checks that a weighted CFG is a PCFG: the rules of every nonterminal have weights summing to 1. Notes §4.2 (D5.3).</summary>
public static class PcfgValidation
{
    /// <summary>The default tolerance on each sum.</summary>
    public const double DefaultTolerance = 1e-9;

    /// <summary>Throws unless every nonterminal's rule weights sum to 1 within <paramref name="tolerance"/>. O(|G|).</summary>
    /// <exception cref="InvalidModelException">The message names the nonterminal and its sum.</exception>
    public static void Validate(Cfg<Real> grammar, double tolerance = DefaultTolerance)
    {
        if (Problem(grammar, tolerance) is { } problem) throw new InvalidModelException(problem);
    }

    /// <summary>Whether every nonterminal's rule weights sum to 1 within <paramref name="tolerance"/>.</summary>
    public static bool IsPcfg(Cfg<Real> grammar, double tolerance = DefaultTolerance) => Problem(grammar, tolerance) is null;

    /// <summary>What makes the grammar not a PCFG (a weight outside [0, 1], or a rule sum off 1 by more than <paramref name="tolerance"/>), or null. O(|G|).</summary>
    public static string? Problem(Cfg<Real> grammar, double tolerance = DefaultTolerance)
    {
        for (var x = 0; x < grammar.Nonterminals.Count; x++)
        {
            var sum = 0.0;
            foreach (var rule in grammar.RulesOf(x))
            {
                if (!(rule.Weight.Value is >= 0 and <= 1 + 1e-12))
                    return string.Create(CultureInfo.InvariantCulture, $"A rule of {grammar.Nonterminals[x]} has weight {rule.Weight.Value}, which is not a probability.");
                sum += rule.Weight.Value;
            }
            if (!(Math.Abs(sum - 1) <= tolerance))
                return string.Create(CultureInfo.InvariantCulture, $"The rules of {grammar.Nonterminals[x]} sum to {sum:G15}, not 1 (tolerance {tolerance:G3}).");
        }
        return null;
    }
}
