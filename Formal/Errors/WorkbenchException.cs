namespace Workbench.Formal.Errors;

/// <summary>
/// Base type of every error the workbench raises for bad input or an impossible request, so that a
/// caller (the CLI above all) can report it as a clear message instead of a stack trace.
/// </summary>
public class WorkbenchException : Exception
{
    /// <summary>Creates the exception with a message that names the problem and where it is.</summary>
    public WorkbenchException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public WorkbenchException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A symbol that the alphabet does not contain, with the position where it appeared.</summary>
public sealed class UnknownSymbolException : WorkbenchException
{
    /// <summary>Creates the exception with a message naming the symbol and its position.</summary>
    public UnknownSymbolException(string message) : base(message) { }

    /// <summary>Creates the exception for a symbol read from text at a 1-based column.</summary>
    public UnknownSymbolException(string message, string symbol, int column) : base(message)
    {
        Symbol = symbol;
        Column = column;
    }

    /// <summary>The unknown symbol as written, when it came from text.</summary>
    public string? Symbol { get; }

    /// <summary>The 1-based column of the symbol in the parsed text, when it came from text.</summary>
    public int? Column { get; }
}

/// <summary>
/// A model whose parameters break its definition: probabilities outside [0, 1], NaN, local
/// distributions that do not sum to one, duplicate entries. The message names the offending part.
/// </summary>
public sealed class InvalidModelException(string message) : WorkbenchException(message);

/// <summary>
/// A sum that does not converge: a Kleene star outside the semiring's domain of convergence, a
/// geometric series with ratio ≥ 1. Raised instead of returning a meaningless number.
/// </summary>
public sealed class DivergenceException(string message) : WorkbenchException(message);

/// <summary>A text (a string, a model description) that could not be parsed, with the column of the problem.</summary>
public sealed class ParseException(string message) : WorkbenchException(message);
