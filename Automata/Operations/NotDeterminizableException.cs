using System.Globalization;
using Workbench.Automata.Core;
using Workbench.Formal.Errors;
using Workbench.Formal.Semirings;

namespace Workbench.Automata.Operations;

/// <summary>
/// Weighted determinization refused: either a proof that no deterministic machine has the same weights
/// (<see cref="DeterminizabilityReport.ProvesNonDeterminizable"/>), or a construction that exceeded its budget,
/// with what is known about the twins property. The message names the witness states, strings and weights.
/// </summary>
public sealed class NotDeterminizableException : WorkbenchException
{
    /// <summary>What the analysis found.</summary>
    public DeterminizabilityReport Report { get; }

    /// <summary>Creates the exception for a machine over any semiring.</summary>
    internal static NotDeterminizableException For<T>(Wfsa<T> fsa, DeterminizabilityReport report, string? budget) where T : struct, ISemiring<T> =>
        new(fsa.Alphabet.NameOf, report, budget);

    private NotDeterminizableException(Func<int, string> nameOf, DeterminizabilityReport report, string? budget)
        : base(Describe(nameOf, report, budget)) => Report = report;

    private static string Describe(Func<int, string> nameOf, DeterminizabilityReport report, string? budget)
    {
        var witness = report.Witness is { } w
            ? $"the twins property fails: states {w.First} and {w.Second} are both reached by {Text(nameOf, w.Prefix)} and loop on {Text(nameOf, w.Cycle)} " +
              $"with weights {Number(w.FirstCycleLogWeight)} and {Number(w.SecondCycleLogWeight)}"
            : null;
        if (report.ProvesNonDeterminizable)
            return $"The machine is not determinizable: it is unambiguous and {witness}, so no deterministic machine has the same weights " +
                   "(Allauzen & Mohri 2003; P4.7). Approximate determinization with a tolerance δ builds one with a stated bound.";
        var known = !report.Checked ? "its twins property was not checked (the self-product exceeded its budget)"
            : witness is not null ? $"{witness}; the machine is ambiguous, so this is strong evidence, not a proof, that no deterministic equivalent exists"
            : "it has the twins property (cycle weights equal to a relative 10⁻¹²), so the construction should close in exact arithmetic: raise the budget";
        return $"Determinization stopped: {budget}; {known}. Approximate determinization with a tolerance δ builds an approximation with a stated bound.";
    }

    private static string Text(Func<int, string> nameOf, int[] symbols) => symbols.Length == 0 ? "ε" : "'" + string.Join(" ", symbols.Select(nameOf)) + "'";

    private static string Number(double logWeight) => Math.Exp(logWeight).ToString("G6", CultureInfo.InvariantCulture);
}
