namespace Workbench.Formal.Errors;

/// <summary>Reading input files with a clear error instead of an I/O stack trace.</summary>
public static class TextFile
{
    /// <summary>The whole text of <paramref name="path"/>.</summary>
    /// <exception cref="WorkbenchException">The file is missing or unreadable; the message names it and why.</exception>
    public static string ReadAll(string path) => Read(path, File.ReadAllText);

    /// <summary>The lines of <paramref name="path"/>.</summary>
    /// <exception cref="WorkbenchException">The file is missing or unreadable; the message names it and why.</exception>
    public static string[] ReadLines(string path) => Read(path, File.ReadAllLines);

    private static T Read<T>(string path, Func<string, T> read)
    {
        try
        {
            return read(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new WorkbenchException($"Cannot read {path}: {exception.Message}", exception);
        }
    }
}
