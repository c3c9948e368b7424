// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.Safety;

namespace Chhaya.P2p.Encoding;

/// <summary>
/// RFC 4648 base32 without padding, as multibase uses it (prefix <c>b</c> lower case, <c>B</c> upper case).
/// Decoding accepts either case and rejects non-zero trailing bits, so each byte string has one text form.
/// </summary>
public static class Base32
{
    /// <summary>Longest text accepted by <see cref="Decode"/>.</summary>
    public const int MaxEncodedLength = 4096;

    private const string Lower = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>Encodes to lower-case base32 without padding.</summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder(((data.Length * 8) + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Lower[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            sb.Append(Lower[(buffer << (5 - bits)) & 31]);
        }

        return sb.ToString();
    }

    /// <summary>Decodes unpadded base32 in either case.</summary>
    /// <exception cref="MalformedInputException">A bad character, a bad length or non-zero padding bits.</exception>
    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxEncodedLength)
        {
            throw new MalformedInputException($"base32 text is longer than {MaxEncodedLength} characters");
        }

        // Lengths 1, 3 and 6 (mod 8) cannot come from whole bytes.
        var rem = text.Length % 8;
        if (rem is 1 or 3 or 6)
        {
            throw new MalformedInputException("base32 text has an impossible length");
        }

        var result = new byte[text.Length * 5 / 8];
        int buffer = 0, bits = 0, n = 0;
        foreach (var c in text)
        {
            int v = c switch
            {
                >= 'a' and <= 'z' => c - 'a',
                >= 'A' and <= 'Z' => c - 'A',
                >= '2' and <= '7' => c - '2' + 26,
                _ => throw new MalformedInputException($"'{c}' is not a base32 character"),
            };
            buffer = ((buffer << 5) | v) & 0xFFF;
            bits += 5;
            if (bits >= 8)
            {
                result[n++] = (byte)(buffer >> (bits - 8));
                bits -= 8;
            }
        }

        if ((buffer & ((1 << bits) - 1)) != 0)
        {
            throw new MalformedInputException("base32 text has non-zero padding bits");
        }

        return result;
    }
}
