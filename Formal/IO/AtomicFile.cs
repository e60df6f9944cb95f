using Workbench.Formal.Errors;

namespace Workbench.Formal.IO;

/// <summary>Writes files so that a reader (or a crash) never sees half of one: a temporary file in the same folder, then a rename.</summary>
public static class AtomicFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="contents"/> in one rename.</summary>
    /// <exception cref="WorkbenchException">The folder is missing or not writable.</exception>
    public static void Write(string path, string contents) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream);
        writer.Write(contents);
    });

    /// <summary>Replaces <paramref name="path"/> with whatever <paramref name="write"/> puts into the stream, in one rename.</summary>
    /// <exception cref="WorkbenchException">The folder is missing or not writable.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                write(stream);
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new WorkbenchException($"Cannot write {path}: {exception.Message}", exception);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
