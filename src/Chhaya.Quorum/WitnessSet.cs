// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Security.Cryptography;
using Chhaya.Bls;

namespace Chhaya.Quorum;

/// <summary>
/// A configured quorum: an ordered list of witnesses (the position is the signer index used in
/// certificate bitmaps) and a threshold t. Every member's proof of possession is verified when the set
/// is built, which is what makes FastAggregateVerify over any subset sound.
/// </summary>
/// <remarks>
/// Canonical encoding (all integers big-endian):
/// <code>
/// offset 0   1 byte   version = 1
/// offset 1   2 bytes  threshold t
/// offset 3   2 bytes  member count n (1..MaxMembers)
/// offset 5   n × 144  members in order: 48-byte compressed public key, 96-byte compressed proof of possession
/// </code>
/// <see cref="Id"/> is SHA-256 of that encoding.
/// </remarks>
public sealed class WitnessSet
{
    /// <summary>The largest witness set accepted; bounds decoding and verification work.</summary>
    public const int MaxMembers = 4096;

    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    private const int HeaderLength = 5;
    private const int MemberLength = BlsPublicKey.Length + BlsSignature.Length;

    private readonly WitnessMember[] _members;
    private readonly Dictionary<BlsPublicKey, int> _indexByKey;
    private readonly byte[] _encoded;

    private WitnessSet(WitnessMember[] members, int threshold, Dictionary<BlsPublicKey, int> indexByKey)
    {
        _members = members;
        _indexByKey = indexByKey;
        Threshold = threshold;
        _encoded = new byte[HeaderLength + (members.Length * MemberLength)];
        _encoded[0] = Version;
        BinaryPrimitives.WriteUInt16BigEndian(_encoded.AsSpan(1), (ushort)threshold);
        BinaryPrimitives.WriteUInt16BigEndian(_encoded.AsSpan(3), (ushort)members.Length);
        for (var i = 0; i < members.Length; i++)
        {
            var at = HeaderLength + (i * MemberLength);
            members[i].PublicKey.Bytes.CopyTo(_encoded.AsSpan(at));
            members[i].ProofOfPossession.Bytes.CopyTo(_encoded.AsSpan(at + BlsPublicKey.Length));
        }

        Id = SHA256.HashData(_encoded);
    }

    /// <summary>The members, in signer-index order.</summary>
    public IReadOnlyList<WitnessMember> Members => _members;

    /// <summary>The number of distinct co-signatures a certificate needs.</summary>
    public int Threshold { get; }

    public int Count => _members.Length;

    /// <summary>SHA-256 of the canonical encoding; names this exact set and threshold.</summary>
    public ReadOnlyMemory<byte> Id { get; }

    /// <summary>The canonical encoding.</summary>
    public ReadOnlySpan<byte> Encoded => _encoded;

    /// <summary>Builds a set, verifying every proof of possession and refusing duplicate keys.</summary>
    /// <exception cref="QuorumException">
    /// <see cref="QuorumValidationError.BadThreshold"/>, <see cref="QuorumValidationError.DuplicateSigner"/>
    /// or <see cref="QuorumValidationError.BadProofOfPossession"/> (naming the member).
    /// </exception>
    public static WitnessSet Create(IEnumerable<WitnessMember> members, int threshold)
    {
        ArgumentNullException.ThrowIfNull(members);
        var list = members.Take(MaxMembers + 1).ToArray();
        if (list.Length == 0 || list.Length > MaxMembers)
        {
            throw new QuorumException(QuorumValidationError.Malformed, $"A witness set has 1 to {MaxMembers} members, not {list.Length}.");
        }

        if (threshold < 1 || threshold > list.Length)
        {
            throw new QuorumException(QuorumValidationError.BadThreshold, $"The threshold must be between 1 and {list.Length}, not {threshold}.");
        }

        var index = new Dictionary<BlsPublicKey, int>(list.Length);
        for (var i = 0; i < list.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(list[i], nameof(members));
            if (!index.TryAdd(list[i].PublicKey, i))
            {
                throw new QuorumException(QuorumValidationError.DuplicateSigner, $"Witness {i} repeats the key of witness {index[list[i].PublicKey]}.");
            }

            if (!BlsSignatures.PopVerify(list[i].PublicKey, list[i].ProofOfPossession))
            {
                throw new QuorumException(QuorumValidationError.BadProofOfPossession, $"The proof of possession of witness {i} ({list[i].PublicKey}) does not verify.");
            }
        }

        return new WitnessSet(list, threshold, index);
    }

    /// <summary>Decodes the canonical encoding and validates it like <see cref="Create"/>.</summary>
    /// <exception cref="QuorumException">The bytes are malformed or the set is invalid.</exception>
    public static WitnessSet Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length < HeaderLength || encoded[0] != Version)
        {
            throw new QuorumException(QuorumValidationError.Malformed, "Not a version-1 witness set encoding.");
        }

        var threshold = BinaryPrimitives.ReadUInt16BigEndian(encoded[1..]);
        var count = BinaryPrimitives.ReadUInt16BigEndian(encoded[3..]);
        if (count is 0 or > MaxMembers || encoded.Length != HeaderLength + (count * MemberLength))
        {
            throw new QuorumException(QuorumValidationError.Malformed, "The witness set encoding has the wrong length for its member count.");
        }

        var members = new WitnessMember[count];
        for (var i = 0; i < count; i++)
        {
            var at = encoded.Slice(HeaderLength + (i * MemberLength), MemberLength);
            if (BlsPublicKey.TryDecode(at[..BlsPublicKey.Length], out var pk) != PointDecodeStatus.Ok
                || at.Length != MemberLength
                || BlsSignature.TryDecode(at[BlsPublicKey.Length..], out var pop) != PointDecodeStatus.Ok)
            {
                throw new QuorumException(QuorumValidationError.Malformed, $"Witness {i} has an invalid public key or proof encoding.");
            }

            members[i] = new WitnessMember(pk!, pop!);
        }

        return Create(members, threshold);
    }

    /// <summary>The signer index of a key, or -1 when it is not a member.</summary>
    public int IndexOf(BlsPublicKey publicKey) => _indexByKey.TryGetValue(publicKey, out var i) ? i : -1;
}
