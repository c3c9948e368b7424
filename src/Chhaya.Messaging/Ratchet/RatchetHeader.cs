// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using Chhaya.Crypto;
using Chhaya.Safety;

namespace Chhaya.Messaging.Ratchet;

/// <summary>
/// The Double Ratchet header (Signal's spec §3.1 HEADER): the sender's current ratchet public key, the length of
/// its previous sending chain (PN) and the message number in the current chain (N). 40 bytes:
/// <c>DH (32) ‖ u32 PN ‖ u32 N</c>, big-endian. It travels in clear inside the sealed envelope and is
/// authenticated as associated data of the message's AEAD.
/// </summary>
public readonly record struct RatchetHeader(ReadOnlyMemory<byte> DhPublicKey, uint PreviousChainLength, uint MessageNumber)
{
    /// <summary>Encoded length.</summary>
    public const int Length = X25519.KeyLength + 4 + 4;

    public void WriteTo(Span<byte> destination)
    {
        Guard.ExactLength(destination.Length, Length, nameof(destination));
        DhPublicKey.Span.CopyTo(destination);
        BinaryPrimitives.WriteUInt32BigEndian(destination[32..], PreviousChainLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination[36..], MessageNumber);
    }

    /// <summary>Decodes exactly 40 bytes.</summary>
    /// <exception cref="MalformedInputException">The input is not 40 bytes.</exception>
    public static RatchetHeader Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length != Length)
        {
            throw new MalformedInputException($"A ratchet header is {Length} bytes, not {encoded.Length}.");
        }

        return new RatchetHeader(encoded[..32].ToArray(), BinaryPrimitives.ReadUInt32BigEndian(encoded[32..]), BinaryPrimitives.ReadUInt32BigEndian(encoded[36..]));
    }
}
