namespace Workbench.Automata.Formats;

/// <summary>How arc lines of AT&amp;T text are laid out.</summary>
public enum AttLayout
{
    /// <summary>
    /// Deduced from the file: a five-field arc line or a non-numeric fourth field means a transducer listing; a
    /// three-field arc line, a fourth field that is a number but no integer, or a number after a named label means an
    /// acceptor; a file where every arc line is <c>s d x y</c> with integers x and y is ambiguous and refused (pass the layout).
    /// </summary>
    Auto,

    /// <summary><c>source target label [weight]</c>, as <c>fstprint --acceptor</c> writes.</summary>
    Acceptor,

    /// <summary><c>source target input output [weight]</c>, as plain <c>fstprint</c> writes (weights equal to One omitted).</summary>
    Transducer,
}

/// <summary>How AT&amp;T text is read: weights, arc layout, and what the integer label 0 means.</summary>
/// <param name="Weights">−ln p (OpenFst's log semiring) or probabilities.</param>
/// <param name="Layout">Acceptor or transducer lines, or deduced.</param>
/// <param name="ZeroIsEpsilon">Whether label 0 is ε in a file whose labels are all integers (OpenFst's numbering without symbol tables); otherwise it is a symbol.</param>
public sealed record AttReading(AttWeights Weights = AttWeights.NegativeLog, AttLayout Layout = AttLayout.Auto, bool ZeroIsEpsilon = true)
{
    /// <summary>The default reading: −ln p weights, deduced layout, 0 is ε in integer-labelled files.</summary>
    public static AttReading Default { get; } = new();
}
