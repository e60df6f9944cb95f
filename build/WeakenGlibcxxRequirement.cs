// MSBuild inline task (compiled by RoslynCodeTaskFactory from build/TorchSharpNative.targets).
// Marks one GLIBCXX version requirement of an ELF shared library as weak (VER_FLG_WEAK), where the
// system's libstdc++ does not provide that version. Only the flags field of the matching Vernaux entry
// of the .gnu.version_r section changes; the file is replaced atomically.
#nullable enable
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WorkbenchWeakenGlibcxxRequirement : Task
{
    private const uint SectionTypeVersionNeeded = 0x6ffffffe; // SHT_GNU_verneed
    private const ushort WeakFlag = 2;                         // VER_FLG_WEAK

    [Required]
    public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

    [Required]
    public string Version { get; set; } = "";

    public override bool Execute()
    {
        string? systemLibrary = FindSystemLibStdCxx();
        if (systemLibrary is null)
        {
            Log.LogMessage(MessageImportance.Low, "No system libstdc++.so.6 found; TorchSharp's native library left as it is.");
            return true;
        }
        if (Contains(File.ReadAllBytes(systemLibrary), Encoding.ASCII.GetBytes(Version + "\0")))
        {
            Log.LogMessage(MessageImportance.Low, $"{systemLibrary} provides {Version}; no patch needed.");
            return true;
        }
        foreach (ITaskItem item in Libraries)
        {
            string path = item.ItemSpec;
            try
            {
                byte[] image = File.ReadAllBytes(path);
                switch (MarkWeak(image, Version))
                {
                    case PatchResult.Patched:
                        string temporary = path + ".patching";
                        File.WriteAllBytes(temporary, image);
                        File.Replace(temporary, path, destinationBackupFileName: null); // rename(2): atomic
                        Log.LogMessage(MessageImportance.Normal, $"Marked {Version} weak in {path} (system libstdc++ lacks it).");
                        break;
                    case PatchResult.AlreadyWeak:
                        Log.LogMessage(MessageImportance.Low, $"{path}: {Version} is already weak.");
                        break;
                    case PatchResult.NotRequired:
                        Log.LogMessage(MessageImportance.Low, $"{path} does not require {Version}.");
                        break;
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                Log.LogError($"Could not patch {path}: {exception.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    private enum PatchResult { Patched, AlreadyWeak, NotRequired }

    private static string? FindSystemLibStdCxx()
    {
        foreach (string directory in new[] { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib" })
        {
            string candidate = Path.Combine(directory, "libstdc++.so.6");
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    private static PatchResult MarkWeak(byte[] image, string version)
    {
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (image[4] != 2 || image[5] != 1)
            throw new InvalidDataException("not a little-endian 64-bit ELF file");
        long sectionHeaders = (long)ReadUInt64(image, 0x28);
        int sectionHeaderSize = ReadUInt16(image, 0x3A);
        int sectionCount = ReadUInt16(image, 0x3C);
        for (int section = 0; section < sectionCount; section++)
        {
            long header = sectionHeaders + (long)section * sectionHeaderSize;
            if (ReadUInt32(image, header + 4) != SectionTypeVersionNeeded)
                continue;
            long offset = (long)ReadUInt64(image, header + 0x18);
            int linkedStrings = (int)ReadUInt32(image, header + 0x28);
            int entries = (int)ReadUInt32(image, header + 0x2C);
            long strings = (long)ReadUInt64(image, sectionHeaders + (long)linkedStrings * sectionHeaderSize + 0x18);
            long need = offset;
            for (int entry = 0; entry < entries; entry++)
            {
                int auxiliaryCount = ReadUInt16(image, need + 2);
                long auxiliary = need + ReadUInt32(image, need + 8);
                for (int index = 0; index < auxiliaryCount; index++)
                {
                    string name = ReadString(image, strings + ReadUInt32(image, auxiliary + 8));
                    if (name == version)
                    {
                        ushort flags = ReadUInt16(image, auxiliary + 4);
                        if ((flags & WeakFlag) != 0)
                            return PatchResult.AlreadyWeak;
                        flags |= WeakFlag;
                        image[auxiliary + 4] = (byte)(flags & 0xff);
                        image[auxiliary + 5] = (byte)(flags >> 8);
                        return PatchResult.Patched;
                    }
                    auxiliary += ReadUInt32(image, auxiliary + 12);
                }
                need += ReadUInt32(image, need + 12);
            }
        }
        return PatchResult.NotRequired;
    }

    private static ushort ReadUInt16(byte[] image, long at) => BitConverter.ToUInt16(image, checked((int)at));

    private static uint ReadUInt32(byte[] image, long at) => BitConverter.ToUInt32(image, checked((int)at));

    private static ulong ReadUInt64(byte[] image, long at) => BitConverter.ToUInt64(image, checked((int)at));

    private static string ReadString(byte[] image, long at)
    {
        int start = checked((int)at);
        int end = Array.IndexOf(image, (byte)0, start);
        return Encoding.ASCII.GetString(image, start, end - start);
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int start = Array.IndexOf(haystack, needle[0]); start >= 0 && start <= haystack.Length - needle.Length; start = Array.IndexOf(haystack, needle[0], start + 1))
        {
            int matched = 1;
            while (matched < needle.Length && haystack[start + matched] == needle[matched])
                matched++;
            if (matched == needle.Length)
                return true;
        }
        return false;
    }
}
