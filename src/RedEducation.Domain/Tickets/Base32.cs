namespace RedEducation.Domain.Tickets;

/// <summary>
/// RFC 4648 base32 without padding, upper case: every character is in the QR code's alphanumeric set, which packs
/// 5.5 bits a character instead of byte mode's 8, and the text is safe in URLs.
/// </summary>
public static class Base32
{
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var groups = Repack(data, 8, 5);
        return string.Create(groups.Length, groups, (chars, g) =>
        {
            for (var i = 0; i < g.Length; i++)
            {
                chars[i] = Alphabet[g[i]];
            }
        });
    }

    /// <summary>Decodes upper- or lower-case base32; null when a character is outside the alphabet or bits are left over.</summary>
    public static byte[]? Decode(string text)
    {
        var values = new byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            var index = Alphabet.IndexOf(char.ToUpperInvariant(text[i]), StringComparison.Ordinal);
            if (index < 0)
            {
                return null;
            }
            values[i] = (byte)index;
        }
        // A canonical encoding leaves fewer than 8 bits over, and those are zero.
        var bits = text.Length * 5;
        if (bits % 8 >= 5 || (bits % 8 != 0 && (values[^1] & ((1 << (bits % 8)) - 1)) != 0))
        {
            return null;
        }
        return Repack(values, 5, 8, padTail: false);
    }

    /// <summary>Regroups a stream of <paramref name="fromBits"/>-bit values into <paramref name="toBits"/>-bit values, most significant bit first.</summary>
    public static byte[] Repack(ReadOnlySpan<byte> values, int fromBits, int toBits, bool padTail = true)
    {
        var output = new List<byte>(values.Length * fromBits / toBits + 1);
        int buffer = 0, held = 0, mask = (1 << toBits) - 1;
        foreach (var value in values)
        {
            buffer = (buffer << fromBits) | value;
            held += fromBits;
            while (held >= toBits)
            {
                held -= toBits;
                output.Add((byte)((buffer >> held) & mask));
            }
            buffer &= (1 << held) - 1;
        }
        if (held > 0 && padTail)
        {
            output.Add((byte)((buffer << (toBits - held)) & mask));
        }
        return [.. output];
    }
}
