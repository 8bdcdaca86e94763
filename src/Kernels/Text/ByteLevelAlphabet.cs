using System.Text;

namespace Mining.Kernels.Text;

/// <summary>GPT-2's reversible map between bytes and printable characters, in which byte-level BPE vocabularies are spelled ("Ġ" = space, "Ċ" = newline).</summary>
/// <remarks>openai/gpt-2 encoder.py <c>bytes_to_unicode</c>, which HF tokenizers' ByteLevel pre-tokenizer and decoder use.</remarks>
public static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = BuildByteToChar();
    private static readonly Dictionary<char, byte> CharToByte = Enumerable.Range(0, 256).ToDictionary(b => ByteToChar[b], b => (byte)b);

    /// <summary>The vocabulary spelling of <paramref name="text"/>'s UTF-8 bytes.</summary>
    public static string Encode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = ByteToChar[bytes[i]];
        }

        return new string(chars);
    }

    /// <summary>The character that spells byte <paramref name="value"/> ("Ġ" for 32).</summary>
    public static char SymbolOf(byte value) => ByteToChar[value];

    /// <summary>Appends the bytes a vocabulary string stands for; false when a character is outside the alphabet.</summary>
    public static bool TryAppendBytes(string piece, List<byte> bytes)
    {
        foreach (var c in piece)
        {
            if (!CharToByte.TryGetValue(c, out var b))
            {
                return false;
            }

            bytes.Add(b);
        }

        return true;
    }

    private static char[] BuildByteToChar()
    {
        // Printable Latin-1 bytes stand for themselves; the other 68 bytes take the characters from U+0100 on, in byte order.
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= '!' && b <= '~') || (b >= '¡' && b <= '¬') || (b >= '®' && b <= 'ÿ');
            map[b] = printable ? (char)b : (char)next++;
        }

        return map;
    }
}
