using System.Globalization;

namespace Workbench.Formal.LanguageModels;

/// <summary>
/// A computed number together with how far it can be from the truth: the true value lies in
/// [Value − ErrorBound, Value + ErrorBound]. An exact closed form has bound 0; a value known only to be
/// infinite is +∞ with bound 0.
/// </summary>
/// <param name="Value">The computed value.</param>
/// <param name="ErrorBound">A bound on the absolute error (non-negative; +∞ when nothing is known).</param>
/// <param name="Method">How it was computed, in words (e.g. "closed form", "finite sum over the table").</param>
public sealed record CertifiedValue(double Value, double ErrorBound, string Method)
{
    /// <summary>A value known exactly.</summary>
    public static CertifiedValue Exact(double value, string method) => new(value, 0, method);

    /// <inheritdoc />
    public override string ToString() =>
        ErrorBound == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{Value:G12} ({Method})")
            : string.Create(CultureInfo.InvariantCulture, $"{Value:G12} ± {ErrorBound:G3} ({Method})");
}
