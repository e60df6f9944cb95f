namespace Workbench.Automata.Tokenization;

/// <summary>
/// GPT-2's printable stand-ins for bytes (the ByteLevel alphabet of HuggingFace tokenizers): the printable bytes 33–126,
/// 161–172 and 174–255 stand for themselves, and the other 68 bytes, in increasing order, for U+0100 onwards (so a space
/// is 'Ġ', U+0120). Byte-level vocabularies and merges are written in these characters. O(1) per byte.
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] CharOfByte = Build();
    private static readonly Dictionary<char, int> ByteOfChar = CharOfByte.Select((c, b) => (c, b)).ToDictionary(p => p.c, p => p.b);

    /// <summary>The character that stands for <paramref name="value"/> (0–255).</summary>
    public static char CharOf(int value) => CharOfByte[value];

    /// <summary>The byte a character stands for, or null when it is not one of the 256.</summary>
    public static int? ByteOf(char character) => ByteOfChar.TryGetValue(character, out var value) ? value : null;

    /// <summary>A byte string in stand-in characters.</summary>
    public static string Text(IEnumerable<int> bytes) => string.Concat(bytes.Select(CharOf));

    private static char[] Build()
    {
        var result = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
            result[b] = b is >= 33 and <= 126 or >= 161 and <= 172 or >= 174 and <= 255 ? (char)b : (char)next++;
        return result;
    }
}
