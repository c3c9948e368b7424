// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;

namespace Chhaya.P2p.Encoding;

/// <summary>
/// Base58 with the Bitcoin alphabet (multibase <c>base58btc</c>, prefix <c>z</c>). Leading zero bytes map to
/// leading <c>1</c> characters one for one. The quadratic algorithm is fine for the short inputs it sees
/// (peer ids, at most a few hundred characters, bounded by <see cref="MaxEncodedLength"/>).
/// </summary>
public static class Base58
{
    /// <summary>Longest text accepted by <see cref="Decode"/>; a sha2-256 peer id is 46 characters.</summary>
    public const int MaxEncodedLength = 1024;

    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static readonly sbyte[] Map = BuildMap();

    /// <summary>Encodes bytes as base58btc text.</summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        Guard.MaxLength(data.Length, MaxEncodedLength, nameof(data));
        var zeros = 0;
        while (zeros < data.Length && data[zeros] == 0)
        {
            zeros++;
        }

        // log(256)/log(58) < 1.37, so this many digits always suffice.
        var digits = new byte[((data.Length - zeros) * 138 / 100) + 1];
        var length = 0;
        for (var i = zeros; i < data.Length; i++)
        {
            int carry = data[i];
            for (var j = 0; j < length; j++)
            {
                carry += digits[j] << 8;
                digits[j] = (byte)(carry % 58);
                carry /= 58;
            }

            while (carry > 0)
            {
                digits[length++] = (byte)(carry % 58);
                carry /= 58;
            }
        }

        var chars = new char[zeros + length];
        chars.AsSpan(0, zeros).Fill('1');
        for (var i = 0; i < length; i++)
        {
            chars[zeros + i] = Alphabet[digits[length - 1 - i]];
        }

        return new string(chars);
    }

    /// <summary>Decodes base58btc text.</summary>
    /// <exception cref="MalformedInputException">A character outside the alphabet, or the text is too long.</exception>
    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxEncodedLength)
        {
            throw new MalformedInputException($"base58 text is longer than {MaxEncodedLength} characters");
        }

        var zeros = 0;
        while (zeros < text.Length && text[zeros] == '1')
        {
            zeros++;
        }

        // log(58)/log(256) < 0.733.
        var bytes = new byte[((text.Length - zeros) * 733 / 1000) + 1];
        var length = 0;
        for (var i = zeros; i < text.Length; i++)
        {
            var c = text[i];
            var digit = c < 128 ? Map[c] : -1;
            if (digit < 0)
            {
                throw new MalformedInputException($"'{c}' is not a base58btc character");
            }

            var carry = digit;
            for (var j = 0; j < length; j++)
            {
                carry += bytes[j] * 58;
                bytes[j] = (byte)carry;
                carry >>= 8;
            }

            while (carry > 0)
            {
                bytes[length++] = (byte)carry;
                carry >>= 8;
            }
        }

        var result = new byte[zeros + length];
        for (var i = 0; i < length; i++)
        {
            result[zeros + i] = bytes[length - 1 - i];
        }

        return result;
    }

    private static sbyte[] BuildMap()
    {
        var map = new sbyte[128];
        map.AsSpan().Fill(-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            map[Alphabet[i]] = (sbyte)i;
        }

        return map;
    }
}
