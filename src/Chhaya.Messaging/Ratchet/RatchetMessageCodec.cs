// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.Safety;

namespace Chhaya.Messaging.Ratchet;

/// <summary>
/// A Double Ratchet message on the wire: <c>u8 version=1 ‖ header (40) ‖ AES-256-GCM ciphertext ‖ tag (16)</c>.
/// The first 41 bytes are the "header bytes" that go, after the session's AD, into the AEAD's associated data.
/// </summary>
public static class RatchetMessageCodec
{
    public const byte Version = 1;

    /// <summary>Version byte and header.</summary>
    public const int PrefixLength = 1 + RatchetHeader.Length;

    /// <summary>Largest plaintext one ratchet message carries (the largest envelope bucket bounds it anyway).</summary>
    public const int MaxPlaintextLength = 64 * 1024;

    /// <summary>Decoder input cap.</summary>
    public const int MaxEncodedLength = PrefixLength + MaxPlaintextLength + MessageAead.TagLength;

    /// <summary>Splits a message into its header and ciphertext, checking form and bounds only.</summary>
    /// <exception cref="MalformedInputException">Wrong version, too short for a header and tag, or too long.</exception>
    public static RatchetHeader Decode(ReadOnlySpan<byte> message, out ReadOnlySpan<byte> ciphertext)
    {
        if (message.Length < PrefixLength + MessageAead.TagLength || message.Length > MaxEncodedLength)
        {
            throw new MalformedInputException($"A ratchet message is {PrefixLength + MessageAead.TagLength}..{MaxEncodedLength} bytes, not {message.Length}.");
        }

        if (message[0] != Version)
        {
            throw new MalformedInputException($"Ratchet message version {message[0]} is not supported.");
        }

        ciphertext = message[PrefixLength..];
        return RatchetHeader.Decode(message[1..PrefixLength]);
    }
}
