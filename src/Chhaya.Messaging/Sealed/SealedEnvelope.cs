// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.Safety;

namespace Chhaya.Messaging.Sealed;

/// <summary>
/// A sealed envelope as it travels: <c>u8 version=1 ‖ recipient tag (32) ‖ ephemeral X25519 key (32) ‖
/// sealed sender identity (32 + 16) ‖ sealed content (+16)</c>, and its total length is exactly one of
/// <see cref="PaddingBuckets.Sizes"/>. Only the version and the recipient are visible.
/// </summary>
public sealed record SealedEnvelope(byte[] RecipientTag, byte[] EphemeralKey, byte[] SealedSenderKey, byte[] SealedContent)
{
    public const byte Version = 1;

    /// <summary>Bytes before the sealed content: version, recipient tag, ephemeral key, sealed sender key.</summary>
    public const int PrefixLength = 1 + 32 + X25519.KeyLength + Ed25519.PublicKeyLength + MessageAead.TagLength;

    /// <summary>Fixed overhead of an envelope over its padded content.</summary>
    public const int Overhead = PrefixLength + MessageAead.TagLength;

    /// <summary>Splits an envelope into its parts, checking the version and that the length is a bucket size.</summary>
    /// <exception cref="MalformedInputException">Not a bucket size, or an unknown version.</exception>
    public static SealedEnvelope Decode(ReadOnlySpan<byte> envelope)
    {
        if (!PaddingBuckets.IsBucket(envelope.Length))
        {
            throw new MalformedInputException($"A sealed envelope is one of the bucket sizes, not {envelope.Length} bytes.");
        }

        if (envelope[0] != Version)
        {
            throw new MalformedInputException($"Sealed envelope version {envelope[0]} is not supported.");
        }

        return new SealedEnvelope(
            envelope.Slice(1, 32).ToArray(),
            envelope.Slice(33, 32).ToArray(),
            envelope.Slice(65, 48).ToArray(),
            envelope[PrefixLength..].ToArray());
    }

    /// <summary>Reads only the recipient tag (for routing and mailboxes), after the same form checks.</summary>
    /// <exception cref="MalformedInputException">Not a bucket size, or an unknown version.</exception>
    public static byte[] PeekRecipient(ReadOnlySpan<byte> envelope)
    {
        if (!PaddingBuckets.IsBucket(envelope.Length) || envelope[0] != Version)
        {
            throw new MalformedInputException("Not a sealed envelope.");
        }

        return envelope.Slice(1, 32).ToArray();
    }

    /// <summary>The recipient tag of an identity key: TaggedSha256("chhaya/v1/msg/recipient", IK).</summary>
    public static byte[] TagOf(ReadOnlySpan<byte> recipientIdentityKey)
    {
        var tag = new byte[32];
        Hashing.TaggedSha256(MessagingLabels.RecipientTag, recipientIdentityKey, tag);
        return tag;
    }
}
