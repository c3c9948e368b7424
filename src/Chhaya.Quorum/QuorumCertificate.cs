// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using Chhaya.Bls;

namespace Chhaya.Quorum;

/// <summary>
/// Proof that at least t witnesses of a <see cref="WitnessSet"/> co-signed one head: a signer bitmap
/// and the aggregate of their signatures, checked with FastAggregateVerify.
/// </summary>
/// <remarks>
/// Canonical encoding (integers big-endian):
/// <code>
/// 1 byte              version = 1
/// 2 bytes             head length h (1..4096)
/// h bytes             head
/// 2 bytes             member count n of the witness set (1..4096)
/// ceil(n/8) bytes     signer bitmap: bit (i mod 8) of byte (i / 8) is witness i; bits past n are zero
/// 96 bytes            aggregate signature (compressed G2)
/// </code>
/// There is exactly one encoding of each certificate; anything else is refused.
/// </remarks>
public sealed class QuorumCertificate
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    private readonly byte[] _head;
    private readonly byte[] _bitmap;

    internal QuorumCertificate(ReadOnlySpan<byte> head, int memberCount, byte[] bitmap, BlsSignature aggregate)
    {
        _head = head.ToArray();
        MemberCount = memberCount;
        _bitmap = bitmap;
        AggregateSignature = aggregate;
        var signers = new List<int>();
        for (var i = 0; i < memberCount; i++)
        {
            if (IsSigner(bitmap, i))
            {
                signers.Add(i);
            }
        }

        SignerIndices = signers;
    }

    /// <summary>The head the witnesses co-signed.</summary>
    public ReadOnlySpan<byte> Head => _head;

    /// <summary>The size of the witness set the bitmap refers to.</summary>
    public int MemberCount { get; }

    /// <summary>The bitmap, one bit per witness.</summary>
    public ReadOnlySpan<byte> SignerBitmap => _bitmap;

    /// <summary>Indices of the witnesses whose signatures are aggregated, ascending.</summary>
    public IReadOnlyList<int> SignerIndices { get; }

    public BlsSignature AggregateSignature { get; }

    /// <summary>
    /// Checks the certificate against a witness set and the head the caller expects. Returns
    /// <see cref="QuorumValidationError.None"/> only when all of these hold: the set has the bitmap's
    /// size, the head matches, at least t signers are named, and the aggregate verifies.
    /// </summary>
    public QuorumValidationError Validate(WitnessSet witnesses, ReadOnlySpan<byte> expectedHead)
    {
        ArgumentNullException.ThrowIfNull(witnesses);
        if (witnesses.Count != MemberCount)
        {
            return QuorumValidationError.WitnessSetMismatch;
        }

        if (!expectedHead.SequenceEqual(_head))
        {
            return QuorumValidationError.HeadMismatch;
        }

        if (SignerIndices.Count < witnesses.Threshold)
        {
            return QuorumValidationError.BelowThreshold;
        }

        var keys = SignerIndices.Select(i => witnesses.Members[i].PublicKey).ToList();
        return BlsSignatures.FastAggregateVerify(keys, CoSignedMessage.For(_head), AggregateSignature)
            ? QuorumValidationError.None
            : QuorumValidationError.BadAggregate;
    }

    public byte[] Encode()
    {
        var bytes = new byte[EncodedLength(_head.Length, MemberCount)];
        var span = bytes.AsSpan();
        span[0] = Version;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)_head.Length);
        _head.CopyTo(span[3..]);
        var at = 3 + _head.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)MemberCount);
        _bitmap.CopyTo(span[(at + 2)..]);
        AggregateSignature.Bytes.CopyTo(span[(at + 2 + _bitmap.Length)..]);
        return bytes;
    }

    /// <summary>Decodes the canonical encoding; the result still needs <see cref="Validate"/>.</summary>
    /// <exception cref="QuorumException">
    /// <see cref="QuorumValidationError.Malformed"/> for a bad layout or signature encoding,
    /// <see cref="QuorumValidationError.UnknownSigner"/> for bitmap bits past the member count.
    /// </exception>
    public static QuorumCertificate Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length < 3 || encoded[0] != Version)
        {
            throw Malformed("not a version-1 quorum certificate");
        }

        int headLength = BinaryPrimitives.ReadUInt16BigEndian(encoded[1..]);
        if (headLength is 0 or > CoSignedMessage.MaxHeadLength || encoded.Length < 3 + headLength + 2)
        {
            throw Malformed("bad head length");
        }

        var head = encoded.Slice(3, headLength);
        var rest = encoded[(3 + headLength)..];
        int memberCount = BinaryPrimitives.ReadUInt16BigEndian(rest);
        if (memberCount is 0 or > WitnessSet.MaxMembers)
        {
            throw Malformed("bad member count");
        }

        var bitmapLength = (memberCount + 7) / 8;
        if (rest.Length != 2 + bitmapLength + BlsSignature.Length)
        {
            throw Malformed("wrong length for the member count");
        }

        var bitmap = rest.Slice(2, bitmapLength).ToArray();
        CheckPadding(bitmap, memberCount);
        if (BlsSignature.TryDecode(rest[(2 + bitmapLength)..], out var aggregate) != PointDecodeStatus.Ok)
        {
            throw Malformed("invalid aggregate signature encoding");
        }

        return new QuorumCertificate(head, memberCount, bitmap, aggregate!);
    }

    internal static bool IsSigner(ReadOnlySpan<byte> bitmap, int index) => ((bitmap[index / 8] >> (index % 8)) & 1) != 0;

    internal static int EncodedLength(int headLength, int memberCount) => 1 + 2 + headLength + 2 + ((memberCount + 7) / 8) + BlsSignature.Length;

    private static void CheckPadding(ReadOnlySpan<byte> bitmap, int memberCount)
    {
        var used = memberCount % 8;
        if (used != 0 && (bitmap[^1] >> used) != 0)
        {
            throw new QuorumException(QuorumValidationError.UnknownSigner, "The signer bitmap names witnesses past the end of the set.");
        }
    }

    private static QuorumException Malformed(string why) => new(QuorumValidationError.Malformed, $"Malformed quorum certificate: {why}.");
}
