// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.Safety;

namespace Chhaya.P2p.Encoding;

/// <summary>UTF-8 decoding that rejects invalid sequences instead of substituting U+FFFD.</summary>
internal static class Utf8Strict
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <exception cref="MalformedInputException">The bytes are not valid UTF-8.</exception>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new MalformedInputException("text is not valid UTF-8", e);
        }
    }
}
