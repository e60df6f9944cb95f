using Workbench.Formal.IO;
using Workbench.Automata.Formats;
using Workbench.Formal.Errors;
using Workbench.Formal.Symbols;
using Workbench.Neural.Architecture;
using Workbench.Neural.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Neural.Storage;

/// <summary>
/// The saved form of a trained or constructed network: a header (format tag, architecture spec, alphabet)
/// followed by TorchSharp's parameter and buffer dump, both behind a SHA-256 checksum (a file of the first version,
/// without one, is still read). Written atomically; read back on any device.
/// </summary>
public static class ModelFile
{
    private const string FormatTag = "workbench-neural-model/1";

    /// <summary>The customary extension of model files.</summary>
    public const string Extension = ".wbm";

    // Files since this version hold the header and the dump as one blob behind its length and SHA-256, so a damaged weight
    // is refused instead of loaded; files with the bare header (FormatTag first) are still read.
    private const string ChecksummedTag = "workbench-neural-model/2";

    /// <summary>Writes the network to path (replacing it in one rename), with a SHA-256 checksum of its header and weights.</summary>
    public static void Save(SequenceModel network, string path) => Save(network, network, path);

    /// <summary>
    /// Writes the parameters of a module built around network (the network itself, or a recognizer whose heads sit on it)
    /// behind the network's header; <see cref="Load{T}"/> reads it back through the same wrapping.
    /// </summary>
    public static void Save(SequenceModel network, TorchSharp.torch.nn.Module parameters, string path) =>
        AtomicFile.Write(path, stream =>
        {
            using var body = new MemoryStream();
            using (var writer = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                WriteHeader(writer, network);
                parameters.save(writer);
            }
            var bytes = body.ToArray();
            using var outer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            outer.Write(ChecksummedTag);
            outer.Write(bytes.LongLength);
            outer.Write(System.Security.Cryptography.SHA256.HashData(bytes));
            outer.Write(bytes);
        });

    /// <summary>Reads a network saved by <see cref="Save(SequenceModel, string)"/> onto device (CPU when null).</summary>
    /// <exception cref="WorkbenchException">The file is missing, not a model file, or damaged.</exception>
    public static SequenceModel Load(string path, Device? device = null) => Load(path, network => network, device).Network;

    /// <summary>
    /// Reads a module saved by <see cref="Save(SequenceModel, TorchSharp.torch.nn.Module, string)"/>: the header's network, wrapped
    /// as it was when saved, then the saved parameters, onto device (CPU when null).
    /// </summary>
    /// <exception cref="WorkbenchException">The file is missing, not a model file, or damaged.</exception>
    public static (SequenceModel Network, T Module) Load<T>(string path, Func<SequenceModel, T> wrap, Device? device = null) where T : TorchSharp.torch.nn.Module
    {
        if (!File.Exists(path))
            throw new WorkbenchException(Invariant($"{path}: no such model file"));
        try
        {
            using var stream = File.OpenRead(path);
            using var file = new BinaryReader(stream);
            using var reader = file.ReadString() == ChecksummedTag ? new BinaryReader(new MemoryStream(VerifiedBody(file, stream, path))) : Rewound(stream);
            SequenceModel network = ReadHeader(reader, path);
            T module = wrap(network);
            module.load(reader);
            if (device is not null)
                module.to(device);
            return (network, module);
        }
        catch (Exception exception) when (exception is EndOfStreamException or IOException or ArgumentException or InvalidOperationException
                                             || exception is WorkbenchException && !exception.Message.Contains(path, StringComparison.Ordinal))
        {
            // A damaged header can also hold an architecture or alphabet that does not parse: say which file it came from.
            throw new WorkbenchException(Invariant($"{path}: damaged model file ({exception.Message})"), exception);
        }
    }

    // The checksummed blob after the tag: its length (within the file), its SHA-256, then the bytes, which must match it.
    private static byte[] VerifiedBody(BinaryReader file, Stream stream, string path)
    {
        var length = file.ReadInt64();
        if (length < 0 || length > stream.Length - stream.Position - 32 || length > Array.MaxLength)
            throw new WorkbenchException(Invariant($"{path}: damaged model file (a body of {length} bytes does not fit in the file)"));
        var hash = file.ReadBytes(32);
        var bytes = file.ReadBytes((int)length);
        if (!System.Security.Cryptography.SHA256.HashData(bytes).AsSpan().SequenceEqual(hash))
            throw new WorkbenchException(Invariant($"{path}: damaged model file (its SHA-256 does not match: the file changed after it was saved)"));
        return bytes;
    }

    // A file of the first version: its header starts at the beginning.
    private static BinaryReader Rewound(Stream stream)
    {
        stream.Position = 0;
        return new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
    }

    /// <summary>Writes the header that <see cref="ReadHeader"/> reads.</summary>
    internal static void WriteHeader(BinaryWriter writer, SequenceModel network)
    {
        writer.Write(FormatTag);
        writer.Write(network.Architecture.ToString());
        writer.Write(network.Alphabet.Size);
        foreach (string symbol in network.Alphabet.Symbols)
            writer.Write(symbol);
    }

    /// <summary>Reads a header and builds the (untrained) network it describes.</summary>
    internal static SequenceModel ReadHeader(BinaryReader reader, string path)
    {
        string tag = reader.ReadString();
        if (tag != FormatTag)
            throw new WorkbenchException(Invariant($"{path}: not a workbench model file (found tag '{tag}')"));
        NeuralArchitecture architecture = NeuralArchitecture.Parse(reader.ReadString());
        int size = reader.ReadInt32();
        if (size is < 1 or > 1 << 20)
            throw new WorkbenchException(Invariant($"{path}: damaged model file (alphabet size {size})"));
        var symbols = new string[size];
        for (int i = 0; i < size; i++)
            symbols[i] = reader.ReadString();
        return NetworkFactory.Create(new Alphabet(symbols), architecture);
    }
}
