using System.Text;

namespace Workbench.Formal.Errors;

/// <summary>
/// Reading input files with a clear error instead of an I/O stack trace, within a memory budget: a file is read in
/// blocks, and refused as soon as it passes <see cref="MaxCharacters"/> or shows a NUL character (a binary file, or a
/// device such as /dev/zero, which would otherwise be read until memory runs out). O(file size).
/// </summary>
public static class TextFile
{
    /// <summary>The most characters a text input may have (256 Mi, about 512 MiB of memory as a string).</summary>
    public const int MaxCharacters = 256 << 20;

    /// <summary>The whole text of <paramref name="path"/>.</summary>
    /// <exception cref="WorkbenchException">The file is missing, unreadable, binary or too large; the message names it and why.</exception>
    public static string ReadAll(string path)
    {
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { Access = FileAccess.Read, Share = FileShare.ReadWrite });
            var text = new StringBuilder();
            var block = new char[1 << 16];
            int count;
            while ((count = reader.Read(block, 0, block.Length)) > 0)
            {
                var nul = Array.IndexOf(block, '\0', 0, count);
                if (nul >= 0)
                    throw new WorkbenchException($"Cannot read {path}: character {text.Length + nul} is NUL, so this is not a text file (a binary file or a device).");
                if (text.Length + count > MaxCharacters)
                    throw new WorkbenchException($"Cannot read {path}: it is longer than the {MaxCharacters >> 20} Mi characters a text input may have.");
                text.Append(block, 0, count);
            }
            return text.ToString();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new WorkbenchException($"Cannot read {path}: {exception.Message}", exception);
        }
    }

    /// <summary>The lines of <paramref name="path"/> (split at \n, \r\n or \r), within the same budget.</summary>
    /// <exception cref="WorkbenchException">The file is missing, unreadable, binary or too large; the message names it and why.</exception>
    public static string[] ReadLines(string path)
    {
        var lines = new List<string>();
        using var reader = new StringReader(ReadAll(path));
        while (reader.ReadLine() is { } line) lines.Add(line);
        return lines.ToArray();
    }
}
