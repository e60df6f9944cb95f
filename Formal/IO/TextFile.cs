using Workbench.Formal.Errors;
using System.Text;

namespace Workbench.Formal.IO;

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
            using var stream = new FileStream(path, new FileStreamOptions { Access = FileAccess.Read, Share = FileShare.ReadWrite, BufferSize = 0 });
            // Bytes first (a UTF-8 character is at least one byte, so the byte budget bounds the characters), then one decode.
            // Stryker disable once all : the first block's size only affects speed; the loop below grows the buffer
            var buffer = new byte[stream.CanSeek && stream.Length is > 0 and < MaxCharacters ? stream.Length + 1 : 1 << 16];
            var length = 0;
            int count;
            while ((count = stream.Read(buffer, length, buffer.Length - length)) > 0)
            {
                var nul = buffer.AsSpan(length, count).IndexOf((byte)0);
                if (nul >= 0)
                    throw new WorkbenchException($"Cannot read {path}: byte {length + nul} is NUL, so this is not a text file (a binary file or a device).");
                length += count;
                if (length > MaxCharacters)
                    throw new WorkbenchException($"Cannot read {path}: it is longer than the {MaxCharacters >> 20} Mi characters a text input may have.");
                if (length == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(2L * buffer.Length, MaxCharacters + 1L));
            }
            var bytes = buffer.AsSpan(0, length);
            var bom = Encoding.UTF8.Preamble;
            return Encoding.UTF8.GetString(bytes.StartsWith(bom) ? bytes[bom.Length..] : bytes);
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
