using Workbench.Formal.IO;
using System.Text;
using Workbench.Formal.Errors;

namespace Workbench.Formal.Tests;

public sealed class TextFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("workbench-text-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Path(string name) => System.IO.Path.Combine(_directory, name);

    [Fact]
    public void Text_is_read_whole_with_a_byte_order_mark_dropped_and_lines_split_at_every_break()
    {
        var plain = Path("plain.txt");
        File.WriteAllText(plain, "a b\r\nc\rd\ne", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Equal("a b\r\nc\rd\ne", TextFile.ReadAll(plain));
        Assert.Equal(["a b", "c", "d", "e"], TextFile.ReadLines(plain));
        var unicode = Path("unicode.txt");
        File.WriteAllText(unicode, "ε → ∅\n", new UTF8Encoding(false));
        Assert.Equal("ε → ∅\n", TextFile.ReadAll(unicode));
        var empty = Path("empty.txt");
        File.WriteAllText(empty, "");
        Assert.Equal("", TextFile.ReadAll(empty));
        Assert.Empty(TextFile.ReadLines(empty));
        // Longer than the first read block (64 KiB) when the length is unknown, and than a preallocated buffer.
        var large = Path("large.txt");
        var text = string.Concat(Enumerable.Repeat("0\t1\ta\t0.5\n", 20_000));
        File.WriteAllText(large, text);
        Assert.Equal(text, TextFile.ReadAll(large));
    }

    [Fact]
    public void Binary_files_missing_files_and_folders_are_refused_by_name()
    {
        var binary = Path("binary.bin");
        File.WriteAllBytes(binary, [(byte)'a', (byte)'b', 0, (byte)'c']);
        var error = Assert.Throws<WorkbenchException>(() => TextFile.ReadAll(binary));
        Assert.Contains($"Cannot read {binary}: byte 2 is NUL", error.Message);
        var missing = Path("missing.txt");
        Assert.StartsWith($"Cannot read {missing}:", Assert.Throws<WorkbenchException>(() => TextFile.ReadLines(missing)).Message);
        Assert.StartsWith($"Cannot read {_directory}:", Assert.ThrowsAny<WorkbenchException>(() => TextFile.ReadAll(_directory)).Message);
    }

    [Fact]
    public void A_nul_in_the_first_byte_is_refused()
    {
        var binary = Path("nul-first.bin");
        File.WriteAllBytes(binary, [0, (byte)'a']);
        Assert.Contains("byte 0 is NUL", Assert.Throws<WorkbenchException>(() => TextFile.ReadAll(binary)).Message);
    }

    [Fact]
    public async Task Streams_of_unknown_length_are_read_in_growing_blocks()
    {
        // A named pipe cannot seek, so the reader starts at 64 KiB and doubles; 300 KB needs three resizes.
        var fifo = Path("pipe");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        var text = string.Concat(Enumerable.Repeat("0 1 a 0.5\n", 30_000));
        var writer = Task.Run(() => File.WriteAllText(fifo, text));
        Assert.Equal(text, TextFile.ReadAll(fifo));
        await writer;
    }
}
