// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;

namespace Chhaya.P2p.Encoding;

/// <summary>
/// The multibase prefixes Chhaya needs: <c>z</c> base58btc, <c>b</c>/<c>B</c> base32 (RFC 4648, no padding)
/// and <c>f</c>/<c>F</c> base16. Other bases are rejected with a clear message rather than guessed.
/// </summary>
public static class Multibase
{
    /// <summary>Decodes multibase text into bytes.</summary>
    /// <exception cref="MalformedInputException">Empty, an unsupported prefix, or bad text for the base.</exception>
    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            throw new MalformedInputException("multibase text is empty");
        }

        var body = text.AsSpan(1);
        return text[0] switch
        {
            'z' => Base58.Decode(body),
            'b' => Base32.Decode(body),
            'B' => Base32.Decode(body),
            'f' or 'F' => DecodeHex(body),
            _ => throw new MalformedInputException($"multibase prefix '{text[0]}' is not supported"),
        };
    }

    /// <summary>Encodes as base58btc with the <c>z</c> prefix.</summary>
    public static string EncodeBase58Btc(ReadOnlySpan<byte> data) => "z" + Base58.Encode(data);

    /// <summary>Encodes as lower-case base32 with the <c>b</c> prefix.</summary>
    public static string EncodeBase32(ReadOnlySpan<byte> data) => "b" + Base32.Encode(data);

    private static byte[] DecodeHex(ReadOnlySpan<char> body)
    {
        if (body.Length > Base32.MaxEncodedLength || body.Length % 2 != 0)
        {
            throw new MalformedInputException("base16 text has a bad length");
        }

        try
        {
            return Convert.FromHexString(body);
        }
        catch (FormatException e)
        {
            throw new MalformedInputException("base16 text has a non-hex character", e);
        }
    }
}
