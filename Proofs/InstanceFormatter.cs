using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Workbench.Proofs;

/// <summary>Prints generated instances readably: arrays as [x, y], tuples as (x, y), numbers in invariant culture.</summary>
public static class InstanceFormatter
{
    /// <summary>The printed form of <paramref name="instance"/>.</summary>
    public static string Format(object? instance) => instance switch
    {
        null => "null",
        string text => text,
        double number => number.ToString("G10", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        ITuple tuple => "(" + string.Join(", ", Enumerable.Range(0, tuple.Length).Select(i => Format(tuple[i]))) + ")",
        IEnumerable sequence => "[" + string.Join(", ", sequence.Cast<object?>().Select(Format)) + "]",
        _ => instance.ToString() ?? instance.GetType().Name,
    };
}
