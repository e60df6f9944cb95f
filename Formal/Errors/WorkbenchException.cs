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

/// <summary>
/// A text (a file, a string, a model description) that could not be parsed. The message names the place; where it is
/// known, <see cref="Source"/>, <see cref="Line"/> and <see cref="Column"/> carry it for programs.
/// </summary>
public class ParseException : WorkbenchException
{
    /// <summary>Creates the exception with a message that names the problem and where it is.</summary>
    public ParseException(string message) : base(message) { }

    /// <summary>Creates the exception for a problem at a 1-based line and column of a named source: the message is <c>source:line:column: problem</c>.</summary>
    public ParseException(string source, int line, int column, string problem) : base($"{source}:{line}:{column}: {problem}")
    {
        Source = source;
        Line = line;
        Column = column;
    }

    /// <summary>The file or text name, when the error came from a located position.</summary>
    public new string? Source { get; }

    /// <summary>The 1-based line, when known.</summary>
    public int? Line { get; }

    /// <summary>The 1-based column, when known.</summary>
    public int? Column { get; }
}

/// <summary>
/// A computation refused because it would exceed a stated budget (states, table entries, a dense matrix, a length):
/// raised before the memory or time is spent, never after. The message names the budget and what would exceed it.
/// </summary>
public sealed class BudgetExceededException(string message) : WorkbenchException(message);
