// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using Chhaya.Crypto;
using Chhaya.Safety;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Verification;

namespace Chhaya.Vkd.Epochs;

/// <summary>
/// What a directory commits to at each epoch: its id, the epoch number, the published root, the root of
/// the epoch before, and when it published. Signed with Ed25519 over a fixed byte layout (see
/// <see cref="WriteSigningInput"/>), never over a serializer's output.
/// </summary>
public sealed record EpochHead(Digest DirectoryId, ulong Epoch, Digest Root, Digest PreviousRoot, long TimestampUnixMilliseconds)
{
    /// <summary>Domain-separation prefix of the signed bytes: ASCII <c>chhaya/v1/vkd/epoch-head</c> and a zero byte.</summary>
    public static ReadOnlySpan<byte> SigningDomain => "chhaya/v1/vkd/epoch-head\0"u8;

    /// <summary>Length of the encoded head: id 32, epoch 8, root 32, previous root 32, timestamp 8.</summary>
    public const int EncodedLength = 32 + 8 + 32 + 32 + 8;

    /// <summary>Length of the signed bytes: domain then the encoded head.</summary>
    public static int SigningInputLength => SigningDomain.Length + EncodedLength;

    /// <summary>
    /// Writes <c>domain ‖ directory_id[32] ‖ u64be(epoch) ‖ root[32] ‖ previous_root[32] ‖ i64be(timestamp ms)</c>.
    /// </summary>
    public void WriteSigningInput(Span<byte> destination)
    {
        Guard.MaxLength(SigningInputLength, destination.Length, nameof(destination));
        SigningDomain.CopyTo(destination);
        Encode(destination[SigningDomain.Length..]);
    }

    /// <summary>Writes the 112-byte head.</summary>
    public void Encode(Span<byte> destination)
    {
        Guard.MaxLength(EncodedLength, destination.Length, nameof(destination));
        DirectoryId.CopyTo(destination);
        BinaryPrimitives.WriteUInt64BigEndian(destination[32..], Epoch);
        Root.CopyTo(destination[40..]);
        PreviousRoot.CopyTo(destination[72..]);
        BinaryPrimitives.WriteInt64BigEndian(destination[104..], TimestampUnixMilliseconds);
    }

    /// <summary>
    /// The 112-byte head as a new array: the statement witnesses co-sign (the directory id, epoch, root,
    /// previous root and timestamp, without the directory's signature).
    /// </summary>
    public byte[] Encode()
    {
        var bytes = new byte[EncodedLength];
        Encode(bytes);
        return bytes;
    }

    /// <summary>Reads a 112-byte head.</summary>
    /// <exception cref="MalformedInputException">Not exactly 112 bytes.</exception>
    public static EpochHead Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length != EncodedLength)
        {
            throw new MalformedInputException($"An epoch head is {EncodedLength} bytes, not {data.Length}.");
        }

        return new EpochHead(
            new Digest(data[..32]),
            BinaryPrimitives.ReadUInt64BigEndian(data[32..]),
            new Digest(data[40..72]),
            new Digest(data[72..104]),
            BinaryPrimitives.ReadInt64BigEndian(data[104..]));
    }
}

/// <summary>An epoch head with the directory's Ed25519 signature. Wire form: head (112 bytes) ‖ signature (64 bytes).</summary>
public sealed record SignedEpochHead(EpochHead Head, ReadOnlyMemory<byte> Signature)
{
    /// <summary>Length of the wire form.</summary>
    public const int EncodedLength = EpochHead.EncodedLength + Ed25519.SignatureLength;

    /// <summary>Signs <paramref name="head"/> with the directory's Ed25519 seed.</summary>
    public static SignedEpochHead Sign(EpochHead head, SecretBytes signingSeed)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(signingSeed);
        Span<byte> message = stackalloc byte[EpochHead.SigningInputLength];
        head.WriteSigningInput(message);
        return new SignedEpochHead(head, Ed25519.Sign(signingSeed, message));
    }

    /// <summary>True when the signature verifies under <paramref name="publicKey"/>.</summary>
    public bool VerifySignature(ReadOnlySpan<byte> publicKey)
    {
        Span<byte> message = stackalloc byte[EpochHead.SigningInputLength];
        Head.WriteSigningInput(message);
        return Ed25519.Verify(publicKey, message, Signature.Span);
    }

    /// <summary>
    /// Checks the signature and, when <paramref name="previous"/> is given, that this head extends it:
    /// same directory, the next epoch, and its previous root is the earlier root.
    /// </summary>
    /// <exception cref="VkdVerificationException">With <see cref="VkdCheck.EpochHeadInvalid"/>.</exception>
    public void Verify(ReadOnlySpan<byte> publicKey, EpochHead? previous = null)
    {
        if (!VerifySignature(publicKey))
        {
            VkdVerificationException.Fail(VkdCheck.EpochHeadInvalid, $"the signature on epoch {Head.Epoch} does not verify");
        }

        if (previous is not null
            && (previous.DirectoryId != Head.DirectoryId || previous.Epoch == ulong.MaxValue || previous.Epoch + 1 != Head.Epoch || previous.Root != Head.PreviousRoot))
        {
            VkdVerificationException.Fail(VkdCheck.EpochHeadInvalid, $"epoch {Head.Epoch} does not extend epoch {previous.Epoch}");
        }
    }

    /// <summary>The 176-byte wire form.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[EncodedLength];
        Head.Encode(bytes);
        Signature.Span.CopyTo(bytes.AsSpan(EpochHead.EncodedLength));
        return bytes;
    }

    /// <summary>Reads the 176-byte wire form (the signature is not checked here).</summary>
    /// <exception cref="MalformedInputException">Not exactly 176 bytes.</exception>
    public static SignedEpochHead Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length != EncodedLength)
        {
            throw new MalformedInputException($"A signed epoch head is {EncodedLength} bytes, not {data.Length}.");
        }

        return new SignedEpochHead(EpochHead.Decode(data[..EpochHead.EncodedLength]), data[EpochHead.EncodedLength..].ToArray());
    }
}
